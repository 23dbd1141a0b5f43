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
    private static final int VERSION_BYTES = 16;

    private StateCodec() {}

    public static byte[] key(String namespace, String key) {
        byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[ns.length + 1 + k.length];
        System.arraycopy(ns, 0, out, 0, ns.length);
        System.arraycopy(k, 0, out, ns.length + 1, k.length);
        return out;
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

    public static VersionedValue decode(byte[] stored) {
        if (stored.length < VERSION_BYTES) {
            throw new IllegalStateException("stored state value is " + stored.length + " bytes, shorter than its version");
        }
        ByteBuffer buffer = ByteBuffer.wrap(stored);
        Version version = new Version(buffer.getLong(), buffer.getLong());
        return new VersionedValue(ByteString.copyFrom(stored, VERSION_BYTES, stored.length - VERSION_BYTES), version);
    }

    public static byte[] rawValue(byte[] stored) {
        return Arrays.copyOfRange(stored, VERSION_BYTES, stored.length);
    }
}
