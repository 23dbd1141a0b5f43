package io.hearsay.ledger.state;

import io.hearsay.identity.Hashes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * An order-independent hash of a set of state entries: the sum modulo 2^256 of SHA-256 of each
 * (namespace, key, value, version). Adding or removing one entry is O(1), so a commit updates it per
 * write, and two ledgers with the same entries have the same hash however they got there.
 *
 * <p>This additive multiset hash detects divergence between honest peers (bugs, corruption, missed
 * blocks). It is not collision-resistant against an adversary who chooses entries freely (generalised
 * birthday attacks on sums); a lattice hash such as LtHash is the upgrade if that threat matters.
 *
 * <p>The sum is kept as four 64-bit limbs, most significant first, and added with carries: a commit
 * updates it for every state write, and the BigInteger arithmetic it replaces (allocating, then reducing
 * modulo 2^256 by long division) cost more than the SHA-256 of the entry. Not thread-safe.
 */
public final class StateHash {
    public static final int LENGTH_BYTES = 32;
    private static final int LIMBS = LENGTH_BYTES / Long.BYTES;

    /** Big-endian limbs: {@code sum[0]} holds the most significant 64 bits. */
    private final long[] sum;
    /** Reused for every entry of this instance; created on first use. */
    private MessageDigest digest;
    private byte[] entryBytes = new byte[0];
    private final byte[] entryHash = new byte[LENGTH_BYTES];

    private StateHash(long[] sum) {
        this.sum = sum;
    }

    public static StateHash empty() {
        return new StateHash(new long[LIMBS]);
    }

    public static StateHash of(byte[] bytes) {
        if (bytes.length != LENGTH_BYTES) {
            throw new IllegalArgumentException("a state hash is " + LENGTH_BYTES + " bytes, got " + bytes.length);
        }
        long[] sum = new long[LIMBS];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        for (int i = 0; i < LIMBS; i++) {
            sum[i] = buffer.getLong();
        }
        return new StateHash(sum);
    }

    public StateHash copy() {
        return new StateHash(sum.clone());
    }

    public void add(String namespace, String key, byte[] value, long blockNumber, long transactionNumber) {
        add(namespace, key, value, 0, value.length, blockNumber, transactionNumber);
    }

    /** As {@link #add(String, String, byte[], long, long)} for the value {@code value[offset, offset + length)}. */
    public void add(String namespace, String key, byte[] value, int offset, int length, long blockNumber,
            long transactionNumber) {
        hashEntry(namespace, key, value, offset, length, blockNumber, transactionNumber);
        long carry = 0;
        for (int i = LIMBS - 1; i >= 0; i--) {
            long addend = limb(i);
            long partial = sum[i] + addend;
            long total = partial + carry;
            // Unsigned overflow of either addition carries one into the next limb (at most one of them can).
            carry = (Long.compareUnsigned(partial, addend) < 0 || Long.compareUnsigned(total, partial) < 0) ? 1 : 0;
            sum[i] = total;
        }
        // The carry out of the top limb is the 2^256 that the modulus drops.
    }

    public void remove(String namespace, String key, byte[] value, long blockNumber, long transactionNumber) {
        remove(namespace, key, value, 0, value.length, blockNumber, transactionNumber);
    }

    /** As {@link #remove(String, String, byte[], long, long)} for the value {@code value[offset, offset + length)}. */
    public void remove(String namespace, String key, byte[] value, int offset, int length, long blockNumber,
            long transactionNumber) {
        hashEntry(namespace, key, value, offset, length, blockNumber, transactionNumber);
        long borrow = 0;
        for (int i = LIMBS - 1; i >= 0; i--) {
            long subtrahend = limb(i);
            long partial = sum[i] - subtrahend;
            long total = partial - borrow;
            borrow = (Long.compareUnsigned(sum[i], subtrahend) < 0 || Long.compareUnsigned(partial, borrow) < 0) ? 1 : 0;
            sum[i] = total;
        }
        // A borrow out of the top limb is the 2^256 that the modulus adds.
    }

    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(LENGTH_BYTES);
        for (long limb : sum) {
            out.putLong(limb);
        }
        return out.array();
    }

    /**
     * SHA-256 of the length-prefixed fields into {@link #entryHash}, so no two different entries hash the
     * same bytes: int32 namespace length ‖ namespace ‖ int32 key length ‖ key ‖ int32 value length ‖ value
     * ‖ int64 block number ‖ int64 transaction number, all big-endian.
     */
    private void hashEntry(String namespace, String key, byte[] value, int offset, int length, long blockNumber,
            long transactionNumber) {
        byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int size = 4 + ns.length + 4 + k.length + 4 + length + 16;
        if (entryBytes.length < size) {
            entryBytes = new byte[Math.max(size, 2 * entryBytes.length)];
        }
        ByteBuffer buffer = ByteBuffer.wrap(entryBytes);
        buffer.putInt(ns.length).put(ns).putInt(k.length).put(k).putInt(length).put(value, offset, length)
                .putLong(blockNumber).putLong(transactionNumber);
        if (digest == null) {
            digest = Hashes.sha256();
        }
        digest.update(entryBytes, 0, size);
        try {
            digest.digest(entryHash, 0, LENGTH_BYTES);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 writes 32 bytes into 32", e);
        }
    }

    /** Limb {@code i} of {@link #entryHash}, read big-endian like the sum. */
    private long limb(int i) {
        long value = 0;
        for (int b = i * Long.BYTES; b < (i + 1) * Long.BYTES; b++) {
            value = (value << 8) | (entryHash[b] & 0xFF);
        }
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StateHash that && Arrays.equals(sum, that.sum);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sum);
    }

    @Override
    public String toString() {
        return java.util.HexFormat.of().formatHex(toBytes());
    }
}
