package io.hearsay.testnet.bench;

import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.ledger.ValidationLevel;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.ledger.storage.RocksResources;
import io.hearsay.ledger.storage.RocksStorage;
import io.hearsay.ledger.storage.RocksStorageOptions;
import io.hearsay.testnet.support.WorkDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The ledger commit benchmark. Untimed: crypto material, the resident memory of many open ledgers, the
 * single-core signature verification rate, and a pre-built chain ({@link BenchmarkChain}). Timed, each in a
 * fresh RocksDB directory with default storage options (a synced write per block, i.e. durable), each
 * after an untimed warm-up run over the first blocks:
 *
 * <pre>
 * (a) raw import   the ledger's own storage batch of each block, written straight into RocksStorage:
 *                  block bytes, block-hash index, transaction-id index, state writes, state hash, height.
 *                  No parsing, no validation: the local limit of the storage path.
 * (b) block level  Ledger.commit with ValidationLevel.BLOCK: hash chain, data hash, canonical encoding,
 *                  orderer signature, non-signature transaction checks, duplicates, MVCC, state hash.
 * (c) full         Ledger.commit with LedgerOptions.defaults(): (b) plus every creator and endorsement
 *                  signature and the endorsement policy, transactions checked in parallel on all cores.
 * </pre>
 */
public final class LedgerBenchmark {

    /**
     * @param blocks blocks in the timed chain
     * @param transactionsPerBlock transactions per block
     * @param ledgers RocksDB ledgers open at once for the memory figure
     * @param repeat timed runs of each kind; the one reported is chosen by {@link RepeatedRuns}: the median
     *     of the quiet runs, so that a burst of other work on a shared machine does not become the figure
     * @param workParent where the benchmark's temporary directory goes (the disk measured); null for java.io.tmpdir
     */
    public record Config(int blocks, int transactionsPerBlock, int ledgers, int repeat, Path workParent) {
        public static final int BLOCKS_DEFAULT = 200;
        public static final int BLOCKS_MAX = 100_000;
        public static final int TRANSACTIONS_PER_BLOCK_DEFAULT = 100;
        /** 10,000 transactions of about 3.7 KB stay far below the ledger's 100 MiB block limit. */
        public static final int TRANSACTIONS_PER_BLOCK_MAX = 10_000;
        public static final int LEDGERS_DEFAULT = 100;
        public static final int LEDGERS_MAX = 1_000;
        /** Five runs: on a shared machine usually some are quiet; all five cost about half a minute. */
        public static final int REPEAT_DEFAULT = 5;
        public static final int REPEAT_MAX = 20;

        public Config {
            requireRange("blocks", blocks, BLOCKS_MAX);
            requireRange("transactionsPerBlock", transactionsPerBlock, TRANSACTIONS_PER_BLOCK_MAX);
            requireRange("ledgers", ledgers, LEDGERS_MAX);
            requireRange("repeat", repeat, REPEAT_MAX);
        }

        private static void requireRange(String field, int value, int max) {
            if (value < 1 || value > max) {
                throw new IllegalArgumentException(field + " is " + value + "; it must be between 1 and " + max);
            }
        }
    }

    /** Warm-up runs commit this many blocks at most: enough for C2 to compile the hot paths. */
    static final int WARM_UP_BLOCKS_MAX = 20;
    /** Signatures for the verification rate: a few thousand give a rate stable to about 1%. */
    static final int VERIFY_SAMPLES = 3_000;
    /** Fixed, so every run benchmarks the same transactions. */
    private static final long SEED = 20261124L;

    private final Config config;
    private final PrintWriter progress;
    private int runs;

    /** @param progress where to say what is being done (stderr: stdout carries only the results) */
    public LedgerBenchmark(Config config, PrintWriter progress) {
        this.config = config;
        this.progress = progress;
    }

