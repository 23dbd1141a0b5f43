package io.hearsay.peer.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.discovery.anchor.AnchorMessage;
import io.hearsay.discovery.election.ElectionMessage;
import io.hearsay.discovery.routing.RouteMessage;
import io.hearsay.gossip.auth.Codecs;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.identity.PkiId;
import io.hearsay.peer.election.ElectionCodec;
import io.hearsay.peer.wire.OverlayMessage;
import io.hearsay.peer.wire.PeerEndpoints;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The overlay's signed content is its own domain: it begins with an empty channel id and the overlay's tag, which no
 * channel protocol's content can (a channel id is never empty), so no channel message's signature verifies as an
 * overlay message; and every field the overlay acts on, endpoints included, changes the content.
 */
class OverlayCodecTest {
    private static final PkiId A = id(1);
    private static final PkiId B = id(2);
    private final OverlayCodec codec = new OverlayCodec();

    @Test
    void overlayContentStartsWhereNoChannelContentCan() {
        byte[] overlay = codec.signedContent(new OverlayMessage.Anchoring(new AnchorMessage.Heartbeat()));
        byte[] election = ElectionCodec.forChannel("c").signedContent(new ElectionMessage(true, 1));
        byte[] block = Codecs.blocks("c").signedContent(new BlockMessage.Prune());

        assertThat(Arrays.copyOf(overlay, 3)).containsExactly(0, 0, OverlayCodec.TAG);
        // A channel's content starts with its id's two-byte length, never zero.
        assertThat(election[0] != 0 || election[1] != 0).isTrue();
        assertThat(block[0] != 0 || block[1] != 0).isTrue();
    }

    @Test
    void everyFieldChangesTheContent() {
        List<OverlayMessage> variants = List.of(
                announcement("Org1MSP", A, 1, 1, List.of(B), List.of()),
                announcement("Org2MSP", A, 1, 1, List.of(B), List.of()),
                announcement("Org1MSP", B, 1, 1, List.of(B), List.of()),
                announcement("Org1MSP", A, 2, 1, List.of(B), List.of()),
                announcement("Org1MSP", A, 1, 2, List.of(B), List.of()),
                announcement("Org1MSP", A, 1, 1, List.of(A), List.of()),
                announcement("Org1MSP", A, 1, 1, List.of(B), List.of(new PeerEndpoints(B, "Org1MSP", "h:1", ""))),
                announcement("Org1MSP", A, 1, 1, List.of(B), List.of(new PeerEndpoints(B, "Org1MSP", "", "h:1"))),
                new OverlayMessage.Anchoring(new AnchorMessage.Attach(), List.of(new PeerEndpoints(A, "Org1MSP", "h:1", ""))),
                new OverlayMessage.Anchoring(new AnchorMessage.Attach(), List.of(new PeerEndpoints(A, "Org1MSP", "h:2", ""))),
                new OverlayMessage.Anchoring(new AnchorMessage.Attach()),
                new OverlayMessage.Anchoring(new AnchorMessage.HeartbeatAck(true)),
                new OverlayMessage.Anchoring(new AnchorMessage.HeartbeatAck(false)),
                new OverlayMessage.Routing(new RouteMessage.Route(A, 1, B, new byte[] {1}, 1, 100)),
                new OverlayMessage.Routing(new RouteMessage.Route(A, 1, B, new byte[] {2}, 1, 100)),
                new OverlayMessage.Routing(new RouteMessage.Route(A, 1, B, new byte[] {1}, 2, 100)),
                new OverlayMessage.Routing(new RouteMessage.Route(A, 1, A, new byte[] {1}, 1, 100)),
                new OverlayMessage.Routing(new RouteMessage.Route(A, 2, B, new byte[] {1}, 1, 100)),
                new OverlayMessage.Routing(new RouteMessage.Outcome(A, 1, false, 3, "x", false)),
                new OverlayMessage.Routing(new RouteMessage.Outcome(A, 1, false, 3, "x", true)),
                new OverlayMessage.Routing(new RouteMessage.Outcome(A, 1, false, 2, "x", false)),
                new OverlayMessage.Routing(new RouteMessage.Ack(A, 1, 1)),
                new OverlayMessage.Routing(new RouteMessage.Ack(A, 1, 2)),
                new OverlayMessage.Routing(new RouteMessage.OutcomeAck(A, 1)));

        assertThat(variants.stream().map(codec::signedContent).map(Arrays::toString).distinct()).hasSize(variants.size());
    }

    private static OverlayMessage announcement(String organization, PkiId anchor, long incarnation, long sequence,
            List<PkiId> children, List<PeerEndpoints> endpoints) {
        return new OverlayMessage.Anchoring(new AnchorMessage.Announcement(organization, anchor, incarnation, sequence,
                children), endpoints);
    }

    private static PkiId id(int fill) {
        byte[] bytes = new byte[PkiId.LENGTH_BYTES];
        Arrays.fill(bytes, (byte) fill);
        return PkiId.fromBytes(bytes);
    }
}
