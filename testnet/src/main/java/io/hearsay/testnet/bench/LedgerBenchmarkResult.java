package io.hearsay.testnet.bench;

/**
 * The ledger benchmark's figures, the bound and ratios derived from them, and the foundation issue's
 * targets they are judged against.
 *
 * <p>Which path a target is judged on: (b) is "the path a catch-up takes when blocks come from a verified
 * chain", which is {@code Ledger.commitAll}; (c) is judged on {@code commitAll} too (a backlog of blocks to
 * validate in full, e.g. a catch-up from untrusted peers) and also reported, and checked, per block.
 *
 * @param meanBlockBytes mean serialised size of a timed block
 * @param generatedValidTransactions VALID transactions when the chain was generated (all, by construction)
 * @param blockLevelRuns (b) with {@code Ledger.commit} per block
 * @param blockLevelBatchedRuns (b) with one {@code Ledger.commitAll} over the chain
 * @param fullRuns (c) with {@code Ledger.commit} per block
 * @param fullBatchedRuns (c) with one {@code Ledger.commitAll} over the chain
 * @param verifyRuns single-core ECDSA P-256 verifications per second
 */
public record LedgerBenchmarkResult(Machine machine, LedgerBenchmark.Config config, double meanBlockBytes,
        long generatedValidTransactions, RepeatedRuns<Throughput> rawImportRuns, RepeatedRuns<Throughput> blockLevelRuns,
        RepeatedRuns<Throughput> blockLevelBatchedRuns, RepeatedRuns<Throughput> fullRuns,
        RepeatedRuns<Throughput> fullBatchedRuns, RepeatedRuns<SignatureRate.Rate> verifyRuns, LedgerMemory.Result memory) {

    /** (b) must commit at least this many transactions per second with a durable write per block. */
    static final double BLOCK_LEVEL_TX_PER_SECOND_MIN = 20_000;
    /** (b) must reach this share of (a): validation without signatures should cost little next to the disk. */
    static final double BLOCK_TO_RAW_MIN = 0.8;
    /** (c) must reach this share of the signature bound: everything but signatures should hide behind them. */
    static final double FULL_TO_BOUND_MIN = 0.8;
    /** 100 open ledgers must fit, with the JVM, in this much resident memory. */
    static final long MEMORY_TOTAL_BYTES_MAX = 1L << 30;
    /** The memory target is stated for this many ledgers. */
    static final int MEMORY_TARGET_LEDGERS = 100;

    /** Signatures verified per transaction by full validation (creator + endorsements). */
    int signaturesPerTransaction() {
        return BenchmarkChain.SIGNATURES_PER_TRANSACTION;
    }

    Throughput rawImport() {
        return rawImportRuns.representative();
    }

    Throughput blockLevel() {
        return blockLevelRuns.representative();
    }

    Throughput blockLevelBatched() {
        return blockLevelBatchedRuns.representative();
    }

    Throughput full() {
        return fullRuns.representative();
    }

    Throughput fullBatched() {
        return fullBatchedRuns.representative();
    }

    SignatureRate.Rate verifyRate() {
        return verifyRuns.representative();
    }

    double verifiesPerSecond() {
        return verifyRate().verifiesPerSecond();
    }

    /** The most (c) could do if signatures were all it did: verify rate × cores ÷ signatures per transaction. */
    double fullBoundTransactionsPerSecond() {
        return verifiesPerSecond() * machine.cores() / signaturesPerTransaction();
    }

    double blockToRaw() {
        return blockLevel().transactionsPerSecond() / rawImport().transactionsPerSecond();
    }

    double blockBatchedToRaw() {
        return blockLevelBatched().transactionsPerSecond() / rawImport().transactionsPerSecond();
    }

    double fullToBound() {
        return full().transactionsPerSecond() / fullBoundTransactionsPerSecond();
    }

    double fullBatchedToBound() {
        return fullBatched().transactionsPerSecond() / fullBoundTransactionsPerSecond();
    }

    /**
     * The least wall time per block (b)'s commitAll could have taken with the CPU it used: no run is faster per
     * block than its committing thread's CPU, nor than its process's CPU spread over every core. NaN if unknown.
     */
    double blockBatchedFloorMillis() {
        Throughput batched = blockLevelBatched();
        return Math.max(batched.callerCpuMillisPerBlock(), batched.cpuMillisPerBlock() / machine.cores());
    }

    /**
     * The most (b)/(a) could have been at the CPU (b)'s commitAll used ({@link #blockBatchedFloorMillis}). Below the
     * target, meeting it needs less CPU per block, not better overlap.
     */
    double blockBatchedToRawCpuCeiling() {
        return rawImport().wallMillisPerBlock() / blockBatchedFloorMillis();
    }

    /** How much faster commitAll is than commit per block at block level, both measured in this run. */
    double blockBatchedSpeedUp() {
        return blockLevelBatched().transactionsPerSecond() / blockLevel().transactionsPerSecond();
    }

    double fullBatchedSpeedUp() {
        return fullBatched().transactionsPerSecond() / full().transactionsPerSecond();
    }

    boolean blockLevelRateMet() {
        return blockLevelBatched().transactionsPerSecond() >= BLOCK_LEVEL_TX_PER_SECOND_MIN;
    }

    boolean blockToRawMet() {
        return blockBatchedToRaw() >= BLOCK_TO_RAW_MIN;
    }

    boolean fullToBoundMet() {
        return fullBatchedToBound() >= FULL_TO_BOUND_MIN;
    }

    boolean blockLevelRatePerBlockMet() {
        return blockLevel().transactionsPerSecond() >= BLOCK_LEVEL_TX_PER_SECOND_MIN;
    }

    boolean blockToRawPerBlockMet() {
        return blockToRaw() >= BLOCK_TO_RAW_MIN;
    }

    boolean fullToBoundPerBlockMet() {
        return fullToBound() >= FULL_TO_BOUND_MIN;
    }

    /** Whether the memory target was measured at its own ledger count, with RSS available. */
    boolean memoryTargetApplies() {
        return memory.measured() && memory.ledgers() == MEMORY_TARGET_LEDGERS;
    }

    boolean memoryMet() {
        return memory.measured() && memory.rssAfterBytes() <= MEMORY_TOTAL_BYTES_MAX;
    }

    /** Whether every transaction of every validated run was VALID, as the chain was built to be. */
    boolean allValid() {
        long expected = (long) config.blocks() * config.transactionsPerBlock();
        return generatedValidTransactions == expected && blockLevel().validTransactions() == expected
                && blockLevelBatched().validTransactions() == expected && full().validTransactions() == expected
                && fullBatched().validTransactions() == expected;
    }
}
