package io.hearsay.ledger;

import java.util.Arrays;

/**
 * A stored key as a map key: its bytes with their hash computed once. The planner looks every state key of a
 * block up several times (fetched values, the block's own writes, the block before's), and a {@code
 * ByteBuffer} recomputes its hash byte by byte on each lookup: a tenth of a block's planning time.
 *
 * <p>The array is shared, not copied: keys are made by the planner and never changed.
 */
final class StoredKey implements Comparable<StoredKey> {
    private final byte[] bytes;
    private final int hash;

    StoredKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredKey that && hash == that.hash && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Unsigned byte order: the order of the storage's keyspaces. */
    @Override
    public int compareTo(StoredKey other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }
}
