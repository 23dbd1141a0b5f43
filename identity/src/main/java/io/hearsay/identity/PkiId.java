package io.hearsay.identity;

import com.google.protobuf.ByteString;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A peer's identifier in gossip and discovery: SHA-256 over its MSP id and its certificate bytes, as
 * Fabric computes it ({@code GetPKIidOfCert}). A renewed certificate therefore gives a new PKI-ID.
 *
 * <p>Comparable, so peer tables can be sorted maps and every decision iterates them in one order.
 */
public final class PkiId implements Comparable<PkiId> {
    public static final int LENGTH_BYTES = 32;
    /** The ID's length in 8-byte words ({@link #word}). */
    public static final int LENGTH_WORDS = LENGTH_BYTES / 8;
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] bytes;
    private final int hash;

    private PkiId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = mix(bytes);
    }

    /**
     * A hash that spreads every byte over all 32 bits. {@code Arrays.hashCode} would do for SHA-256 ids, but
     * synthetic ids (simulated peers numbered in their first bytes) collide under it and turn hash tables
     * into trees.
     */
    private static int mix(byte[] bytes) {
        long h = 0x9e3779b97f4a7c15L;
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * 0xbf58476d1ce4e5b9L;
            h ^= h >>> 29;
        }
        return (int) (h ^ (h >>> 32));
    }

    /** The PKI-ID of the identity with this MSP id and these certificate bytes (PEM, as serialised). */
    public static PkiId of(String mspId, byte[] certificateBytes) {
        return new PkiId(Hashes.sha256(mspId.getBytes(StandardCharsets.UTF_8), certificateBytes));
    }

    /** A PKI-ID read from the wire; exactly {@value #LENGTH_BYTES} bytes. */
    public static PkiId fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH_BYTES) {
            throw new IllegalArgumentException(
                    "a PKI-ID is " + LENGTH_BYTES + " bytes, got " + bytes.length);
        }
        return new PkiId(bytes.clone());
    }

    public static PkiId fromBytes(ByteString bytes) {
        return fromBytes(bytes.toByteArray());
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    /**
     * Bytes {@code 8 * index} to {@code 8 * index + 7} as a big-endian long ({@code index} 0 to {@link #LENGTH_WORDS}
     * - 1): the ID read without a copy, e.g. into content to be signed.
     */
    public long word(int index) {
        return (long) WORD.get(bytes, 8 * index);
    }

    public ByteString toByteString() {
        return ByteString.copyFrom(bytes);
    }

    @Override
    public int compareTo(PkiId other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PkiId that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Full lower-case hex. */
    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** The first 8 hex digits: enough to tell peers apart in logs and tables. */
    @Override
    public String toString() {
        return toHex().substring(0, 8);
    }
}
