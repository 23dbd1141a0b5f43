package io.hearsay.discovery.swim;

import io.hearsay.discovery.auth.ContentWriter;
import io.hearsay.discovery.auth.MessageCodec;
import java.util.List;

/**
 * The signed content of SWIM messages for an {@link io.hearsay.discovery.auth.AuthenticatedChannel}: a type
 * tag, every field the receiver acts on, and each piggybacked update in full (its own signed content and its
 * signature), so the envelope's signature also binds what the sender chose to relay.
 */
public final class SwimCodec {
    private SwimCodec() {}

    public static final MessageCodec<SwimMessage> MESSAGES = new MessageCodec<>() {
        @Override
        public byte[] signedContent(SwimMessage message) {
            ContentWriter out = new ContentWriter(128);
            writeSignedContent(message, out);
            return out.toByteArray();
        }

        @Override
        public void writeSignedContent(SwimMessage message, ContentWriter out) {
            if (message instanceof SwimMessage.Ping ping) {
                out.writeByte(1);
                out.writeLong(ping.probeId());
            } else if (message instanceof SwimMessage.Ack ack) {
                out.writeByte(2);
                out.writeLong(ack.probeId());
            } else if (message instanceof SwimMessage.PingRequest request) {
                out.writeByte(3);
                out.writeLong(request.probeId());
                out.write(request.target().toBytes());
            } else if (message instanceof SwimMessage.Gossip) {
                out.writeByte(4);
            } else if (message instanceof SwimMessage.Sync sync) {
                out.writeByte(5);
                out.writeBoolean(sync.replyWanted());
                writeUpdates(out, sync.records());
                return;
            } else {
                throw new IllegalArgumentException("no codec for " + message.getClass().getName());
            }
            writeUpdates(out, message.updates());
        }
    };

    private static void writeUpdates(ContentWriter out, List<? extends MemberUpdate> updates) {
        out.writeInt(updates.size());
        for (MemberUpdate update : updates) {
            if (update instanceof AliveRecord record) {
                out.writeByte(1);
                record.writeSignedContent(out);
                out.writeInt(record.signature().length);
                out.write(record.signature());
            } else if (update instanceof Accusation accusation) {
                out.writeByte(2);
                accusation.writeSignedContent(out);
                out.writeInt(accusation.signature().length);
                out.write(accusation.signature());
            }
        }
    }
}
