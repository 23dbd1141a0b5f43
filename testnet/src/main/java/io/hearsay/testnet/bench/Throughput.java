package io.hearsay.testnet.bench;

/**
 * One timed run: how many blocks, transactions and block bytes in how long, and how busy the machine was
 * with other work meanwhile.
 *
 * @param validTransactions VALID transactions the ledger reported, or -1 where nothing validates (raw import)
 * @param otherCores cores' worth of CPU other processes used during the run (NaN if unknown); near 0 on a
 *     quiet machine, and a run with much more is not representative
 */
record Throughput(int blocks, long transactions, long blockBytes, long nanos, long validTransactions, double otherCores) {
    static final long NOT_VALIDATED = -1;

    double seconds() {
        return nanos / 1e9;
    }

    double blocksPerSecond() {
        return blocks / seconds();
    }

    double transactionsPerSecond() {
        return transactions / seconds();
    }

    /** Decimal megabytes (10^6 bytes) of serialised blocks per second. */
    double megabytesPerSecond() {
        return blockBytes / 1e6 / seconds();
    }
}
