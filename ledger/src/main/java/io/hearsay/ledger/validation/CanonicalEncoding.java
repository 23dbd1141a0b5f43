package io.hearsay.ledger.validation;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import java.io.IOException;
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

    /**
     * Re-marshalled messages up to this size are written into a buffer kept per thread; bigger ones get a
     * buffer of their own. A transaction is a few KiB, so this bounds the memory kept to 256 KiB per
     * checking thread while no common entry allocates.
     */
    static final int SCRATCH_BYTES_MAX = 256 * 1024;

    private static final ThreadLocal<byte[][]> SCRATCH = ThreadLocal.withInitial(() -> new byte[][] {new byte[0]});

    /** Null if {@code entry} is a canonically encoded envelope with a canonically encoded payload; else why not. */
    public static String problem(ByteString entry) {
        try {
            Envelope envelope = Protos.parse(Envelope.parser(), entry);
            return problem(entry, envelope, Protos.parse(Payload.parser(), envelope.getPayload()));
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
     * Whether {@code message} serialises to exactly {@code bytes}. The message is written into a reused
     * buffer rather than a fresh array (14 KB to allocate, zero and collect per transaction for the envelope
     * and its payload), and compared as buffers, many bytes per instruction; ByteString's own equals compares
     * byte by byte, which at 7 KB per transaction was a third of a block's non-signature checks.
     */
    private static boolean marshalsTo(MessageLite message, ByteString bytes) {
        int size = message.getSerializedSize();
        if (size != bytes.size()) {
            return false;
        }
        byte[] buffer = scratch(size);
        CodedOutputStream output = CodedOutputStream.newInstance(buffer, 0, size);
        try {
            message.writeTo(output);
            output.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException("writing " + size + " bytes into an array of " + buffer.length + " failed", e);
        }
        return ByteBuffer.wrap(buffer, 0, size).equals(bytes.asReadOnlyByteBuffer());
    }

    private static byte[] scratch(int size) {
        if (size > SCRATCH_BYTES_MAX) {
            return new byte[size];
        }
        byte[][] holder = SCRATCH.get();
        if (holder[0].length < size) {
            holder[0] = new byte[Math.min(SCRATCH_BYTES_MAX, Math.max(size, 2 * holder[0].length))];
        }
        return holder[0];
    }

    static String notAnEnvelope(InvalidProtocolBufferException e) {
        return "is not an envelope: " + e.getMessage();
    }
}
