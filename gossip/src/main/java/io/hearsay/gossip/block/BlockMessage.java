package io.hearsay.gossip.block;

import com.google.protobuf.ByteString;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Messages of block dissemination and repair. Immutable. {@link #sizeBytes()} is what the message costs
 * on the wire, for traffic accounting in the simulator and the node alike.
 */
public sealed interface BlockMessage {
    /**
     * Fixed cost per message, as the simulator counts it: what a {@code SignedEnvelope} adds on the wire — the sequence
     * (9 bytes with its tag), an r ‖ s signature (66), a channel name of about a dozen characters, and the message's
     * tags; the sender is the link's, not on the wire. {@code bench wire} measures the real sizes: an announcement of a
     * 4.6 KB block is 133 bytes there and 134 here.
     */
    int HEADER_BYTES = 90;

    int sizeBytes();

    /**
     * A height its sender has shown it reached by sending this message (it has every block below), or 0 if the message
     * shows none. A heartbeat states the height; a push or an announcement of block n shows n + 1. Heartbeats are sent
     * only to neighbours that may not know our height, so whoever ranks peers by height must read all three.
     */
    default long senderHeightAtLeast() {
        return 0;
    }

    /** A whole block, pushed (new blocks) or answering a request or pull. {@code forward}: the receiver may push it on. */
    record Push(Block block, boolean forward) implements BlockMessage {
        @Override
        public int sizeBytes() {
            return HEADER_BYTES + block.getSerializedSize();
        }

        @Override
        public long senderHeightAtLeast() {
            return block.getHeader().getNumber() + 1;
        }
    }

    /**
     * Lazy push, or a pull answer: "I have block {@code number} with this header hash and {@code bodyBytes}
     * serialised bytes; ask me for it." {@code forward}: the block is new and the receiver should spread it on
     * (false for pull answers). The size tells a tree-push peer whether the body is also on its way eagerly.
     */
    record Announce(long number, ByteString headerHash, int bodyBytes, boolean forward) implements BlockMessage {
        @Override
        public int sizeBytes() {
            return HEADER_BYTES + 12 + headerHash.size();
        }

        @Override
        public long senderHeightAtLeast() {
            return number + 1;
        }
    }

    /** Asks an announcer for the body it announced; {@code forward} is echoed into the answering push. */
    record Request(long number, ByteString headerHash, boolean forward) implements BlockMessage {
        @Override
        public int sizeBytes() {
            return HEADER_BYTES + 8 + headerHash.size();
        }
    }

    /**
     * The periodic digest: the sender's height and head hash. With {@code pull} set it also asks for the
     * receiver's recent blocks at and above {@code height} (Fabric's pull).
     */
    record Heartbeat(long height, ByteString headHash, boolean pull) implements BlockMessage {
        @Override
        public int sizeBytes() {
            return HEADER_BYTES + 9 + headHash.size();
        }

        @Override
        public long senderHeightAtLeast() {
            return height;
        }
    }

    /** Asks for blocks {@code from} (inclusive) to {@code toExclusive}, tagged so the answer can be matched. */
    record RangeRequest(long requestId, long from, long toExclusive) implements BlockMessage {
        @Override
        public int sizeBytes() {
            return HEADER_BYTES + 24;
        }
    }

    /** The blocks of a range request, in order; fewer than asked (possibly none) if the server lacks them. */
    record RangeResponse(long requestId, List<Block> blocks) implements BlockMessage {
        public RangeResponse {
            blocks = List.copyOf(blocks);
        }

        @Override
        public int sizeBytes() {
            return HEADER_BYTES + 8 + blocks.stream().mapToInt(Block::getSerializedSize).sum();
        }
    }

    /** Tree push: "I already had that block; stop pushing new blocks to me" (the receiver prunes the sender). */
    record Prune() implements BlockMessage {
        @Override
        public int sizeBytes() {
            return HEADER_BYTES;
        }
    }

    /** Tree push: "push new blocks to me again" (the receiver un-prunes the sender). */
    record Graft() implements BlockMessage {
        @Override
        public int sizeBytes() {
            return HEADER_BYTES;
        }
    }
}
