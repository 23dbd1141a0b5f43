package io.hearsay.peer.overlay;

import static io.hearsay.peer.overlay.OverlayNetwork.overlay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.anchor.AnchorCounters;
import io.hearsay.discovery.anchor.AnchorMessage;
import io.hearsay.discovery.auth.AuthenticatedChannel.Drop;
import io.hearsay.discovery.auth.ContentWriter;
import io.hearsay.discovery.auth.MessageCodec;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.discovery.election.ElectionMessage;
import io.hearsay.discovery.routing.DeliveryOutcome;
import io.hearsay.identity.PkiId;
import io.hearsay.identity.Signatures;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.peer.GossipPeer;
import io.hearsay.peer.election.ElectionCodec;
import io.hearsay.peer.transport.TransportCounters;
import io.hearsay.peer.wire.OverlayMessage;
import io.hearsay.peer.overlay.OverlayCounters.Refusal;
import io.hearsay.peer.wire.OverlayWire;
import io.hearsay.peer.wire.PeerEndpoints;
import io.hearsay.proto.gossip.SignedEnvelope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile overlay messages on real nodes: a channel member (TLS and handshake pass) sends raw envelopes to an anchor.
 * A properly signed join request is served; one whose signature was made for a channel protocol's content, or that
 * names another signer, is dropped with its reason and counted; a malformed one closes the link with the reason
 * counted; another organisation's internal endpoint is discarded and counted; a membership request to a peer the
 * sender's organisation cannot know is refused; and through all of it the overlay keeps
 * routing.
 */
@Timeout(value = 15, unit = TimeUnit.SECONDS)
class HostileOverlayTest {
    @TempDir
    static Path directory;
    private static OverlayCrypto crypto;
    private OverlayNetwork network;
    private GossipPeer hostile;
    private GossipPeer anchor;
    private SigningIdentity identity;
    private long sequence = 1_000;
    private long servedBefore;

    @BeforeAll
    static void generateCrypto() {
        crypto = new OverlayCrypto(directory);
    }

    @BeforeEach
    void startNetwork() {
        network = new OverlayNetwork(crypto);
        identity = crypto.peer("Org1MSP", 4).signingIdentity();
        hostile = network.listen("org1-hostile4", crypto.peer("Org1MSP", 4));
        anchor = network.peer("Org1MSP", 0);
        // Joined: the ordinary peers ask no more, so the anchor's count of join requests served holds still.
        network.awaitJoined();
        hostile.connect(anchor.id(), "127.0.0.1", anchor.port());
        await().atMost(Duration.ofSeconds(10)).until(() -> hostile.network().isConnected(anchor.id()));
        servedBefore = served();
    }

    @AfterEach
    void closeNetwork() {
        network.close();
    }

    @Test
    void aProperlySignedJoinRequestIsServed() {
        sendRaw(signedBy(identity.pkiId(), join(), new OverlayCodec()));

        await().atMost(Duration.ofSeconds(5)).until(() -> served() > servedBefore);
        assertThat(overlay(anchor).state().drops().values()).allMatch(count -> count == 0);
    }

    @Test
    void aSignatureMadeForAChannelProtocolDoesNotPassForAnOverlayMessage() {
        ElectionCodec election = ElectionCodec.forChannel("testchannel");
        // The hostile peer's real signature, over an election declaration's content with the same signer and sequence.
        long at = ++sequence;
        byte[] signature = Signatures.toPlain(identity.sign(content(identity.pkiId(), at, new ElectionMessage(true, 5), election)));

        sendRaw(OverlayWire.encode(new SignedMessage<>(identity.pkiId(), at, join(), signature)));

        await().atMost(Duration.ofSeconds(5)).until(() -> overlay(anchor).state().drops().getOrDefault(Drop.BAD_SIGNATURE, 0L) == 1);
        assertThat(served()).isEqualTo(servedBefore);
        assertRoutingStillWorks();
    }

    @Test
    void aMessageInAnotherPeersNameIsDropped() {
        PkiId someoneElse = network.peer("Org1MSP", 2).id();

        byte[] inTheirName = signedBy(someoneElse, join(), new OverlayCodec());
        sendRaw(namingSigner(someoneElse, inTheirName));
        // Naming no signer, the envelope is taken as this link's peer's, whose key did not sign that content.
        sendRaw(inTheirName);

        await().atMost(Duration.ofSeconds(5)).until(() -> overlay(anchor).state().drops().getOrDefault(Drop.SIGNER_MISMATCH, 0L) == 1
                && overlay(anchor).state().drops().getOrDefault(Drop.BAD_SIGNATURE, 0L) == 1);
        assertThat(served()).isEqualTo(servedBefore);
    }

