package io.hearsay.identity;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, the one hash of the system (transaction ids, block hashes, PKI-IDs, signatures). */
public final class Hashes {
    /**
     * Never updated: only cloned. {@code MessageDigest.getInstance} looks the algorithm up in the provider
     * list and builds the engine by reflection on every call, which cost more than hashing a short key
     * (the state hash digests every state write of a block); a clone copies a few small arrays.
     */
    private static final MessageDigest SHA256_PROTOTYPE = newSha256();
    /**
     * One digest per thread for the one-shot hashes below, which reset it by finishing: a digest fed a
     * read-only buffer copies it through a 4 KiB array of its own, which a fresh digest per call would
     * allocate every time (the transaction id and proposal hash of every transaction).
     */
    private static final ThreadLocal<MessageDigest> ONE_SHOT = ThreadLocal.withInitial(Hashes::sha256);

    private Hashes() {}

    /** A fresh SHA-256 digest, for callers that hash in several steps. */
    public static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256(); // a provider whose engine cannot be cloned: correct, only slower
        }
    }

    public static byte[] sha256(byte[] data) {
        return ONE_SHOT.get().digest(data);
    }

    /** SHA-256 over the concatenation of the parts, without building the concatenation. */
    public static byte[] sha256(byte[]... parts) {
        MessageDigest digest = ONE_SHOT.get();
        try {
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (RuntimeException | Error e) {
            digest.reset(); // a null part: the next caller on this thread must start from scratch
            throw e;
        }
    }

    /**
     * SHA-256 over the concatenation of the parts, without copying them into arrays first: a part of a
     * parsed message is often a view into a larger buffer, and a signed transaction payload is kilobytes.
     */
    public static byte[] sha256(ByteString... parts) {
        MessageDigest digest = ONE_SHOT.get();
        try {
            for (ByteString part : parts) {
                update(digest, part);
            }
            return digest.digest();
        } catch (RuntimeException | Error e) {
            digest.reset(); // a null part: the next caller on this thread must start from scratch
            throw e;
        }
    }

    /** Feeds {@code bytes} to {@code digest} piece by piece as it is stored, without flattening it. */
    static void update(MessageDigest digest, ByteString bytes) {
        for (ByteBuffer piece : bytes.asReadOnlyByteBufferList()) {
            digest.update(piece);
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
