package io.hearsay.testnet.cli;

import io.hearsay.testnet.bench.BenchmarkReport;
import io.hearsay.testnet.bench.LedgerBenchmark;
import io.hearsay.testnet.bench.LedgerBenchmarkResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hearsay bench ledger}: the ledger commit benchmark ({@link LedgerBenchmark}). */
@Command(name = "ledger",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Measure ledger commit throughput on RocksDB with a durable write per block: (a) raw import of the"
                    + " ledger's storage batches, (b) commit with block-level checks, (c) commit with full validation,"
                    + " (b) and (c) both per block (Ledger.commit) and batched (Ledger.commitAll, the catch-up path, on"
                    + " which the targets are judged); the single-core ECDSA verify rate and the bound it sets on (c);"
                    + " and the resident memory of many ledgers open at once.",
            "Progress goes to stderr; the results (a table, or one JSON object with --json) to stdout."
        })
final class BenchLedgerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--blocks", paramLabel = "N", defaultValue = "" + LedgerBenchmark.Config.BLOCKS_DEFAULT,
            description = "Blocks in each timed run, 1 to " + LedgerBenchmark.Config.BLOCKS_MAX + ". Default: ${DEFAULT-VALUE}.")
    int blocks;

    @Option(names = "--txs-per-block", paramLabel = "M",
            defaultValue = "" + LedgerBenchmark.Config.TRANSACTIONS_PER_BLOCK_DEFAULT,
            description = "Transactions per block (2 reads, 3 writes, 3 signatures each), 1 to "
                    + LedgerBenchmark.Config.TRANSACTIONS_PER_BLOCK_MAX + ". Default: ${DEFAULT-VALUE}.")
    int transactionsPerBlock;

    @Option(names = "--ledgers", paramLabel = "L", defaultValue = "" + LedgerBenchmark.Config.LEDGERS_DEFAULT,
            description = "RocksDB ledgers open at once for the memory figure, 1 to " + LedgerBenchmark.Config.LEDGERS_MAX
                    + ". Default: ${DEFAULT-VALUE}.")
    int ledgers;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "" + LedgerBenchmark.Config.REPEAT_DEFAULT,
            description = "Timed runs of each kind (and of the verify rate); the median is reported. 1 to "
                    + LedgerBenchmark.Config.REPEAT_MAX + ". Default: ${DEFAULT-VALUE}.")
    int repeat;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Create the benchmark's temporary RocksDB directories under DIR, on the disk you want"
                    + " measured; they are deleted at the end. Default: java.io.tmpdir.")
    Path workParent;

    @Option(names = "--json", description = "Print the results as one JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        OptionRanges.check(spec, "--blocks", blocks, 1, LedgerBenchmark.Config.BLOCKS_MAX);
        OptionRanges.check(spec, "--txs-per-block", transactionsPerBlock, 1, LedgerBenchmark.Config.TRANSACTIONS_PER_BLOCK_MAX);
        OptionRanges.check(spec, "--ledgers", ledgers, 1, LedgerBenchmark.Config.LEDGERS_MAX);
        OptionRanges.check(spec, "--repeat", repeat, 1, LedgerBenchmark.Config.REPEAT_MAX);
        LedgerBenchmark.Config config = new LedgerBenchmark.Config(blocks, transactionsPerBlock, ledgers, repeat, workParent);
        LedgerBenchmarkResult result = new LedgerBenchmark(config, spec.commandLine().getErr()).run();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(BenchmarkReport.json(result));
        } else {
            out.print(BenchmarkReport.table(result));
            // The figures depend on it (TunedJvm): say which JVM they were taken in.
            out.printf(Locale.ROOT, "jvm      %s GC, %s, %s%n", TunedJvm.collector(),
                    TunedJvm.transparentHugePages() ? "transparent huge pages" : "4 KiB pages",
                    TunedJvm.heapKept() ? "heap kept after collections" : "heap given back after collections");
        }
        out.flush();
        return 0;
    }
}