    @Test
    void aMalformedOverlayEnvelopeClosesTheLinkAndTheAnchorKeepsServing() {
        long malformed = anchor.transportCounters().get(TransportCounters.Counter.MALFORMED);
        byte[] valid = signedBy(identity.pkiId(), join(), new OverlayCodec());
        SignedEnvelope.Builder envelope;
        try {
            envelope = SignedEnvelope.parseFrom(valid).toBuilder();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        envelope.setOverlay(io.hearsay.proto.gossip.OverlayMessage.newBuilder().setRoute(
                io.hearsay.proto.gossip.OverlayMessage.Route.newBuilder().setOrigin(identity.pkiId().toByteString())
                        .setTarget(ByteString.copyFrom(new byte[PkiId.LENGTH_BYTES])).setHop(7)));

        sendRaw(envelope.build().toByteArray());

        await().atMost(Duration.ofSeconds(5)).until(() ->
                anchor.transportCounters().get(TransportCounters.Counter.MALFORMED) > malformed);
        assertRoutingStillWorks();
    }

    @Test
    void anInternalEndpointSentToAnotherOrganisationIsDiscardedAndCounted() {
        // An Org2 peer attaches to an Org1 anchor telling its internal endpoint, which must not leave Org2.
        var member = crypto.peer("Org2MSP", 4);
        GossipPeer leaky = network.listen("org2-leaky4", member);
        leaky.connect(anchor.id(), "127.0.0.1", anchor.port());
        await().atMost(Duration.ofSeconds(10)).until(() -> leaky.network().isConnected(anchor.id()));
        SigningIdentity leakyIdentity = member.signingIdentity();
        OverlayMessage attach = new OverlayMessage.Anchoring(new AnchorMessage.Attach(), List.of(new PeerEndpoints(
                leakyIdentity.pkiId(), "Org2MSP", "10.9.9.9:7051", "peer4.org2.example.com:7051")));
        long at = ++sequence;
        byte[] envelope = OverlayWire.encode(new SignedMessage<>(leakyIdentity.pkiId(), at, attach,
                Signatures.toPlain(leakyIdentity.sign(content(leakyIdentity.pkiId(), at, attach, new OverlayCodec())))));

        assertThat(leaky.network().send(anchor.id(), envelope, false)).isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> overlay(anchor).state().children().contains(leakyIdentity.pkiId()));
        PeerOverlay.State state = overlay(anchor).state();
        assertThat(state.refusals().get(Refusal.FOREIGN_INTERNAL_ENDPOINT)).isEqualTo(1);
        assertThat(state.learnedEndpoints().get(leakyIdentity.pkiId()))
                .isEqualTo(new PeerEndpoints(leakyIdentity.pkiId(), "Org2MSP", "", "peer4.org2.example.com:7051"));
    }

    @Test
    void aMembershipRequestToAPeerInvisibleToTheSendersOrganisationIsRefused() {
        // Org1's peer 2 has no external endpoint: Org2 cannot know it, so a join request from Org2 is refused there.
        // Org1's peer 3 has one: the request passes the organisation rules (and its core refuses it as an ordinary peer).
        var member = crypto.peer("Org2MSP", 4);
        GossipPeer asker = network.listen("org2-asker4", member);
        GossipPeer invisible = network.peer("Org1MSP", 2);
        GossipPeer visible = network.peer("Org1MSP", 3);
        for (GossipPeer to : List.of(invisible, visible)) {
            asker.connect(to.id(), "127.0.0.1", to.port());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> asker.network().isConnected(invisible.id())
                && asker.network().isConnected(visible.id()));
        SigningIdentity askerIdentity = member.signingIdentity();

        for (GossipPeer to : List.of(invisible, visible)) {
            long at = ++sequence;
            assertThat(asker.network().send(to.id(), OverlayWire.encode(new SignedMessage<>(askerIdentity.pkiId(), at, join(),
                    Signatures.toPlain(askerIdentity.sign(content(askerIdentity.pkiId(), at, join(), new OverlayCodec()))))), false)).isTrue();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> overlay(invisible).counters().refused(Refusal.NOT_VISIBLE) == 1);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                overlay(visible).state().anchorRejections().get(AnchorCounters.Rejection.UNEXPECTED_PEER) > 0);
        assertThat(overlay(visible).counters().refused(Refusal.NOT_VISIBLE)).isZero();
    }

    // ---- helpers ----

    private long served() {
        return overlay(anchor).state().anchorCounters().get(AnchorCounters.Counter.JOIN_REQUESTS_SERVED);
    }

    private void assertRoutingStillWorks() {
        GossipPeer target = network.peer("Org2MSP", 3);
        await().atMost(Duration.ofSeconds(8)).until(() -> {
            DeliveryOutcome outcome = overlay(network.peer("Org1MSP", 3)).send(target.id(),
                    "still routing".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
            return outcome instanceof DeliveryOutcome.Delivered;
        });
    }

    private static OverlayMessage join() {
        return new OverlayMessage.Anchoring(new AnchorMessage.JoinRequest());
    }

    private byte[] signedBy(PkiId signer, OverlayMessage message, MessageCodec<OverlayMessage> codec) {
        long at = ++sequence;
        return OverlayWire.encode(new SignedMessage<>(signer, at, message,
                Signatures.toPlain(identity.sign(content(signer, at, message, codec)))));
    }

    /** {@code envelope} with its signer field set: senders leave it empty (the link's peer), a forger may name anyone. */
    private static byte[] namingSigner(PkiId signer, byte[] envelope) {
        try {
            return SignedEnvelope.parseFrom(envelope).toBuilder().setSigner(signer.toByteString()).build().toByteArray();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    /** What {@code AuthenticatedChannel} signs: the signer's PKI-ID, the sequence, then the codec's content. */
    private static <M> byte[] content(PkiId signer, long sequence, M message, MessageCodec<M> codec) {
        ContentWriter out = new ContentWriter(256);
        out.write(signer.toBytes());
        out.writeLong(sequence);
        codec.writeSignedContent(message, out);
        return out.toByteArray();
    }

    private void sendRaw(byte[] envelope) {
        assertThat(hostile.network().send(anchor.id(), envelope, false)).isTrue();
    }
}
