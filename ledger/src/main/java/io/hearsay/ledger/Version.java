package io.hearsay.ledger;

/**
 * The version of a state entry: the block and the position in it of the transaction that last wrote it.
 * Comparable in commit order. Both parts are unsigned on the wire (Fabric's {@code kvrwset.Version}).
 */
public record Version(long blockNumber, long transactionNumber) implements Comparable<Version> {
    @Override
    public int compareTo(Version other) {
        int byBlock = Long.compareUnsigned(blockNumber, other.blockNumber);
        return byBlock != 0 ? byBlock : Long.compareUnsigned(transactionNumber, other.transactionNumber);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(blockNumber) + ":" + Long.toUnsignedString(transactionNumber);
    }
}
