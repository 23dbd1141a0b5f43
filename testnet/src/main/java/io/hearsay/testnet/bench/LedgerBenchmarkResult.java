package io.hearsay.testnet.bench;

/**
 * The ledger benchmark's figures, the bound and ratios derived from them, and the foundation issue's
 * targets they are judged against.
 *
 * @param meanBlockBytes mean serialised size of a timed block
 * @param generatedValidTransactions VALID transactions when the chain was generated (all, by construction)
 * @param verifyRuns single-core ECDSA P-256 verifications per second
 */
public record LedgerBenchmarkResult(Machine machine, LedgerBenchmark.Config config, double meanBlockBytes,
        long generatedValidTransactions, RepeatedRuns<Throughput> rawImportRuns, RepeatedRuns<Throughput> blockLevelRuns,
        RepeatedRuns<Throughput> fullRuns, RepeatedRuns<SignatureRate.Rate> verifyRuns, LedgerMemory.Result memory) {

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

    Throughput full() {
        return fullRuns.representative();
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

    double fullToBound() {
        return full().transactionsPerSecond() / fullBoundTransactionsPerSecond();
    }

    boolean blockLevelRateMet() {
        return blockLevel().transactionsPerSecond() >= BLOCK_LEVEL_TX_PER_SECOND_MIN;
    }

    boolean blockToRawMet() {
        return blockToRaw() >= BLOCK_TO_RAW_MIN;
    }

    boolean fullToBoundMet() {
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
                && full().validTransactions() == expected;
    }
}
