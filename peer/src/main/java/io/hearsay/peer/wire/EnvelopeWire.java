package io.hearsay.peer.wire;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.identity.PkiId;
import io.hearsay.proto.gossip.SignedEnvelope;

/**
 * Decodes any {@code SignedEnvelope} a neighbour sends, parsing it once and routing by its body to the codec of the
 * protocol it belongs to: block gossip ({@link BlockWire}) or leader election ({@link ElectionWire}), both per channel,
 * or the node's overlay of anchors and routed delivery ({@link OverlayWire}) and its SWIM membership ({@link
 * MembershipWire}), which belong to no channel.
 */
public final class EnvelopeWire {
    private EnvelopeWire() {}

    /** A decoded, still unauthenticated envelope of one of the protocols. */
    public sealed interface Decoded permits Blocks, Election, Overlay, Membership {
        /** The channel the message is addressed to; empty for a node-level ({@link Overlay}, {@link Membership}) message. */
        String channel();
    }

    public record Blocks(BlockWire.Routed routed) implements Decoded {
        @Override
        public String channel() {
            return routed.channel();
        }
    }

    public record Election(ElectionWire.Routed routed) implements Decoded {
        @Override
        public String channel() {
            return routed.channel();
        }
    }

    /** A node-level overlay message: anchors, joining, routed delivery. */
    public record Overlay(SignedMessage<OverlayMessage> signed) implements Decoded {
        @Override
        public String channel() {
            return "";
        }
    }

    /** A node-level SWIM membership message, with the identities its alive records came with. */
    public record Membership(MembershipWire.Received received) implements Decoded {
        @Override
        public String channel() {
            return "";
        }
    }

    /** Decodes an envelope that arrived on the link of neighbour {@code link}, who signed it (see {@link EnvelopeHeader}). */
    public static Decoded decode(ByteString bytes, PkiId link) throws MalformedMessageException {
        SignedEnvelope envelope = EnvelopeHeader.parse(bytes);
        return switch (envelope.getBodyCase()) {
            case ELECTION -> new Election(ElectionWire.decode(envelope, link));
            case OVERLAY -> new Overlay(OverlayWire.decode(envelope, link));
            case MEMBERSHIP -> new Membership(MembershipWire.decode(envelope, link));
            // MESSAGE, and no body at all, which BlockWire refuses with its reason.
            default -> new Blocks(BlockWire.decode(envelope, link));
        };
    }
}
