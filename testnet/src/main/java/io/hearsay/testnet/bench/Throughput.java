package io.hearsay.testnet.bench;

/**
 * One timed run: how many blocks, transactions and block bytes in how long, and how busy the machine was
 * with other work meanwhile.
 *
 * @param validTransactions VALID transactions the ledger reported, or -1 where nothing validates (raw import)
 * @param otherCores cores' worth of CPU other processes used during the run (NaN if unknown); near 0 on a
 *     quiet machine, and a run with much more is not representative
 * @param processCpuNanos CPU time of all this process's threads during the run, or {@link RunTimer#UNKNOWN}
 * @param callerCpuNanos CPU time of the thread that made the run (the committer, or raw import's writer), or
 *     {@link RunTimer#UNKNOWN}
 */
record Throughput(int blocks, long transactions, long blockBytes, long nanos, long validTransactions, double otherCores,
        long processCpuNanos, long callerCpuNanos) {
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

    /** Milliseconds of CPU per block over all the process's threads; NaN if unknown. */
    double cpuMillisPerBlock() {
        return perBlockMillis(processCpuNanos);
    }

    /** Milliseconds of CPU per block of the thread that made the run; NaN if unknown. */
    double callerCpuMillisPerBlock() {
        return perBlockMillis(callerCpuNanos);
    }

    double wallMillisPerBlock() {
        return perBlockMillis(nanos);
    }

    private double perBlockMillis(long totalNanos) {
        return totalNanos == RunTimer.UNKNOWN ? Double.NaN : totalNanos / 1e6 / blocks;
    }
}
