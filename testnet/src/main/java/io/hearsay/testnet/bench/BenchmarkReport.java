package io.hearsay.testnet.bench;

import java.util.Locale;

/** Renders a {@link LedgerBenchmarkResult} as a table for people or as one JSON object for scripts. */
public final class BenchmarkReport {
    private static final double MIB = 1024.0 * 1024.0;

    private BenchmarkReport() {}

    public static String table(LedgerBenchmarkResult result) {
        Machine machine = result.machine();
        StringBuilder out = new StringBuilder();
        line(out, "Hearsay ledger benchmark, %s", machine.date());
        line(out, "machine  %d cores, max heap %,.0f MiB, RAM %s, Java %s, %s", machine.cores(),
                machine.maxHeapBytes() / MIB, machine.ramBytes() < 0 ? "unknown" : String.format(Locale.ROOT, "%,.1f GiB",
                        machine.ramBytes() / MIB / 1024), machine.java(), machine.os());
        line(out, "disk     RocksDB directories on %s; default storage options: a synced (durable) write per block",
                machine.fileSystem());
        line(out, "shape    %d blocks x %d tx; per tx %d reads, %d writes, %d signatures (creator + %d endorsements);"
                        + " mean block %,.1f KB", result.config().blocks(), result.config().transactionsPerBlock(),
                BenchmarkChain.READS_PER_TRANSACTION, BenchmarkChain.WRITES_PER_TRANSACTION,
                result.signaturesPerTransaction(), BenchmarkChain.ENDORSEMENTS_PER_TRANSACTION, result.meanBlockBytes() / 1e3);
        line(out, "runs     each kind: an untimed warm-up, then %d timed run(s) in fresh directories. Shown: the median of the"
                + " quiet runs (\"quiet\": other processes took <= %.1f core meanwhile; \"others\": how much they took"
                + " in the run shown)", result.config().repeat(), RepeatedRuns.QUIET_OTHER_CORES_MAX);
        out.append('\n');
        line(out, "%-40s %10s %10s %8s %10s %8s %8s %8s %7s %6s", "run", "blocks/s", "tx/s", "MB/s", "valid tx", "seconds",
                "CPU ms", "caller", "others", "quiet");
        row(out, "(a) raw import, no validation", result.rawImportRuns());
        row(out, "(b) block-level checks, commit per block", result.blockLevelRuns());
        row(out, "(b) block-level checks, commitAll", result.blockLevelBatchedRuns());
        row(out, "(c) full validation, commit per block", result.fullRuns());
        row(out, "(c) full validation, commitAll", result.fullBatchedRuns());
        line(out, "commitAll / commit per block: (b) x%.2f, (c) x%.2f (measured in turn in this run)",
                result.blockBatchedSpeedUp(), result.fullBatchedSpeedUp());
        line(out, "CPU ms: per block, all threads of the process; caller: the thread that made the run (the committer, or"
                + " raw import's writer)");
        Throughput batched = result.blockLevelBatched();
        line(out, "(b) commitAll needs %.2f core-ms per block (committer %.2f): on %d cores at least %.2f ms per block,"
                        + " so (b) / (a) <= %.2f at this CPU", batched.cpuMillisPerBlock(), batched.callerCpuMillisPerBlock(),
                machine.cores(), result.blockBatchedFloorMillis(), result.blockBatchedToRawCpuCeiling());
        out.append('\n');
        line(out, "ECDSA P-256 verify, one core   %,.0f /s (others: %.2f cores; quiet runs: %d/%d)",
                result.verifiesPerSecond(), result.verifyRate().otherCores(), result.verifyRuns().quietRuns(),
                result.verifyRuns().runs());
        line(out, "bound for (c)                  %,.0f /s x %d cores / %d signatures per tx = %,.0f tx/s",
                result.verifiesPerSecond(), machine.cores(), result.signaturesPerTransaction(),
                result.fullBoundTransactionsPerSecond());
        out.append('\n');
        line(out, "targets are judged on commitAll, the catch-up path; per block for comparison");
        line(out, "%-40s %12s %14s  %s", "target", "measured", "required", "met");
        String rateMin = String.format(Locale.ROOT, ">= %,.0f", LedgerBenchmarkResult.BLOCK_LEVEL_TX_PER_SECOND_MIN);
        String blockToRawMin = String.format(Locale.ROOT, ">= %.2f", LedgerBenchmarkResult.BLOCK_TO_RAW_MIN);
        String fullToBoundMin = String.format(Locale.ROOT, ">= %.2f", LedgerBenchmarkResult.FULL_TO_BOUND_MIN);
        line(out, "%-40s %,12.0f %14s  %s", "(b) tx/s, durable write per block", result.blockLevelBatched().transactionsPerSecond(),
                rateMin, yesNo(result.blockLevelRateMet()));
        line(out, "%-40s %12.2f %14s  %s", "(b) / (a)", result.blockBatchedToRaw(), blockToRawMin, yesNo(result.blockToRawMet()));
        line(out, "%-40s %12.2f %14s  %s", "(c) / bound", result.fullBatchedToBound(), fullToBoundMin,
                yesNo(result.fullToBoundMet()));
        line(out, "%-40s %,12.0f %14s  %s", "  per block: (b) tx/s", result.blockLevel().transactionsPerSecond(), rateMin,
                yesNo(result.blockLevelRatePerBlockMet()));
        line(out, "%-40s %12.2f %14s  %s", "  per block: (b) / (a)", result.blockToRaw(), blockToRawMin,
                yesNo(result.blockToRawPerBlockMet()));
        line(out, "%-40s %12.2f %14s  %s", "  per block: (c) / bound", result.fullToBound(), fullToBoundMin,
                yesNo(result.fullToBoundPerBlockMet()));
        memory(out, result);
        if (!result.allValid()) {
            line(out, "WARNING: not every transaction was VALID; the chain was built so that all would be: report this");
        }
        return out.toString();
    }

