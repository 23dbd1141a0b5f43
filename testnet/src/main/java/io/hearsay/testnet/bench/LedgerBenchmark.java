package io.hearsay.testnet.bench;

import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.CommitResult;
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
import org.hyperledger.fabric.protos.common.Block;

/**
 * The ledger commit benchmark. Untimed: crypto material, the resident memory of many open ledgers, and a
 * pre-built chain ({@link BenchmarkChain}). Timed, each in a fresh RocksDB directory with default storage
 * options (a synced write per block, i.e. durable), each after an untimed warm-up run over the first blocks:
 *
 * <pre>
 * (a) raw import   the ledger's own storage batch of each block, written straight into RocksStorage:
 *                  block bytes, block-hash index, transaction-id index, state writes, state hash, height.
 *                  No parsing, no validation: the local limit of the storage path.
 * (b) block level  ValidationLevel.BLOCK: hash chain, data hash, canonical encoding, orderer signature,
 *                  non-signature transaction checks, duplicates, MVCC, state hash. Twice: Ledger.commit per
 *                  block, and one Ledger.commitAll over the whole chain (the catch-up path, pipelined).
 * (c) full         LedgerOptions.defaults(): (b) plus every creator and endorsement signature and the
 *                  endorsement policy, checked on all cores. Also per block and with commitAll.
 * </pre>
 *
 * Each run commits the same blocks, and every transaction must be VALID. Runs that are compared take turns
 * ((a) with both (b)s; the single-core signature verification rate, which bounds (c), with both (c)s), so a
 * drift of machine speed over the minutes of a benchmark hits both sides of a ratio alike.
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

    /**
     * Warm-up runs commit this many blocks at most: the default chain whole. With 20, the pipelined commitAll
     * ran 20–30 % slower in its first timed rounds than in its later ones (its loops span several threads,
     * and C2 had not compiled them yet), so the first rounds measured the JIT, not the ledger.
     */
    static final int WARM_UP_BLOCKS_MAX = 200;
    /** Signatures for the verification rate: a few thousand give a rate stable to about 1%. */
    static final int VERIFY_SAMPLES = 3_000;
    private static final String RAW_LABEL = "raw import        ";
    private static final String PER_BLOCK_LABEL = "commit per block  ";
    private static final String BATCHED_LABEL = "commitAll         ";
    private static final String VERIFY_LABEL = "ECDSA verify      ";
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

            say("building " + config.blocks() + " blocks of " + config.transactionsPerBlock() + " transactions (untimed)");
            BenchmarkChain chain = BenchmarkChain.build(channel, config.blocks(), config.transactionsPerBlock(), "chain", SEED);

            // (a) takes turns with (b), whose target is a share of (a): both then see the same machine load.
            say("(a) raw import of the ledger's storage batches and (b) commit with block-level checks, in turn");
            LedgerOptions blockLevel = LedgerOptions.defaults().withValidationLevel(ValidationLevel.BLOCK);
            List<RepeatedRuns<Throughput>> rawAndBlock = timedInTurnAfterWarmUp(List.of(RAW_LABEL, PER_BLOCK_LABEL, BATCHED_LABEL),
                    List.of(blocks -> rawImport(chain, blocks, work), blocks -> commit(chain, blocks, blockLevel, work),
                            blocks -> commitAll(chain, blocks, blockLevel, work)), () -> { });
            // The verify rate sets (c)'s bound, so it takes turns with (c) for the same reason.
            say("(c) commit with full validation, per block and commitAll, in turn with the single-core ECDSA P-256"
                    + " verify rate over " + VERIFY_SAMPLES + " signatures");
            SignatureRate signatureRate = new SignatureRate(channel.org1Peer, VERIFY_SAMPLES, SEED);
            List<SignatureRate.Rate> rates = new ArrayList<>();
            LedgerOptions full = LedgerOptions.defaults();
            List<RepeatedRuns<Throughput>> fullRuns = timedInTurnAfterWarmUp(List.of(PER_BLOCK_LABEL, BATCHED_LABEL),
                    List.of(blocks -> commit(chain, blocks, full, work), blocks -> commitAll(chain, blocks, full, work)),
                    () -> rates.add(verifyRate(signatureRate)));
            RepeatedRuns<SignatureRate.Rate> verifyRate = RepeatedRuns.of(rates, SignatureRate.Rate::verifiesPerSecond,
                    SignatureRate.Rate::otherCores);
            return new LedgerBenchmarkResult(machine, config, chain.blockBytes(chain.blockCount()) / (double) chain.blockCount(),
                    chain.validTransactions(), rawAndBlock.get(0), rawAndBlock.get(1), rawAndBlock.get(2), fullRuns.get(0),
                    fullRuns.get(1), verifyRate, memory);
        }
    }

    /** One way of putting the first {@code blocks} blocks of the chain into a fresh RocksDB directory. */
    @FunctionalInterface
    private interface Run {
        Throughput over(int blocks) throws BlockRejectedException;
    }

    /**
     * Warms each run up, then times them in turn for {@code repeat} rounds, each round started by {@code
     * eachRound}: taking turns makes the figures of a ratio comparable on a machine whose load drifts. One
     * result per run, in the order given.
     */
    private List<RepeatedRuns<Throughput>> timedInTurnAfterWarmUp(List<String> labels, List<Run> runs, Runnable eachRound)
            throws BlockRejectedException {
        List<List<Throughput>> results = new ArrayList<>();
        for (Run run : runs) {
            run.over(Math.min(config.blocks(), WARM_UP_BLOCKS_MAX));
            results.add(new ArrayList<>());
        }
        for (int i = 0; i < config.repeat(); i++) {
            eachRound.run();
            for (int r = 0; r < runs.size(); r++) {
                System.gc(); // start each timed run without the previous run's garbage
                Throughput result = runs.get(r).over(config.blocks());
                say(String.format(Locale.ROOT, "    %s%.0f tx/s (other processes: %.2f cores)", labels.get(r),
                        result.transactionsPerSecond(), result.otherCores()));
                results.get(r).add(result);
            }
        }
        List<RepeatedRuns<Throughput>> chosen = new ArrayList<>();
        for (List<Throughput> runResults : results) {
            chosen.add(RepeatedRuns.of(runResults, Throughput::transactionsPerSecond, Throughput::otherCores));
        }
        return chosen;
    }

    private SignatureRate.Rate verifyRate(SignatureRate signatureRate) {
        System.gc();
        SignatureRate.Rate rate = signatureRate.measure();
        say(String.format(Locale.ROOT, "    %s%.0f verifies/s on one core (other processes: %.2f cores)", VERIFY_LABEL,
                rate.verifiesPerSecond(), rate.otherCores()));
        return rate;
    }

    private Throughput rawImport(BenchmarkChain chain, int blocks, WorkDirectory work) {
        Path directory = freshDirectory(work, "raw");
        try (RocksStorage storage = RocksStorage.open(directory, RocksStorageOptions.defaults(), RocksResources.shared())) {
            storage.write(chain.batch(0)); // the genesis block, as opening a ledger would write it
            RunTimer timer = RunTimer.start();
            for (int number = 1; number <= blocks; number++) {
                storage.write(chain.batch(number));
            }
            return finish(timer, chain, blocks, Throughput.NOT_VALIDATED);
        } finally {
            delete(directory);
        }
    }

    private Throughput commit(BenchmarkChain chain, int blocks, LedgerOptions options, WorkDirectory work)
            throws BlockRejectedException {
        Path directory = freshDirectory(work, "ledger");
        try (Ledger ledger = Ledgers.rocks(directory, chain.genesis(), options)) {
            long valid = 0;
            RunTimer timer = RunTimer.start();
            for (int number = 1; number <= blocks; number++) {
                valid += ledger.commit(chain.block(number)).validTransactions();
            }
            return finish(timer, chain, blocks, valid);
        } finally {
            delete(directory);
        }
    }

    /** The whole chain in one {@link Ledger#commitAll} call: how a peer imports a verified chain it has fetched. */
    private Throughput commitAll(BenchmarkChain chain, int blocks, LedgerOptions options, WorkDirectory work)
            throws BlockRejectedException {
        Path directory = freshDirectory(work, "ledger");
        List<Block> list = new ArrayList<>(blocks);
        for (int number = 1; number <= blocks; number++) {
            list.add(chain.block(number));
        }
        try (Ledger ledger = Ledgers.rocks(directory, chain.genesis(), options)) {
            long valid = 0;
            RunTimer timer = RunTimer.start();
            for (CommitResult result : ledger.commitAll(list)) {
                valid += result.validTransactions();
            }
            return finish(timer, chain, blocks, valid);
        } finally {
            delete(directory);
        }
    }

    private static Throughput finish(RunTimer timer, BenchmarkChain chain, int blocks, long validTransactions) {
        return timer.finish(blocks, (long) blocks * chain.transactionsPerBlock(), chain.blockBytes(blocks), validTransactions);
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
