package io.hearsay.gossip.auth;

import com.google.protobuf.ByteString;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.gossip.item.ItemDigest;
import io.hearsay.gossip.item.ItemMessage;
import io.hearsay.gossip.item.VersionedItem;
import io.hearsay.ledger.block.BlockHashing;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/** The signed content of each protocol's messages: a type tag, then every field the receiver acts on. */
public final class Codecs {
    private Codecs() {}

    /** Blocks are represented by their header hash: the data hash binds the body, the orderer the header. */
    public static final MessageCodec<BlockMessage> BLOCKS = message -> write(out -> {
        if (message instanceof BlockMessage.Push push) {
            out.writeByte(1);
            out.writeBoolean(push.forward());
            writeBlockId(out, push.block());
        } else if (message instanceof BlockMessage.Announce announce) {
            out.writeByte(2);
            out.writeLong(announce.number());
            writeBytes(out, announce.headerHash());
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
        } else {
            throw new IllegalArgumentException("no codec for " + message.getClass().getName());
        }
    });

    public static final MessageCodec<ItemMessage> ITEMS = message -> write(out -> {
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

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private static void writeBlockId(DataOutputStream out, Block block) throws IOException {
        out.writeLong(block.getHeader().getNumber());
        out.write(BlockHashing.headerHash(block.getHeader()));
    }

    private static void writeBytes(DataOutputStream out, ByteString bytes) throws IOException {
        out.writeInt(bytes.size());
        bytes.writeTo(out);
    }

    private static void writeItems(DataOutputStream out, List<VersionedItem> items) throws IOException {
        out.writeInt(items.size());
        for (VersionedItem item : items) {
            out.writeUTF(item.key());
            out.writeLong(item.version());
            writeBytes(out, item.value());
        }
    }

    private static void writeDigests(DataOutputStream out, List<ItemDigest> digests) throws IOException {
        out.writeInt(digests.size());
        for (ItemDigest digest : digests) {
            out.writeUTF(digest.key());
            out.writeLong(digest.version());
        }
    }
}
