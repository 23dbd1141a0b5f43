package io.hearsay.peer.membership;

import io.hearsay.discovery.auth.ContentWriter;
import io.hearsay.discovery.auth.MessageCodec;
import io.hearsay.discovery.swim.SwimCodec;
import io.hearsay.discovery.swim.SwimMessage;

/**
 * The signed content of a membership message: an empty channel id, the tag {@value #TAG}, then SWIM's own signed
 * content ({@link SwimCodec#MESSAGES}: kind, fields, every piggybacked update with its signature). Channel protocols
 * sign their (never empty) channel id first and the overlay its own tag 0x4F after an empty one, so no other
 * protocol's signature verifies as a membership message or the other way round.
 */
public final class MembershipCodec implements MessageCodec<SwimMessage> {
    /** 'M'. */
    static final int TAG = 0x4D;

    @Override
    public byte[] signedContent(SwimMessage message) {
        ContentWriter out = new ContentWriter(128);
        writeSignedContent(message, out);
        return out.toByteArray();
    }

    @Override
    public void writeSignedContent(SwimMessage message, ContentWriter out) {
        out.writeUtf("");
        out.writeByte(TAG);
        SwimCodec.MESSAGES.writeSignedContent(message, out);
    }
}
