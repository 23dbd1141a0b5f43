package io.hearsay.peer.wire;

import com.google.protobuf.ByteString;
import io.hearsay.proto.gossip.SignedEnvelope;

/**
 * Decodes any {@code SignedEnvelope} a neighbour sends, parsing it once and routing by its body to the codec of the
 * protocol it belongs to: block gossip ({@link BlockWire}) or leader election ({@link ElectionWire}).
 */
public final class EnvelopeWire {
    private EnvelopeWire() {}

    /** A decoded, still unauthenticated envelope of one of the protocols. */
    public sealed interface Decoded permits Blocks, Election {
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

    public static Decoded decode(ByteString bytes) throws MalformedMessageException {
        SignedEnvelope envelope = EnvelopeHeader.parse(bytes);
        return switch (envelope.getBodyCase()) {
            case ELECTION -> new Election(ElectionWire.decode(envelope));
            // MESSAGE, and no body at all, which BlockWire refuses with its reason.
            default -> new Blocks(BlockWire.decode(envelope));
        };
    }
}