    public static String json(LedgerBenchmarkResult result) {
        Machine machine = result.machine();
        LedgerMemory.Result memory = result.memory();
        return new Json()
                .field("benchmark", "ledger")
                .field("date", machine.date().toString())
                .field("machine", new Json()
                        .field("cores", machine.cores())
                        .field("maxHeapMiB", machine.maxHeapBytes() / MIB)
                        .field("ramMiB", machine.ramBytes() < 0 ? Double.NaN : machine.ramBytes() / MIB)
                        .field("java", machine.java())
                        .field("os", machine.os())
                        .field("fileSystem", machine.fileSystem()))
                .field("shape", new Json()
                        .field("blocks", result.config().blocks())
                        .field("txsPerBlock", result.config().transactionsPerBlock())
                        .field("readsPerTx", BenchmarkChain.READS_PER_TRANSACTION)
                        .field("writesPerTx", BenchmarkChain.WRITES_PER_TRANSACTION)
                        .field("signaturesPerTx", result.signaturesPerTransaction())
                        .field("meanBlockBytes", result.meanBlockBytes())
                        .field("syncedWritePerBlock", true)
                        .field("repeat", result.config().repeat()))
                .field("rawImport", throughput(result.rawImportRuns()))
                .field("commitBlockLevel", throughput(result.blockLevelRuns()))
                .field("commitAllBlockLevel", throughput(result.blockLevelBatchedRuns()))
                .field("commitFull", throughput(result.fullRuns()))
                .field("commitAllFull", throughput(result.fullBatchedRuns()))
                .field("verifyPerSecondOneCore", result.verifiesPerSecond())
                .field("verifyOtherCores", result.verifyRate().otherCores())
                .field("verifyQuietRuns", result.verifyRuns().quietRuns())
                .field("fullBoundTxPerSecond", result.fullBoundTransactionsPerSecond())
                .field("ratios", new Json()
                        .field("blockLevelToRaw", result.blockToRaw())
                        .field("fullToBound", result.fullToBound())
                        .field("commitAllBlockLevelToRaw", result.blockBatchedToRaw())
                        .field("commitAllFullToBound", result.fullBatchedToBound())
                        .field("commitAllToPerBlockBlockLevel", result.blockBatchedSpeedUp())
                        .field("commitAllToPerBlockFull", result.fullBatchedSpeedUp())
                        .field("commitAllBlockLevelToRawCpuCeiling", result.blockBatchedToRawCpuCeiling()))
                .field("memory", new Json()
                        .field("ledgers", memory.ledgers())
                        .field("rssBeforeMiB", memory.measured() ? memory.rssBeforeBytes() / MIB : Double.NaN)
                        .field("rssAfterMiB", memory.measured() ? memory.rssAfterBytes() / MIB : Double.NaN)
                        .field("deltaMiB", memory.measured() ? memory.deltaBytes() / MIB : Double.NaN))
                .field("targets", new Json()
                        .field("judgedOn", "commitAll")
                        .field("blockLevelTxPerSecond", result.blockLevelRateMet())
                        .field("blockLevelToRaw", result.blockToRawMet())
                        .field("fullToBound", result.fullToBoundMet())
                        .field("memoryTotal", result.memoryMet()))
                .field("targetsPerBlock", new Json()
                        .field("blockLevelTxPerSecond", result.blockLevelRatePerBlockMet())
                        .field("blockLevelToRaw", result.blockToRawPerBlockMet())
                        .field("fullToBound", result.fullToBoundPerBlockMet()))
                .field("allValid", result.allValid())
                .toString();
    }