    public LedgerBenchmarkResult run() throws BlockRejectedException {
        try (WorkDirectory work = WorkDirectory.temporary("hearsay-bench-", config.workParent())) {
            Machine machine = Machine.describe(work.path());
            say("generating crypto material (2 peer organisations and an orderer organisation) in " + work.path());
            SampleChannel channel = new SampleChannel(work.subdirectory("crypto"));

            say("opening " + config.ledgers() + " RocksDB ledgers at once to measure resident memory");
            LedgerMemory.Result memory = LedgerMemory.measure(channel, work.subdirectory("memory"), config.ledgers(), SEED);
            delete(work.path().resolve("memory"));

            say("measuring single-core ECDSA P-256 verification over " + VERIFY_SAMPLES + " signatures, "
                    + config.repeat() + " time(s)");
            RepeatedRuns<SignatureRate.Rate> verifyRate = verifyRate(new SignatureRate(channel.org1Peer, VERIFY_SAMPLES, SEED));

            say("building " + config.blocks() + " blocks of " + config.transactionsPerBlock() + " transactions (untimed)");
            BenchmarkChain chain = BenchmarkChain.build(channel, config.blocks(), config.transactionsPerBlock(), "chain", SEED);

            say("(a) raw import of the ledger's storage batches");
            RepeatedRuns<Throughput> raw = timedAfterWarmUp(blocks -> rawImport(chain, blocks, work));
            say("(b) commit with block-level checks");
            LedgerOptions blockLevel = LedgerOptions.defaults().withValidationLevel(ValidationLevel.BLOCK);
            RepeatedRuns<Throughput> block = timedAfterWarmUp(blocks -> commit(chain, blocks, blockLevel, work));
            say("(c) commit with full validation");
            RepeatedRuns<Throughput> full = timedAfterWarmUp(blocks -> commit(chain, blocks, LedgerOptions.defaults(), work));
            return new LedgerBenchmarkResult(machine, config, chain.blockBytes(chain.blockCount()) / (double) chain.blockCount(),
                    chain.validTransactions(), raw, block, full, verifyRate, memory);
        }
    }

    /** One way of putting the first {@code blocks} blocks of the chain into a fresh RocksDB directory. */
    @FunctionalInterface
    private interface Run {
        Throughput over(int blocks) throws BlockRejectedException;
    }

    private RepeatedRuns<Throughput> timedAfterWarmUp(Run run) throws BlockRejectedException {
        run.over(Math.min(config.blocks(), WARM_UP_BLOCKS_MAX));
        List<Throughput> results = new ArrayList<>();
        for (int i = 0; i < config.repeat(); i++) {
            System.gc(); // start each timed run without the previous run's garbage
            Throughput result = run.over(config.blocks());
            say(String.format(Locale.ROOT, "    %.0f tx/s (other processes: %.2f cores)", result.transactionsPerSecond(),
                    result.otherCores()));
            results.add(result);
        }
        return RepeatedRuns.of(results, Throughput::transactionsPerSecond, Throughput::otherCores);
    }

    private RepeatedRuns<SignatureRate.Rate> verifyRate(SignatureRate signatureRate) {
        List<SignatureRate.Rate> rates = new ArrayList<>();
        for (int i = 0; i < config.repeat(); i++) {
            rates.add(signatureRate.measure());
        }
        return RepeatedRuns.of(rates, SignatureRate.Rate::verifiesPerSecond, SignatureRate.Rate::otherCores);
    }

    private Throughput rawImport(BenchmarkChain chain, int blocks, WorkDirectory work) {
        Path directory = freshDirectory(work, "raw");
        try (RocksStorage storage = RocksStorage.open(directory, RocksStorageOptions.defaults(), RocksResources.shared())) {
            storage.write(chain.batch(0)); // the genesis block, as opening a ledger would write it
            Optional<CpuSample> before = CpuSample.now();
            long started = System.nanoTime();
            for (int number = 1; number <= blocks; number++) {
                storage.write(chain.batch(number));
            }
            long nanos = System.nanoTime() - started;
            return new Throughput(blocks, (long) blocks * chain.transactionsPerBlock(), chain.blockBytes(blocks), nanos,
                    Throughput.NOT_VALIDATED, CpuSample.otherCores(before, CpuSample.now(), cores()));
        } finally {
            delete(directory);
        }
    }

    private Throughput commit(BenchmarkChain chain, int blocks, LedgerOptions options, WorkDirectory work)
            throws BlockRejectedException {
        Path directory = freshDirectory(work, "ledger");
        try (Ledger ledger = Ledgers.rocks(directory, chain.genesis(), options)) {
            long valid = 0;
            Optional<CpuSample> before = CpuSample.now();
            long started = System.nanoTime();
            for (int number = 1; number <= blocks; number++) {
                valid += ledger.commit(chain.block(number)).validTransactions();
            }
            long nanos = System.nanoTime() - started;
            return new Throughput(blocks, (long) blocks * chain.transactionsPerBlock(), chain.blockBytes(blocks), nanos,
                    valid, CpuSample.otherCores(before, CpuSample.now(), cores()));
        } finally {
            delete(directory);
        }
    }

    private static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    private Path freshDirectory(WorkDirectory work, String kind) {
        return work.path().resolve(kind + "-" + (++runs));
    }

    private static void delete(Path directory) {
        try {
            WorkDirectory.deleteRecursively(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the benchmark directory " + directory + " ("
                    + e.getMessage() + "); check the disk and delete it by hand", e);
        }
    }

    private void say(String message) {
        progress.println(message);
        progress.flush();
    }
}
