package io.hearsay.gossip.auth;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.auth.ContentWriter;
import io.hearsay.discovery.auth.MessageCodec;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.gossip.block.HeaderHashes;
import io.hearsay.gossip.item.ItemDigest;
import io.hearsay.gossip.item.ItemMessage;
import io.hearsay.gossip.item.VersionedItem;
import java.util.List;
import java.util.function.BiConsumer;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The signed content of each protocol's messages: a type tag, then every field the receiver acts on. Numbers
 * are big-endian and strings modified UTF-8 with a two-byte length, as {@link java.io.DataOutputStream} writes
 * them (the format signatures were first made over), written with a {@link ContentWriter}.
 */
public final class Codecs {
    private Codecs() {}

    /** Blocks are represented by their header hash: the data hash binds the body, the orderer the header. */
    public static final MessageCodec<BlockMessage> BLOCKS = codec((message, out) -> {
        if (message instanceof BlockMessage.Push push) {
            out.writeByte(1);
            out.writeBoolean(push.forward());
            writeBlockId(out, push.block());
        } else if (message instanceof BlockMessage.Announce announce) {
            out.writeByte(2);
            out.writeLong(announce.number());
            writeBytes(out, announce.headerHash());
            out.writeInt(announce.bodyBytes());
            out.writeBoolean(announce.forward());
        } else if (message instanceof BlockMessage.Request request) {
            out.writeByte(3);
            out.writeLong(request.number());
            writeBytes(out, request.headerHash());
            out.writeBoolean(request.forward());
        } else if (message instanceof BlockMessage.Heartbeat heartbeat) {
            out.writeByte(4);
            out.writeLong(heartbeat.height());
            writeBytes(out, heartbeat.headHash());
            out.writeBoolean(heartbeat.pull());
        } else if (message instanceof BlockMessage.RangeRequest request) {
            out.writeByte(5);
            out.writeLong(request.requestId());
            out.writeLong(request.from());
            out.writeLong(request.toExclusive());
        } else if (message instanceof BlockMessage.RangeResponse response) {
            out.writeByte(6);
            out.writeLong(response.requestId());
            out.writeInt(response.blocks().size());
            for (Block block : response.blocks()) {
                writeBlockId(out, block);
            }
        } else if (message instanceof BlockMessage.Prune) {
            out.writeByte(7);
        } else if (message instanceof BlockMessage.Graft) {
            out.writeByte(8);
        } else {
            throw new IllegalArgumentException("no codec for " + message.getClass().getName());
        }
    });

    /**
     * Block messages of one channel of a node that serves several: the channel id is signed too, so a message
     * signed for one channel is refused in another.
     */
    public static MessageCodec<BlockMessage> blocks(String channel) {
        return codec((message, out) -> {
            out.writeUtf(channel);
            BLOCKS.writeSignedContent(message, out);
        });
    }

    public static final MessageCodec<ItemMessage> ITEMS = codec((message, out) -> {
        if (message instanceof ItemMessage.Push push) {
            out.writeByte(1);
            out.writeBoolean(push.pull());
            writeItems(out, push.items());
            writeDigests(out, push.digests());
        } else if (message instanceof ItemMessage.Digest digest) {
            out.writeByte(2);
            writeDigests(out, digest.digests());
        } else if (message instanceof ItemMessage.Reply reply) {
            out.writeByte(3);
            writeItems(out, reply.items());
        } else if (message instanceof ItemMessage.Rumor rumor) {
            out.writeByte(4);
            writeItems(out, rumor.items());
        } else if (message instanceof ItemMessage.RumorFeedback feedback) {
            out.writeByte(5);
            writeDigests(out, feedback.alreadyKnown());
        } else {
            throw new IllegalArgumentException("no codec for " + message.getClass().getName());
        }
    });

    /** A codec from its in-place writer; {@code signedContent} writes into a fresh buffer. */
    private static <M> MessageCodec<M> codec(BiConsumer<M, ContentWriter> writer) {
        return new MessageCodec<>() {
            @Override
            public byte[] signedContent(M message) {
                ContentWriter out = new ContentWriter(64);
                writer.accept(message, out);
                return out.toByteArray();
            }

            @Override
            public void writeSignedContent(M message, ContentWriter out) {
                writer.accept(message, out);
            }
        };
    }

    private static void writeBlockId(ContentWriter out, Block block) {
        out.writeLong(block.getHeader().getNumber());
        out.write(HeaderHashes.of(block));
    }

    private static void writeBytes(ContentWriter out, ByteString bytes) {
        out.writeInt(bytes.size());
        out.write(bytes);
    }

    private static void writeItems(ContentWriter out, List<VersionedItem> items) {
        out.writeInt(items.size());
        for (VersionedItem item : items) {
            out.writeUtf(item.key());
            out.writeLong(item.version());
            writeBytes(out, item.value());
        }
    }

    private static void writeDigests(ContentWriter out, List<ItemDigest> digests) {
        out.writeInt(digests.size());
        for (ItemDigest digest : digests) {
            out.writeUtf(digest.key());
            out.writeLong(digest.version());
        }
    }
}
