package io.hearsay.peer.metrics;

import static com.google.protobuf.CodedOutputStream.computeBoolSize;
import static com.google.protobuf.CodedOutputStream.computeStringSize;
import static com.google.protobuf.CodedOutputStream.computeTagSize;
import static com.google.protobuf.CodedOutputStream.computeUInt32Size;
import static com.google.protobuf.CodedOutputStream.computeUInt32SizeNoTag;
import static com.google.protobuf.CodedOutputStream.computeUInt64Size;

import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.discovery.election.ElectionMessage;
import io.hearsay.gossip.block.BlockMessage;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The length of the {@code hearsay.gossip.SignedEnvelope} that {@code BlockWire} or {@code ElectionWire} encodes for
 * a message, computed from the decoded message without encoding it: the receiving side counts bytes per message
 * type where only the decoded message is at hand. Arithmetic only, no allocation (a block's size is memoised by
 * protobuf once computed, and decoding computed it). Equal to the encoder's length for every message — the test
 * compares the two — and to the bytes received for any envelope in canonical encoding (an envelope padded with
 * unknown fields is counted at its canonical size).
 */
public final class WireSize {
    // SignedEnvelope's field numbers (gossip.proto). Field 1, the signer, is left empty by senders (the link's peer).
    private static final int SEQUENCE = 2;
    private static final int SIGNATURE = 3;
    private static final int MESSAGE = 4;
    private static final int CHANNEL = 5;
    private static final int ELECTION = 6;

    private WireSize() {}

    public static int ofBlockMessage(String channel, SignedMessage<BlockMessage> signed) {
        return header(channel, signed) + field(MESSAGE, blockMessage(signed.message()));
    }

    public static int ofElection(String channel, SignedMessage<ElectionMessage> signed) {
        ElectionMessage message = signed.message();
        int body = bool(1, message.leading()) + uint64(2, message.ledgerHeight());
        return header(channel, signed) + field(ELECTION, body);
    }

    private static int header(String channel, SignedMessage<?> signed) {
        return uint64(SEQUENCE, signed.sequence())
                + bytes(SIGNATURE, signed.signature().length) + (channel.isEmpty() ? 0 : computeStringSize(CHANNEL, channel));
    }

    /** A {@code BlockMessage}: its oneof's one field, a sub-message (present even when empty, as prune and graft are). */
    private static int blockMessage(BlockMessage message) {
        if (message instanceof BlockMessage.Push push) {
            return field(1, bytes(1, push.block().getSerializedSize()) + bool(2, push.forward()));
        } else if (message instanceof BlockMessage.Announce announce) {
            return field(2, uint64(1, announce.number()) + bytes(2, announce.headerHash().size())
                    + bool(3, announce.forward()) + (announce.bodyBytes() == 0 ? 0 : computeUInt32Size(4, announce.bodyBytes())));
        } else if (message instanceof BlockMessage.Request request) {
            return field(3, uint64(1, request.number()) + bytes(2, request.headerHash().size()) + bool(3, request.forward()));
        } else if (message instanceof BlockMessage.Heartbeat heartbeat) {
            return field(4, uint64(1, heartbeat.height()) + bytes(2, heartbeat.headHash().size()) + bool(3, heartbeat.pull()));
        } else if (message instanceof BlockMessage.RangeRequest request) {
            return field(5, uint64(1, request.requestId()) + uint64(2, request.from()) + uint64(3, request.toExclusive()));
        } else if (message instanceof BlockMessage.RangeResponse response) {
            int body = uint64(1, response.requestId());
            for (Block block : response.blocks()) {
                body += repeatedBytes(2, block.getSerializedSize());
            }
            return field(6, body);
        } else if (message instanceof BlockMessage.Prune) {
            return field(7, 0);
        } else if (message instanceof BlockMessage.Graft) {
            return field(8, 0);
        }
        throw new IllegalArgumentException("no wire form for " + message.getClass().getName());
    }

    /** A length-delimited field that is always written (a set sub-message, a repeated element). */
    private static int field(int number, int length) {
        return computeTagSize(number) + computeUInt32SizeNoTag(length) + length;
    }

    private static int repeatedBytes(int number, int length) {
        return field(number, length);
    }

    /** A proto3 {@code bytes} field, omitted when empty. */
    private static int bytes(int number, int length) {
        return length == 0 ? 0 : field(number, length);
    }

    private static int uint64(int number, long value) {
        return value == 0 ? 0 : computeUInt64Size(number, value);
    }

    private static int bool(int number, boolean value) {
        return value ? computeBoolSize(number, true) : 0;
    }
}
