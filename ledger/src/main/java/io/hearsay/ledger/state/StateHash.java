package io.hearsay.ledger.state;

import io.hearsay.identity.Hashes;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An order-independent hash of a set of state entries: the sum modulo 2^256 of SHA-256 of each
 * (namespace, key, value, version). Adding or removing one entry is O(1), so a commit updates it per
 * write, and two ledgers with the same entries have the same hash however they got there.
 *
 * <p>This additive multiset hash detects divergence between honest peers (bugs, corruption, missed
 * blocks). It is not collision-resistant against an adversary who chooses entries freely (generalised
 * birthday attacks on sums); a lattice hash such as LtHash is the upgrade if that threat matters.
 */
public final class StateHash {
    public static final int LENGTH_BYTES = 32;
    private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);

    private BigInteger sum;

    private StateHash(BigInteger sum) {
        this.sum = sum;
    }

    public static StateHash empty() {
        return new StateHash(BigInteger.ZERO);
    }

    public static StateHash of(byte[] bytes) {
        if (bytes.length != LENGTH_BYTES) {
            throw new IllegalArgumentException("a state hash is " + LENGTH_BYTES + " bytes, got " + bytes.length);
        }
        return new StateHash(new BigInteger(1, bytes));
    }

    public StateHash copy() {
        return new StateHash(sum);
    }

    public void add(String namespace, String key, byte[] value, long blockNumber, long transactionNumber) {
        sum = sum.add(entryHash(namespace, key, value, blockNumber, transactionNumber)).mod(MODULUS);
    }

    public void remove(String namespace, String key, byte[] value, long blockNumber, long transactionNumber) {
        sum = sum.subtract(entryHash(namespace, key, value, blockNumber, transactionNumber)).mod(MODULUS);
    }

    public byte[] toBytes() {
        byte[] magnitude = sum.toByteArray();
        byte[] out = new byte[LENGTH_BYTES];
        // toByteArray may carry a leading sign byte or be shorter than 32 bytes: right-align the low 32.
        int copy = Math.min(magnitude.length, LENGTH_BYTES);
        System.arraycopy(magnitude, magnitude.length - copy, out, LENGTH_BYTES - copy, copy);
        return out;
    }

    /** Length-prefixed fields, so no two different entries hash the same bytes. */
    private static BigInteger entryHash(String namespace, String key, byte[] value, long blockNumber, long transactionNumber) {
        byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(4 + ns.length + 4 + k.length + 4 + value.length + 16);
        buffer.putInt(ns.length).put(ns).putInt(k.length).put(k).putInt(value.length).put(value)
                .putLong(blockNumber).putLong(transactionNumber);
        return new BigInteger(1, Hashes.sha256(buffer.array()));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StateHash that && sum.equals(that.sum);
    }

    @Override
    public int hashCode() {
        return sum.hashCode();
    }

    @Override
    public String toString() {
        return java.util.HexFormat.of().formatHex(toBytes());
    }
}
