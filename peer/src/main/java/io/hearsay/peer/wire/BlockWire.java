package io.hearsay.peer.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.identity.PkiId;
import io.hearsay.proto.gossip.SignedEnvelope;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Signed block-gossip messages to and from {@code hearsay.gossip.SignedEnvelope} bytes. Decoding is strict:
 * anything the protocol would have to guess about (a missing field, a negative number, a hash or signature
 * of the wrong size, a block that does not parse) is refused with a reason, before the message is
 * authenticated or reaches the protocol.
 */
public final class BlockWire {
    static final int SIGNATURE_BYTES_MAX = EnvelopeHeader.SIGNATURE_BYTES_MAX;
    /** Header hashes are SHA-256. */
    static final int HASH_BYTES = 32;
    static final int CHANNEL_CHARS_MAX = EnvelopeHeader.CHANNEL_CHARS_MAX;

    private BlockWire() {}

    /** Messages that carry block bodies; the transport sends them behind control messages. */
    public static boolean isBulk(BlockMessage message) {
        return message instanceof BlockMessage.Push || message instanceof BlockMessage.RangeResponse;
    }

    /** A decoded envelope: the channel it is addressed to and the still unauthenticated message. */
    public record Routed(String channel, SignedMessage<BlockMessage> signed) {}

    public static byte[] encode(String channel, SignedMessage<BlockMessage> signed) {
        return SignedEnvelope.newBuilder()
                .setChannel(channel)
                .setSequence(signed.sequence())
                .setSignature(ByteString.copyFrom(signed.signature()))
                .setMessage(toProto(signed.message()))
                .build()
                .toByteArray();
    }

    /** Decodes a block-gossip envelope; an envelope carrying another protocol's message is refused. */
    public static Routed decode(ByteString bytes, PkiId link) throws MalformedMessageException {
        return decode(EnvelopeHeader.parse(bytes), link);
    }

    static Routed decode(SignedEnvelope envelope, PkiId link) throws MalformedMessageException {
        EnvelopeHeader header = EnvelopeHeader.of(envelope, link);
        if (envelope.getBodyCase() != SignedEnvelope.BodyCase.MESSAGE) {
            throw new MalformedMessageException("envelope carries a " + envelope.getBodyCase() + " message, not a block message");
        }
        return new Routed(header.channel(), new SignedMessage<>(header.signer(), header.sequence(),
                fromProto(envelope.getMessage()), header.signature()));
    }

    static io.hearsay.proto.gossip.BlockMessage toProto(BlockMessage message) {
        var out = io.hearsay.proto.gossip.BlockMessage.newBuilder();
        if (message instanceof BlockMessage.Push push) {
            out.setPush(io.hearsay.proto.gossip.BlockMessage.Push.newBuilder()
                    .setBlock(push.block().toByteString()).setForward(push.forward()));
        } else if (message instanceof BlockMessage.Announce announce) {
            out.setAnnounce(io.hearsay.proto.gossip.BlockMessage.Announce.newBuilder()
                    .setNumber(announce.number()).setHeaderHash(announce.headerHash())
                    .setBodyBytes(announce.bodyBytes()).setForward(announce.forward()));
        } else if (message instanceof BlockMessage.Request request) {
            out.setRequest(io.hearsay.proto.gossip.BlockMessage.Request.newBuilder()
                    .setNumber(request.number()).setHeaderHash(request.headerHash()).setForward(request.forward()));
        } else if (message instanceof BlockMessage.Heartbeat heartbeat) {
            out.setHeartbeat(io.hearsay.proto.gossip.BlockMessage.Heartbeat.newBuilder()
                    .setHeight(heartbeat.height()).setHeadHash(heartbeat.headHash()).setPull(heartbeat.pull()));
        } else if (message instanceof BlockMessage.RangeRequest request) {
            out.setRangeRequest(io.hearsay.proto.gossip.BlockMessage.RangeRequest.newBuilder()
                    .setRequestId(request.requestId()).setFrom(request.from()).setToExclusive(request.toExclusive()));
        } else if (message instanceof BlockMessage.RangeResponse response) {
            var range = io.hearsay.proto.gossip.BlockMessage.RangeResponse.newBuilder().setRequestId(response.requestId());
            for (Block block : response.blocks()) {
                range.addBlocks(block.toByteString());
            }
            out.setRangeResponse(range);
        } else if (message instanceof BlockMessage.Prune) {
            out.setPrune(io.hearsay.proto.gossip.BlockMessage.Prune.getDefaultInstance());
        } else if (message instanceof BlockMessage.Graft) {
            out.setGraft(io.hearsay.proto.gossip.BlockMessage.Graft.getDefaultInstance());
        } else {
            throw new IllegalArgumentException("no wire form for " + message.getClass().getName());
        }
        return out.build();
    }

    static BlockMessage fromProto(io.hearsay.proto.gossip.BlockMessage message) throws MalformedMessageException {
        switch (message.getKindCase()) {
            case PUSH -> {
                return new BlockMessage.Push(block(message.getPush().getBlock()), message.getPush().getForward());
            }
            case ANNOUNCE -> {
                var announce = message.getAnnounce();
                if (announce.getBodyBytes() < 0) {
                    throw new MalformedMessageException("announced block size " + Integer.toUnsignedString(announce.getBodyBytes())
                            + " is out of range");
                }
                return new BlockMessage.Announce(number("number", announce.getNumber()),
                        hash("header hash", announce.getHeaderHash()), announce.getBodyBytes(), announce.getForward());
            }
            case REQUEST -> {
                var request = message.getRequest();
                return new BlockMessage.Request(number("number", request.getNumber()),
                        hash("header hash", request.getHeaderHash()), request.getForward());
            }
            case HEARTBEAT -> {
                var heartbeat = message.getHeartbeat();
                return new BlockMessage.Heartbeat(number("height", heartbeat.getHeight()),
                        hash("head hash", heartbeat.getHeadHash()), heartbeat.getPull());
            }
            case RANGE_REQUEST -> {
                var request = message.getRangeRequest();
                // Absurd ranges (empty, reversed, too long) are the protocol's to refuse and count.
                return new BlockMessage.RangeRequest(request.getRequestId(), number("from", request.getFrom()),
                        number("to", request.getToExclusive()));
            }
            case RANGE_RESPONSE -> {
                var response = message.getRangeResponse();
                List<Block> blocks = new ArrayList<>(response.getBlocksCount());
                for (ByteString block : response.getBlocksList()) {
                    blocks.add(block(block));
                }
                return new BlockMessage.RangeResponse(response.getRequestId(), blocks);
            }
            case PRUNE -> {
                return new BlockMessage.Prune();
            }
            case GRAFT -> {
                return new BlockMessage.Graft();
            }
            default -> throw new MalformedMessageException("message has no known kind");
        }
    }

    private static Block block(ByteString bytes) throws MalformedMessageException {
        Block block;
        try {
            block = Block.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedMessageException("block does not parse: " + e.getMessage());
        }
        if (!block.hasHeader()) {
            throw new MalformedMessageException("block has no header");
        }
        number("block number", block.getHeader().getNumber());
        return block;
    }

    private static long number(String field, long value) throws MalformedMessageException {
        return EnvelopeHeader.number(field, value);
    }

    private static ByteString hash(String field, ByteString value) throws MalformedMessageException {
        if (value.size() != HASH_BYTES) {
            throw new MalformedMessageException(field + " is " + value.size() + " bytes, not " + HASH_BYTES);
        }
        return value;
    }
}
