package io.hearsay.ledger.crash;

import static io.hearsay.ledger.sample.SampleChannel.delete;
import static io.hearsay.ledger.sample.SampleChannel.read;
import static io.hearsay.ledger.sample.SampleChannel.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.CommitResult;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.ledger.TransactionRecord;
import io.hearsay.ledger.ValidationLevel;
import io.hearsay.ledger.Version;
import io.hearsay.ledger.VersionedValue;
import io.hearsay.ledger.block.BlockHashing;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.ledger.state.StateHash;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that a RocksDB ledger survives SIGKILL at any moment of a commit: a child JVM ({@link
 * CrashCommitter}) commits a seeded chain of blocks as fast as it can, the parent kills it at a random
 * moment, reopens the ledger, and checks that it is exactly the in-memory replay of the same blocks cut at
 * the stored height — blocks, hash chain, per-height state hashes, the full world state, the transaction
 * index, and no trace of the next block — then lets the next child resume from there. Finally one child
 * runs to the end and the whole chain must equal the replay.
 *
 * <pre>
 * parent: SampleChannel ─▶ seeded workload ─▶ blocks 1..N ─▶ Ledgers.inMemory (the reference: hashes,
 *         states, codes per height) ─▶ genesis + blocks files
 * loop K: start child ─▶ "height h" ─▶ seeded delay ─▶ SIGKILL ─▶ reopen ─▶ compare with the reference
 * end:    start child ─▶ "done N" ─▶ compare the whole chain
 * </pre>
 *
 * <p>Children alternate between the two ways to commit: even-numbered ones call {@link Ledger#commit} per
 * block, odd-numbered ones {@link Ledger#commitAll} on lists of {@link #BLOCKS_PER_COMMIT_ALL}, whose
 * pipeline checks blocks ahead and plans one block while writing the one before.
 *
 * <p>The workload reads and writes a small key space so that MVCC conflicts (within a block and against
 * committed state), deletes and duplicate transaction ids all occur; it asserts they did, so the state
 * comparison covers invalid transactions as well as valid ones. The crypto material is random per run, but
 * the workload and the kill schedule come from one seed ({@link #SEED_DEFAULT}), printed in every failure.
 */
class CrashSafetyTest {
    /**
     * Drives the workload and the kill schedule; every failure message carries it. Reproduce or explore
     * with {@code -Dhearsay.crash.seed=N} (the crypto material is fresh each run, the rest follows the seed).
     */
    static final long SEED_DEFAULT = 104_375_265_869_825L;
    static final String SEED_PROPERTY = "hearsay.crash.seed";

    /** {@code -Dhearsay.crash.kills=N} overrides how many children the default test kills. */
    static final String KILLS_PROPERTY = "hearsay.crash.kills";
    static final int KILLS_DEFAULT = 20;

    /**
     * Chain length for the default run. Measured on a 2-core machine: the child's first commit after
     * opening takes 40–170 ms (cold JIT), then it commits 40–235 blocks per second (full signature
     * validation of 4–10 transactions plus one synced write each), so 20 kills used 150–650 blocks. 1000
     * keeps the chain from running out, so kills keep landing mid-chain; a kill before the first commit
     * returns (about a third of them) still tests a crash during a commit, just without progress.
     */
    static final int CHAIN_BLOCKS_DEFAULT = 1_000;

    /** A kill lands uniformly in [0, this] ms after the child reports it is open. */
    static final long KILL_DELAY_MS_MAX = 300;
    /**
     * Kills 0, this, 2 × this … are aimed at start-up instead, timed from process start rather than from
     * the "height" line, so some crashes hit RocksDB's own recovery (WAL replay) and, on the first run,
     * the creation of the database and the genesis commit. The rest land in the commit loop.
     */
    static final int OPEN_KILL_EVERY = 5;
    /** The child reaches its "height" line 650–750 ms after start when the machine is idle, later when busy. */
    static final long OPEN_KILL_DELAY_MS_MAX = 900;

    static final long CHILD_OPEN_TIMEOUT_MS = 60_000;
    static final long CHILD_EXIT_TIMEOUT_MS = 30_000;
    static final long CHILD_FINISH_TIMEOUT_MS = 180_000;
    static final long READER_EXIT_TIMEOUT_MS = 10_000;

    /** Keys "k00" … : small enough that transactions of one block collide often. */
    static final int KEYS = 24;
    static final int TRANSACTIONS_PER_BLOCK_MIN = 4;
    static final int TRANSACTIONS_PER_BLOCK_MAX = 10;
    static final int VALUE_BYTES_MAX = 512;

    /** Blocks per {@code commitAll} call in the children that use it: several batches per run, one batch in flight. */
    static final int BLOCKS_PER_COMMIT_ALL = 8;

    /** Exit code of a JVM killed by SIGKILL (128 + 9). */
    static final int SIGKILL_EXIT_CODE = 137;

    private final long seed = Long.getLong(SEED_PROPERTY, SEED_DEFAULT);
    /** Opens every assertion message. */
    private final String where = "SEED=" + seed;

    @TempDir
    Path work;

    @Test
    void ledgerIsConsistentAfterEverySigkill() throws Exception {
        run(CHAIN_BLOCKS_DEFAULT, Integer.getInteger(KILLS_PROPERTY, KILLS_DEFAULT));
    }

    /** A soak run: many more kills over a chain long enough that most still land mid-chain. */
    @Test
    @Tag("slow")
    void ledgerIsConsistentAfterTwoHundredSigkills() throws Exception {
        run(5_000, 200);
    }

    private void run(int chainBlocks, int kills) throws Exception {
        try {
            runUnlabelled(chainBlocks, kills);
        } catch (AssertionError | Exception e) {
            if (String.valueOf(e.getMessage()).contains(where)) {
                throw e;
            }
            throw new AssertionError(where + ": " + e, e); // timeouts and I/O errors must carry the seed too
        }
    }

    private void runUnlabelled(int chainBlocks, int kills) throws Exception {
        assertThat(kills).as(where + ": kills").isPositive();
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom workloadRandom = root.split();
        SplittableRandom faultRandom = root.split(); // forked: changing the workload keeps the kill schedule

        long started = System.nanoTime();
        SampleChannel channel = new SampleChannel(work.resolve("crypto"));
        Reference reference = Reference.generate(channel, workloadRandom, chainBlocks, where);
        Path genesisFile = work.resolve("genesis.block");
        Path blocksFile = work.resolve("blocks.delimited");
        writeFiles(reference, genesisFile, blocksFile);
        long generatedMs = elapsedMs(started);

        Path ledgerDirectory = work.resolve("ledger");
        ChildLauncher launcher = new ChildLauncher(ledgerDirectory, blocksFile, genesisFile, work,
                snapshotClassPath(work.resolve("classpath")));
        int length = reference.length();
        int midChain = 0;
        int noProgress = 0;
        int completed = 0;
        int openKills = 0;
        List<Long> progress = new ArrayList<>();
        List<String> paces = new ArrayList<>();
        long height = 0; // nothing on disk yet: the first child creates the ledger
        for (int kill = 0; kill < kills; kill++) {
            boolean atOpen = kill % OPEN_KILL_EVERY == 0;
            long delayMs = atOpen ? faultRandom.nextLong(OPEN_KILL_DELAY_MS_MAX + 1)
                    : faultRandom.nextLong(KILL_DELAY_MS_MAX + 1);
            String at = where + " kill " + kill + "/" + kills + (atOpen ? " at open" : "") + " after " + delayMs
                    + " ms, from height " + height;
            ChildRun child = launcher.start(kill);
            boolean finished = child.killAfter(delayMs, atOpen, at);
            long after = checkConsistent(ledgerDirectory, reference, child, at);
            if (finished) {
                assertThat(after).as(at + ": a child that exited by itself must have committed everything")
                        .isEqualTo(length);
            }
            openKills += atOpen ? 1 : 0;
            progress.add(after - height);
            paces.add(child.pace());
            if (after == length) {
                completed++;
            } else if (after > Math.max(height, 1)) {
                midChain++;
            } else {
                noProgress++;
            }
            height = after;
        }
        long killsMs = elapsedMs(started) - generatedMs;

        ChildRun last = launcher.start(kills);
        last.awaitDone(where + " final run from height " + height);
        long finalHeight = checkConsistent(ledgerDirectory, reference, last, where + " final run");
        assertThat(finalHeight).as(where + ": final height").isEqualTo(length);
        try (Ledger ledger = open(ledgerDirectory, reference)) {
            assertThat(hex(ledger.stateHash())).as(where + ": final state hash")
                    .isEqualTo(hex(reference.stateHashes.get(length - 1)));
            assertThat(hex(ledger.headHash())).as(where + ": final head hash")
                    .isEqualTo(hex(reference.headerHashes.get(length - 1)));
        }

        System.out.printf("crash-safety %s: %d blocks (%d tx, codes %s), %d kills (%d at open): %d mid-chain,"
                        + " %d without progress, %d after completion; blocks per run %s; generate %d ms, kills %d ms,"
                        + " total %d ms; pace %s%n",
                where, length, reference.transactionCount, reference.codeCounts, kills, openKills, midChain,
                noProgress, completed, progress, generatedMs, killsMs, elapsedMs(started), paces);
        assertThat(midChain).as(where + ": kills that landed mid-chain (progress made, chain not finished) of "
                + kills + "; blocks per run " + progress + ": the test proved nothing if none did").isPositive();
    }

    /**
     * Opens the ledger the child left and compares it with the reference cut at its height. Returns the height.
     */
    private static long checkConsistent(Path directory, Reference reference, ChildRun child, String where)
            throws Exception {
        try (Ledger ledger = open(directory, reference)) {
            long height = ledger.height();
            String at = where + ", stored height " + height + " (child reported committed through "
                    + child.lastCommitted() + ")";
            assertThat(height).as(at + ": height within the chain").isBetween(1L, (long) reference.length());
            // Durability: a block whose commit returned (the child printed it) must have survived the kill.
            assertThat(height).as(at + ": every block whose commit returned is stored")
                    .isGreaterThan(child.lastCommitted());
            assertThat(hex(ledger.headHash())).as(at + ": head hash")
                    .isEqualTo(hex(reference.headerHashes.get((int) height - 1)));

            byte[] previousHash = new byte[0];
            for (int n = 0; n < height; n++) {
                Block stored = ledger.block(n).orElse(null);
                assertThat(stored).as(at + ": block " + n + " is stored").isNotNull();
                // equals() rather than isEqualTo: a mismatch would print two whole blocks.
                assertThat(stored.equals(reference.storedBlocks.get(n)))
                        .as(at + ": block " + n + " with its validation codes equals the replay's").isTrue();
                byte[] headerHash = BlockHashing.headerHash(stored.getHeader());
                assertThat(hex(headerHash)).as(at + ": block " + n + " header hash")
                        .isEqualTo(hex(reference.headerHashes.get(n)));
                assertThat(hex(stored.getHeader().getPreviousHash().toByteArray()))
                        .as(at + ": block " + n + " links to block " + (n - 1)).isEqualTo(hex(previousHash));
                previousHash = headerHash;
                assertThat(ledger.stateHashAt(n).map(CrashSafetyTest::hex)).as(at + ": state hash after block " + n)
                        .contains(hex(reference.stateHashes.get(n)));
            }
            // No trace of a half-applied next commit.
            assertThat(ledger.stateHashAt(height)).as(at + ": no state hash stored for uncommitted block " + height)
                    .isEmpty();
            if (height < reference.length()) {
                assertThat(ledger.blockByHash(reference.headerHashes.get((int) height)))
                        .as(at + ": uncommitted block " + height + " is not indexed by hash").isEmpty();
            }

            byte[] expectedStateHash = reference.stateHashes.get((int) height - 1);
            assertThat(hex(ledger.stateHash())).as(at + ": state hash").isEqualTo(hex(expectedStateHash));
            SortedMap<String, VersionedValue> state = new TreeMap<>();
            StateHash recomputed = StateHash.empty();
            try (Ledger.StateIterator entries = ledger.stateRange(SampleChannel.CHAINCODE, "", "")) {
                while (entries.hasNext()) {
                    var entry = entries.next();
                    state.put(entry.key(), entry.value());
                    recomputed.add(entry.namespace(), entry.key(), entry.value().value().toByteArray(),
                            entry.value().version().blockNumber(), entry.value().version().transactionNumber());
                }
            }
            assertThat(recomputed.toString()).as(at + ": hash of the scanned state equals the stored state hash")
                    .isEqualTo(hex(ledger.stateHash()));
            assertThat(state).as(at + ": full world state equals the replay's at this height")
                    .isEqualTo(reference.states.get((int) height - 1));

            for (Map.Entry<String, TransactionRecord> indexed : reference.transactions.entrySet()) {
                TransactionRecord expected = indexed.getValue();
                if (expected.blockNumber() < height) {
                    assertThat(ledger.transaction(indexed.getKey())).as(at + ": index of tx " + indexed.getKey())
                            .contains(expected);
                } else {
                    assertThat(ledger.transaction(indexed.getKey()))
                            .as(at + ": tx " + indexed.getKey() + " of uncommitted block " + expected.blockNumber()
                                    + " is not indexed").isEmpty();
                }
            }
            return height;
        }
    }

    private static Ledger open(Path directory, Reference reference) throws BlockRejectedException {
        return Ledgers.rocks(directory, reference.storedBlocks.get(0), LedgerOptions.defaults());
    }

    /**
     * This JVM's class path with every directory entry (the modules' {@code target/classes}) copied under
     * {@code into}, so that all children run the code this test started with even if a concurrent build
     * recompiles or cleans those directories while the kills go on (seen: NoClassDefFoundError in a child).
     */
    private static String snapshotClassPath(Path into) throws IOException {
        List<String> entries = new ArrayList<>();
        String[] original = System.getProperty("java.class.path").split(File.pathSeparator);
        for (int i = 0; i < original.length; i++) {
            Path entry = Path.of(original[i]);
            if (!Files.isDirectory(entry)) {
                entries.add(original[i]); // jars in the local repository are not rebuilt under us
                continue;
            }
            Path copy = into.resolve(i + "-" + entry.getFileName());
            try (Stream<Path> files = Files.walk(entry)) {
                for (Path source : (Iterable<Path>) files::iterator) {
                    Path target = copy.resolve(entry.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target);
                    }
                }
            }
            entries.add(copy.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void writeFiles(Reference reference, Path genesisFile, Path blocksFile) throws IOException {
        try (OutputStream out = Files.newOutputStream(genesisFile)) {
            reference.orderedBlocks.get(0).writeTo(out);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(blocksFile))) {
            for (Block block : reference.orderedBlocks.subList(1, reference.length())) {
                block.writeDelimitedTo(out);
            }
        }
    }

    /**
     * The in-memory replay, kept per height: blocks as ordered and as stored, header hashes, state hashes,
     * full states, and the transaction index (first occurrence of each id).
     */
    static final class Reference {
        final List<Block> orderedBlocks = new ArrayList<>();
        final List<Block> storedBlocks = new ArrayList<>();
        final List<byte[]> headerHashes = new ArrayList<>();
        final List<byte[]> stateHashes = new ArrayList<>();
        final List<SortedMap<String, VersionedValue>> states = new ArrayList<>();
        final Map<String, TransactionRecord> transactions = new LinkedHashMap<>();
        final Map<TxValidationCode, Integer> codeCounts = new EnumMap<>(TxValidationCode.class);
        int transactionCount;
        int deletes;

        int length() {
            return orderedBlocks.size();
        }

        static Reference generate(SampleChannel channel, SplittableRandom random, int chainBlocks, String where)
                throws Exception {
            Reference reference = new Reference();
            // Block-level validation skips only transaction signature checks: every transaction here is
            // honestly signed, so the codes are the same as under FULL (the child's level, so a difference
            // would fail the comparison) and generating is about twice as fast.
            LedgerOptions options = LedgerOptions.defaults().withValidationLevel(ValidationLevel.BLOCK);
            try (Ledger replay = Ledgers.inMemory(channel.genesis, options)) {
                reference.record(channel.genesis, replay.block(0).orElseThrow(), replay);
                Workload workload = new Workload(channel, random);
                for (int number = 1; number < chainBlocks; number++) {
                    Block previous = reference.orderedBlocks.get(number - 1);
                    Block block = channel.next(previous, workload.transactions(replay, number));
                    CommitResult result = replay.commit(block);
                    result.validationCodes().forEach(code -> reference.codeCounts.merge(code, 1, Integer::sum));
                    reference.transactionCount += result.validationCodes().size();
                    reference.record(block, result.block(), replay);
                }
                reference.deletes = workload.deletes;
            }
            // The comparison only means something if every kind of outcome is in the chain.
            assertThat(reference.codeCounts).as(where + ": the workload must produce these outcomes")
                    .containsKeys(TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT,
                            TxValidationCode.DUPLICATE_TXID);
            assertThat(reference.deletes).as(where + ": the workload must delete keys").isPositive();
            return reference;
        }

        private void record(Block ordered, Block stored, Ledger replay) throws Exception {
            orderedBlocks.add(ordered);
            storedBlocks.add(stored);
            headerHashes.add(BlockHashing.headerHash(ordered.getHeader()));
            stateHashes.add(replay.stateHash());
            SortedMap<String, VersionedValue> state = new TreeMap<>();
            try (Ledger.StateIterator entries = replay.stateRange(SampleChannel.CHAINCODE, "", "")) {
                entries.forEachRemaining(e -> state.put(e.key(), e.value()));
            }
            states.add(state);
            long number = ordered.getHeader().getNumber();
            if (number > 0) {
                for (ByteString envelope : ordered.getData().getDataList()) {
                    String id = transactionId(envelope);
                    if (!transactions.containsKey(id)) {
                        transactions.put(id, replay.transaction(id).orElseThrow());
                    }
                }
            }
        }
    }

    /**
     * Seeded transactions over a small key space. Reads carry the versions the replay holds before the
     * block, so read-modify-writes of one key in one block conflict from the second on, and deliberately
     * stale reads always conflict.
     */
    static final class Workload {
        private final SampleChannel channel;
        private final SplittableRandom random;
        private final List<Envelope> earlier = new ArrayList<>();
        int deletes;

        Workload(SampleChannel channel, SplittableRandom random) {
            this.channel = channel;
            this.random = random;
        }

        Envelope[] transactions(Ledger replay, long number) {
            int count = random.nextInt(TRANSACTIONS_PER_BLOCK_MIN, TRANSACTIONS_PER_BLOCK_MAX + 1);
            List<Envelope> envelopes = new ArrayList<>(count);
            for (int position = 0; position < count; position++) {
                int kind = random.nextInt(100);
                Envelope envelope;
                if (kind < 4 && !earlier.isEmpty()) {
                    envelope = earlier.get(random.nextInt(earlier.size())); // a replay: DUPLICATE_TXID
                } else {
                    envelope = channel.transaction(readWriteSet(replay, kind, number, position));
                }
                envelopes.add(envelope);
            }
            earlier.addAll(envelopes);
            return envelopes.toArray(Envelope[]::new);
        }

        private KVRWSet readWriteSet(Ledger replay, int kind, long number, int position) {
            KVRWSet.Builder rwSet = KVRWSet.newBuilder();
            if (kind < 35) {
                writes(rwSet, 1 + random.nextInt(3), number, position); // blind writes
            } else if (kind < 80) {
                int reads = 1 + random.nextInt(2); // read-modify-write at the committed versions
                for (int i = 0; i < reads; i++) {
                    String key = key();
                    Version committed = replay.state(SampleChannel.CHAINCODE, key).map(VersionedValue::version)
                            .orElse(null);
                    rwSet.addReads(read(key, committed));
                    rwSet.addWrites(random.nextInt(5) == 0 ? deleteOf(key) : write(key, value(number, position)));
                }
            } else if (kind < 92) {
                String key = key(); // a stale read: a version no committed entry has now
                rwSet.addReads(read(key, new Version(number, 1_000 + position)));
                rwSet.addWrites(write(key(), value(number, position)));
            } else {
                for (int i = 1 + random.nextInt(3); i > 0; i--) {
                    rwSet.addWrites(deleteOf(key())); // blind deletes, of present or absent keys
                }
            }
            return rwSet.build();
        }

        private void writes(KVRWSet.Builder rwSet, int count, long number, int position) {
            for (int i = 0; i < count; i++) {
                rwSet.addWrites(write(key(), value(number, position)));
            }
        }

        private KVWrite deleteOf(String key) {
            deletes++;
            return delete(key);
        }

        private String key() {
            return String.format("k%02d", random.nextInt(KEYS));
        }

        private String value(long number, int position) {
            StringBuilder value = new StringBuilder("v" + number + "." + position + ".");
            for (int length = random.nextInt(VALUE_BYTES_MAX); value.length() < length; ) {
                value.append((char) ('a' + random.nextInt(26)));
            }
            return value.toString();
        }
    }

    /** Starts {@link CrashCommitter} in a fresh JVM on the same classpath. */
    static final class ChildLauncher {
        private final Path ledgerDirectory;
        private final Path blocksFile;
        private final Path genesisFile;
        private final Path logDirectory;
        private final String classPath;

        ChildLauncher(Path ledgerDirectory, Path blocksFile, Path genesisFile, Path logDirectory, String classPath) {
            this.ledgerDirectory = ledgerDirectory;
            this.blocksFile = blocksFile;
            this.genesisFile = genesisFile;
            this.logDirectory = logDirectory;
            this.classPath = classPath;
        }

        ChildRun start(int run) throws IOException {
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            Path stderr = logDirectory.resolve("child-" + run + ".stderr");
            // RocksDB extracts its native library into java.io.tmpdir and deletes it at a clean exit only;
            // a SIGKILLed child would leave 16 MiB behind in /tmp per kill. Keep it inside the test's directory.
            Path childTemp = Files.createDirectories(logDirectory.resolve("tmp-" + run));
            ProcessBuilder builder = new ProcessBuilder(java, "-ea", "-Xmx256m", "-XX:+UseSerialGC",
                    "-Djava.io.tmpdir=" + childTemp,
                    "-cp", classPath, CrashCommitter.class.getName(),
                    ledgerDirectory.toString(), blocksFile.toString(), genesisFile.toString(),
                    Integer.toString(run % 2 == 0 ? 1 : BLOCKS_PER_COMMIT_ALL))
                    .redirectError(stderr.toFile());
            Process process = builder.start();
            process.getOutputStream().close(); // the child reads nothing
            return new ChildRun(process, stderr);
        }
    }

    /** One child JVM: its stdout is read on a thread into futures the parent waits on with timeouts. */
    static final class ChildRun {
        private final Process process;
        private final Path stderr;
        private final CompletableFuture<Long> opened = new CompletableFuture<>();
        private final CompletableFuture<Long> done = new CompletableFuture<>();
        /** Highest block number the child reported committed (its commit had returned), -1 if none. */
        private final AtomicLong lastCommitted = new AtomicLong(-1);
        /** For the summary: when the child opened, committed its first and its latest block (nanoTime). */
        private final long startedNanos = System.nanoTime();
        private volatile long openedNanos;
        private volatile long firstCommitNanos;
        private volatile long lastCommitNanos;
        private volatile int commitsSeen;
        private final Thread reader;

        ChildRun(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            this.reader = new Thread(this::readStdout, "crash-child-stdout-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        private void readStdout() {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("height ")) {
                        long height = Long.parseLong(line.substring(7).trim());
                        lastCommitted.accumulateAndGet(height - 1, Math::max);
                        openedNanos = System.nanoTime();
                        opened.complete(height);
                    } else if (line.startsWith("committed ")) {
                        lastCommitNanos = System.nanoTime();
                        if (commitsSeen++ == 0) {
                            firstCommitNanos = lastCommitNanos;
                        }
                        lastCommitted.accumulateAndGet(Long.parseLong(line.substring(10).trim()), Math::max);
                    } else if (line.startsWith("done ")) {
                        done.complete(Long.parseLong(line.substring(5).trim()));
                    }
                }
            } catch (IOException | RuntimeException e) {
                opened.completeExceptionally(e);
                done.completeExceptionally(e);
            }
            opened.completeExceptionally(new IllegalStateException("child stdout ended before it reported its height"));
            done.completeExceptionally(new IllegalStateException("child stdout ended before it reported done"));
        }

        long lastCommitted() {
            return lastCommitted.get();
        }

        /** "open ms after start / first commit ms after open / blocks per second after it", for tuning. */
        String pace() {
            String open = openedNanos == 0 ? "-" : TimeUnit.NANOSECONDS.toMillis(openedNanos - startedNanos) + "ms";
            if (commitsSeen == 0) {
                return open;
            }
            long firstMs = TimeUnit.NANOSECONDS.toMillis(firstCommitNanos - openedNanos);
            long restMs = TimeUnit.NANOSECONDS.toMillis(lastCommitNanos - firstCommitNanos);
            String rate = restMs == 0 ? "-" : String.valueOf((commitsSeen - 1) * 1000L / restMs);
            return open + "/" + firstMs + "ms/" + rate;
        }

        /**
         * Waits for the child to open its ledger (unless {@code atOpen}, when the delay runs from process
         * start), then lets it run {@code delayMs} and kills it with SIGKILL. Returns true if the child had
         * already finished by itself. Returns only once the child is dead and its stdout fully read.
         */
        boolean killAfter(long delayMs, boolean atOpen, String where) throws Exception {
            try {
                if (!atOpen) {
                    awaitFuture(opened, CHILD_OPEN_TIMEOUT_MS, where + ": child reports its height");
                }
                // The fault injection moment, not a convergence wait: returns early if the child exits.
                boolean exited = process.waitFor(delayMs, TimeUnit.MILLISECONDS);
                if (!exited) {
                    process.destroyForcibly(); // SIGKILL on Linux
                }
                assertThat(process.waitFor(CHILD_EXIT_TIMEOUT_MS, TimeUnit.MILLISECONDS))
                        .as(where + ": child dies within " + CHILD_EXIT_TIMEOUT_MS + " ms").isTrue();
                reader.join(READER_EXIT_TIMEOUT_MS);
                assertThat(reader.isAlive()).as(where + ": child stdout drained").isFalse();
                int exit = process.exitValue();
                boolean finished = exit == 0 && done.isDone() && !done.isCompletedExceptionally();
                assertThat(finished || exit == SIGKILL_EXIT_CODE)
                        .as(where + ": child exit code " + exit + " is " + SIGKILL_EXIT_CODE
                                + " (killed) or 0 after \"done\"; stderr: " + stderrTail()).isTrue();
                return finished;
            } finally {
                process.destroyForcibly();
            }
        }

        void awaitDone(String where) throws Exception {
            try {
                long height = awaitFuture(done, CHILD_FINISH_TIMEOUT_MS, where + ": child commits every block");
                assertThat(process.waitFor(CHILD_EXIT_TIMEOUT_MS, TimeUnit.MILLISECONDS))
                        .as(where + ": child exits after done (height " + height + ")").isTrue();
                assertThat(process.exitValue()).as(where + ": child exit code; stderr: " + stderrTail()).isZero();
                reader.join(READER_EXIT_TIMEOUT_MS);
            } finally {
                process.destroyForcibly();
            }
        }

        private long awaitFuture(CompletableFuture<Long> future, long timeoutMs, String what) throws Exception {
            try {
                return future.get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError(what + ": timed out after " + timeoutMs + " ms; stderr: " + stderrTail(), e);
            } catch (ExecutionException e) {
                process.waitFor(CHILD_EXIT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                throw new AssertionError(what + ": " + e.getCause().getMessage() + " (exit "
                        + (process.isAlive() ? "none yet" : process.exitValue()) + "); stderr: " + stderrTail(), e);
            }
        }

        private String stderrTail() {
            try {
                String text = Files.readString(stderr);
                return text.isEmpty() ? "(empty)" : text.substring(Math.max(0, text.length() - 4_000));
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }
    }

    private static String transactionId(ByteString envelope) throws Exception {
        Payload payload = Payload.parseFrom(Envelope.parseFrom(envelope).getPayload());
        return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getTxId();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
