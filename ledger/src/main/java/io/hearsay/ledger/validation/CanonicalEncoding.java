package io.hearsay.ledger.validation;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import java.nio.ByteBuffer;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;

/**
 * The CVE-2023-46132 rule: a block's data hash is a plain concatenation, so it does not fix where one
 * transaction ends and the next begins, and an entry that re-marshals differently could be read differently
 * by two peers. Every entry must therefore be exactly the bytes of the envelope it parses to, and the
 * envelope's payload exactly the bytes of the payload it parses to. A block with one such entry is rejected
 * whole ({@code NON_CANONICAL_TRANSACTION}).
 *
 * <p>{@link TransactionValidator} applies it to the envelope and payload it parses anyway, on the check
 * threads; {@link #problem(ByteString)} parses for itself, for callers without a parsed envelope.
 */
public final class CanonicalEncoding {
    private CanonicalEncoding() {}

    /** Null if {@code entry} is a canonically encoded envelope with a canonically encoded payload; else why not. */
    public static String problem(ByteString entry) {
        try {
            Envelope envelope = Envelope.parseFrom(entry);
            return problem(entry, envelope, Payload.parseFrom(envelope.getPayload()));
        } catch (InvalidProtocolBufferException e) {
            return notAnEnvelope(e);
        }
    }

    /** As {@link #problem(ByteString)}, for an entry already parsed into {@code envelope} and {@code payload}. */
    static String problem(ByteString entry, Envelope envelope, Payload payload) {
        if (!marshalsTo(envelope, entry) || !marshalsTo(payload, envelope.getPayload())) {
            return "does not re-marshal to its own bytes (CVE-2023-46132)";
        }
        return null;
    }

    /**
     * Whether {@code message} serialises to exactly {@code bytes}. Compared as buffers because ByteString's
     * own equals compares byte by byte in a loop, which at 7 KB per transaction was a third of a block's
     * non-signature checks; ByteBuffer's compares many bytes per instruction.
     */
    private static boolean marshalsTo(MessageLite message, ByteString bytes) {
        return message.getSerializedSize() == bytes.size()
                && ByteBuffer.wrap(message.toByteArray()).equals(bytes.asReadOnlyByteBuffer());
    }

    static String notAnEnvelope(InvalidProtocolBufferException e) {
        return "is not an envelope: " + e.getMessage();
    }
}
