package io.hearsay.peer.election;

import io.hearsay.discovery.auth.ContentWriter;
import io.hearsay.discovery.auth.MessageCodec;
import io.hearsay.discovery.election.ElectionMessage;

/**
 * The signed content of an election message on one channel: the channel id, a type tag, then the fields the
 * election acts on. The tag ({@value #TAG}) is outside the range block gossip uses (1–8, after the same channel id),
 * so a signature over a block message never verifies as an election message or the other way round; the channel id
 * binds a declaration to its channel, so a leader of one channel cannot be replayed as a leader of another.
 */
public final class ElectionCodec implements MessageCodec<ElectionMessage> {
    /** 'E'; block messages are tagged 1 to 8. */
    static final int TAG = 0x45;

    private final String channel;

    private ElectionCodec(String channel) {
        this.channel = channel;
    }

    public static ElectionCodec forChannel(String channel) {
        return new ElectionCodec(channel);
    }

    @Override
    public byte[] signedContent(ElectionMessage message) {
        ContentWriter out = new ContentWriter(32 + channel.length());
        writeSignedContent(message, out);
        return out.toByteArray();
    }

    @Override
    public void writeSignedContent(ElectionMessage message, ContentWriter out) {
        out.writeUtf(channel);
        out.writeByte(TAG);
        out.writeBoolean(message.leading());
        out.writeLong(message.ledgerHeight());
    }
}