    private static Json throughput(RepeatedRuns<Throughput> runs) {
        Throughput run = runs.representative();
        Json json = new Json()
                .field("blocksPerSecond", run.blocksPerSecond())
                .field("txPerSecond", run.transactionsPerSecond())
                .field("mbPerSecond", run.megabytesPerSecond())
                .field("seconds", run.seconds())
                .field("otherCores", run.otherCores())
                .field("cpuMsPerBlock", run.cpuMillisPerBlock())
                .field("callerCpuMsPerBlock", run.callerCpuMillisPerBlock())
                .field("runs", runs.runs())
                .field("quietRuns", runs.quietRuns());
        return run.validTransactions() == Throughput.NOT_VALIDATED ? json : json.field("validTx", run.validTransactions());
    }

    private static void row(StringBuilder out, String name, RepeatedRuns<Throughput> runs) {
        Throughput run = runs.representative();
        line(out, "%-40s %10.1f %10.0f %8.2f %10s %8.2f %8.2f %8.2f %7.2f %6s", name, run.blocksPerSecond(),
                run.transactionsPerSecond(), run.megabytesPerSecond(), run.validTransactions() == Throughput.NOT_VALIDATED ? "-"
                        : Long.toString(run.validTransactions()), run.seconds(), run.cpuMillisPerBlock(),
                run.callerCpuMillisPerBlock(), run.otherCores(), runs.quietRuns() + "/" + runs.runs());
    }

    private static void memory(StringBuilder out, LedgerBenchmarkResult result) {
        LedgerMemory.Result memory = result.memory();
        String label = memory.ledgers() + " ledgers open: process RSS";
        if (!memory.measured()) {
            line(out, "%-40s %12s %14s  %s", label, "n/a", "", "(no /proc/self/status on this system)");
            return;
        }
        line(out, "%-40s %,8.0f MiB %14s  %s   (+%,.0f MiB over %,.0f MiB before opening them)", label,
                memory.rssAfterBytes() / MIB, String.format(Locale.ROOT, "<= %,d MiB",
                        LedgerBenchmarkResult.MEMORY_TOTAL_BYTES_MAX >> 20),
                result.memoryTargetApplies() ? yesNo(result.memoryMet()) : "n/a (target is for "
                        + LedgerBenchmarkResult.MEMORY_TARGET_LEDGERS + ")",
                memory.deltaBytes() / MIB, memory.rssBeforeBytes() / MIB);
    }

    private static String yesNo(boolean met) {
        return met ? "yes" : "NO";
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
