package io.hearsay.peer.contract;

/**
 * Bounds on what one contract invocation may read while it is simulated, so a contract cannot make an endorsing
 * peer hold an unbounded part of the state in memory, nor produce a read-write set the committer would refuse.
 *
 * @param rangeEntriesMax the most entries one {@link ContractStub#range} call returns; default
 *     {@link #DEFAULT_RANGE_ENTRIES_MAX}. A whole-range read of more is refused with a {@link ContractException}
 *     telling the contract to page; a paged read asks for at most this many.
 */
public record SimulationLimits(int rangeEntriesMax) {
    /**
     * 10,000 entries: a few megabytes of keys and values at typical sizes, and, as raw reads in the transaction,
     * a tenth of the most the committer accepts in one transaction (the ledger's {@code
     * RANGE_READS_PER_TRANSACTION_MAX}, 100,000), so a contract may read ten such ranges in one invocation.
     */
    public static final int DEFAULT_RANGE_ENTRIES_MAX = 10_000;
    /** The ledger refuses a transaction with more range-query reads than this, so a larger limit is a mistake. */
    public static final int RANGE_ENTRIES_MAX_LIMIT = 100_000;

    public SimulationLimits {
        if (rangeEntriesMax < 1 || rangeEntriesMax > RANGE_ENTRIES_MAX_LIMIT) {
            throw new IllegalArgumentException("rangeEntriesMax is " + rangeEntriesMax + "; it must be between 1 and "
                    + RANGE_ENTRIES_MAX_LIMIT + " entries, the most range reads the ledger accepts per transaction");
        }
    }

    /** A range read of up to {@link #DEFAULT_RANGE_ENTRIES_MAX} entries. */
    public static SimulationLimits defaults() {
        return new SimulationLimits(DEFAULT_RANGE_ENTRIES_MAX);
    }
}
