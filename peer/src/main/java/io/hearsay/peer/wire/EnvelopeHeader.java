package io.hearsay.peer.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hearsay.identity.PkiId;
import io.hearsay.proto.gossip.SignedEnvelope;

/**
 * What every {@code SignedEnvelope} carries whatever protocol's message is inside: the channel it is addressed to,
 * the signer, its sequence number and signature. The signer is not on the wire: every envelope travels on the link of
 * the neighbour that signed it (a receiver refuses any other), and the handshake has authenticated that neighbour, so
 * sending its 32-byte PKI-ID again in each message would say nothing new; the receiver takes the link's. The signature
 * still covers the signer's PKI-ID, so an envelope moved onto another neighbour's link fails its check. Checked
 * strictly here once, so the block, election and overlay codecs refuse a malformed header with the same reasons; overlay
 * envelopes are node-level and name no channel.
 */
record EnvelopeHeader(String channel, PkiId signer, long sequence, byte[] signature) {
    /** An ECDSA P-256 signature is 64 bytes as sent (r ‖ s), at most 72 in DER; room for any curve we might add. */
    static final int SIGNATURE_BYTES_MAX = 144;
    /** Fabric limits channel names to 249 characters. */
    static final int CHANNEL_CHARS_MAX = 249;

    static SignedEnvelope parse(ByteString bytes) throws MalformedMessageException {
        try {
            return SignedEnvelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedMessageException("envelope does not parse: " + e.getMessage());
        }
    }

    static EnvelopeHeader of(SignedEnvelope envelope, PkiId link) throws MalformedMessageException {
        EnvelopeHeader header = signed(envelope, link);
        if (envelope.getChannel().isEmpty() || envelope.getChannel().length() > CHANNEL_CHARS_MAX) {
            throw new MalformedMessageException("channel id is empty or longer than " + CHANNEL_CHARS_MAX + " characters");
        }
        return header;
    }

    /**
     * The header of a node-level envelope (the overlay), which belongs to no channel: its channel must be empty, so
     * a channel protocol's envelope is never taken for one and the other way round.
     */
    static EnvelopeHeader nodeLevel(SignedEnvelope envelope, PkiId link) throws MalformedMessageException {
        if (!envelope.getChannel().isEmpty()) {
            throw new MalformedMessageException("a node-level message names channel '" + abbreviate(envelope.getChannel())
                    + "'; it must name none");
        }
        return signed(envelope, link);
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }

    /**
     * Signer, signature, body and sequence: what every envelope, channel-bound or not, must have right. The signer is
     * {@code link}, the neighbour whose link the envelope came on, unless the envelope names one (then it must be a
     * PKI-ID, and the channel refuses it if it is not the link's).
     */
    private static EnvelopeHeader signed(SignedEnvelope envelope, PkiId link) throws MalformedMessageException {
        int signerBytes = envelope.getSigner().size();
        if (signerBytes != 0 && signerBytes != PkiId.LENGTH_BYTES) {
            throw new MalformedMessageException("signer is " + signerBytes + " bytes, not a " + PkiId.LENGTH_BYTES
                    + "-byte PKI-ID (or none: the link's)");
        }
        int signatureBytes = envelope.getSignature().size();
        if (signatureBytes == 0 || signatureBytes > SIGNATURE_BYTES_MAX) {
            throw new MalformedMessageException("signature is " + signatureBytes + " bytes");
        }
        if (envelope.getBodyCase() == SignedEnvelope.BodyCase.BODY_NOT_SET) {
            throw new MalformedMessageException("envelope carries no message");
        }
        // The sequence is uint64 on the wire but a signed long in the replay window, whose arithmetic wraps
        // above 2^63: a neighbour choosing such a sequence made the window index past its array, an exception
        // on the protocol thread that was logged as a task failure but neither counted nor closed the link.
        long sequence = number("sequence", envelope.getSequence());
        PkiId signer = signerBytes == 0 ? link : PkiId.fromBytes(envelope.getSigner());
        return new EnvelopeHeader(envelope.getChannel(), signer, sequence,
                envelope.getSignature().toByteArray());
    }

    /** Block numbers, heights and sequences are unsigned on the wire; above 2^63 they are not numbers we can hold. */
    static long number(String field, long value) throws MalformedMessageException {
        if (value < 0) {
            throw new MalformedMessageException(field + " " + Long.toUnsignedString(value) + " is out of range");
        }
        return value;
    }
}
