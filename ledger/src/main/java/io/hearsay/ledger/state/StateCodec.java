package io.hearsay.ledger.state;

import com.google.protobuf.ByteString;
import io.hearsay.ledger.Version;
import io.hearsay.ledger.VersionedValue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How state entries are laid out in the STATE keyspace.
 *
 * <pre>
 * key   = namespace UTF-8 ‖ 0x00 ‖ key UTF-8     (namespaces contain no NUL, so each is a contiguous range)
 * value = block number (8, big-endian) ‖ transaction number (8, big-endian) ‖ value bytes
 * </pre>
 */
public final class StateCodec {
    /** Bytes of the version that starts every stored value; the value itself follows. */
    public static final int VERSION_BYTES = 16;

    private StateCodec() {}

    public static byte[] key(String namespace, String key) {
        byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[ns.length + 1 + k.length];
        System.arraycopy(ns, 0, out, 0, ns.length);
        System.arraycopy(k, 0, out, ns.length + 1, k.length);
        return out;
    }

    /** Compares two user keys in the state's order: their UTF-8 bytes, unsigned (not UTF-16 units, as {@link String#compareTo}). */
    public static int compareKeys(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** The first key after every key of {@code namespace}. */
    public static byte[] namespaceEnd(String namespace) {
        byte[] start = key(namespace, "");
        start[start.length - 1] = 1;
        return start;
    }

    /** The user key of a stored key of {@code namespace}. */
    public static String userKey(String namespace, byte[] storedKey) {
        int prefix = namespace.getBytes(StandardCharsets.UTF_8).length + 1;
        return new String(storedKey, prefix, storedKey.length - prefix, StandardCharsets.UTF_8);
    }

    public static byte[] value(byte[] value, Version version) {
        return ByteBuffer.allocate(VERSION_BYTES + value.length)
                .putLong(version.blockNumber()).putLong(version.transactionNumber()).put(value).array();
    }

    /** As {@link #value(byte[], Version)}, copying the value straight from where it lies (a parsed write set). */
    public static byte[] value(ByteString value, Version version) {
        byte[] stored = new byte[VERSION_BYTES + value.size()];
        ByteBuffer.wrap(stored).putLong(version.blockNumber()).putLong(version.transactionNumber());
        value.copyTo(stored, VERSION_BYTES);
        return stored;
    }

    public static VersionedValue decode(byte[] stored) {
        Version version = version(stored);
        return new VersionedValue(ByteString.copyFrom(stored, VERSION_BYTES, stored.length - VERSION_BYTES), version);
    }

    /** The version of a stored value, without copying the value out: what MVCC compares. */
    public static Version version(byte[] stored) {
        if (stored.length < VERSION_BYTES) {
            throw new IllegalStateException("stored state value is " + stored.length + " bytes, shorter than its version");
        }
        ByteBuffer buffer = ByteBuffer.wrap(stored);
        return new Version(buffer.getLong(), buffer.getLong());
    }

    public static byte[] rawValue(byte[] stored) {
        return Arrays.copyOfRange(stored, VERSION_BYTES, stored.length);
    }
}
