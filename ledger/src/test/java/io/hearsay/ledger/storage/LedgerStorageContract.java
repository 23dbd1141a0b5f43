package io.hearsay.ledger.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hearsay.ledger.storage.LedgerStorage.Entry;
import io.hearsay.ledger.storage.LedgerStorage.RangeIterator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link LedgerStorage} backend must share, proved by running these tests against each
 * backend through a subclass: atomic batches, unsigned key order, snapshot scans, defensive copies,
 * persistence (where the backend is persistent) and a safe close.
 */
public abstract class LedgerStorageContract {

    /** Writer batches in the concurrency test: enough interleavings to catch a torn batch, yet fast. */
    private static final int CONCURRENT_BATCHES = 500;
    /** Upper bound on reader rounds, so the test ends even if the writer thread dies early. */
    private static final int CONCURRENT_READS_MAX = 1_000_000;

    protected LedgerStorage storage;

    /** Opens the storage under test; each test starts from an empty one. */
    protected abstract LedgerStorage open();

    /** Closes the current instance and opens the same storage again (in memory: may return the same one). */
    protected abstract LedgerStorage reopen();

    /** Whether data survives {@link #reopen}; tests of persistence are skipped when not. */
    protected abstract boolean persistent();

    @BeforeEach
    void openStorage() {
        storage = open();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }

    @Test
    void absentKeyReadsAsNull() {
        assertThat(storage.get(Keyspace.STATE, bytes("missing"))).isNull();
    }

    @Test
    void putThenGet() {
        storage.write(new StorageBatch().put(Keyspace.STATE, bytes("k"), bytes("v")));
        assertThat(storage.get(Keyspace.STATE, bytes("k"))).isEqualTo(bytes("v"));
    }

    @Test
    void aPreparedBatchWritesWhatItHoldsWhenWrittenAndPreparingAloneChangesNothing() {
        storage.write(new StorageBatch().put(Keyspace.STATE, bytes("gone"), bytes("1")));
        StorageBatch batch = new StorageBatch()
                .put(Keyspace.STATE, bytes("k"), bytes("v1"))
                .delete(Keyspace.STATE, bytes("gone"))
                .put(Keyspace.BLOCKS, bytes("b"), new byte[100_000]);
        storage.prepare(batch);
        assertThat(storage.get(Keyspace.STATE, bytes("k"))).as("preparing writes nothing").isNull();
        assertThat(storage.get(Keyspace.STATE, bytes("gone"))).isEqualTo(bytes("1"));
        batch.put(Keyspace.STATE, bytes("k"), bytes("v2")); // changed after preparing: written as it is now
        storage.write(batch);
        assertThat(storage.get(Keyspace.STATE, bytes("k"))).isEqualTo(bytes("v2"));
        assertThat(storage.get(Keyspace.STATE, bytes("gone"))).isNull();
        assertThat(storage.get(Keyspace.BLOCKS, bytes("b"))).hasSize(100_000);
        StorageBatch unchanged = new StorageBatch().put(Keyspace.META, bytes("m"), bytes("x"));
        storage.prepare(unchanged);
        storage.write(unchanged);
        assertThat(storage.get(Keyspace.META, bytes("m"))).isEqualTo(bytes("x"));
        storage.prepare(new StorageBatch()); // an empty batch: nothing to prepare
    }

    @Test
    void aPreparedBatchThatIsReleasedIsWrittenLaterAsItIsAndCanBePreparedAgain() {
        StorageBatch batch = new StorageBatch().put(Keyspace.STATE, bytes("k"), bytes("v"));
        storage.prepare(batch);
        storage.release(batch);
        storage.release(batch); // once is enough; again does nothing
        assertThat(storage.get(Keyspace.STATE, bytes("k"))).as("releasing writes nothing").isNull();
        storage.write(batch);
        assertThat(storage.get(Keyspace.STATE, bytes("k"))).isEqualTo(bytes("v"));
        storage.prepare(batch);
        storage.prepare(batch); // preparing twice keeps one preparation
        batch.put(Keyspace.STATE, bytes("k"), bytes("v2"));
        storage.prepare(batch);
        storage.write(batch);
        storage.write(batch); // the preparation was used once; the same batch again writes the same
        assertThat(storage.get(Keyspace.STATE, bytes("k"))).isEqualTo(bytes("v2"));
        storage.release(new StorageBatch()); // never prepared: nothing to release
    }

    @Test
    void multiGetReturnsValuesInKeyOrderWithNullWhereAbsent() {
        storage.write(new StorageBatch()
                .put(Keyspace.STATE, bytes("a"), bytes("1"))
                .put(Keyspace.STATE, bytes("c"), bytes("3"))
                .put(Keyspace.TRANSACTIONS, bytes("b"), bytes("other keyspace")));
        List<byte[]> values = storage.multiGet(Keyspace.STATE,
                List.of(bytes("c"), bytes("b"), bytes("a"), bytes("c"), bytes("missing")));
        assertThat(values).hasSize(5);
        assertThat(values.get(0)).isEqualTo(bytes("3"));
        assertThat(values.get(1)).as("b is only in another keyspace").isNull();
        assertThat(values.get(2)).isEqualTo(bytes("1"));
        assertThat(values.get(3)).as("a repeated key is answered each time").isEqualTo(bytes("3"));
        assertThat(values.get(4)).isNull();
        assertThat(storage.multiGet(Keyspace.STATE, List.of())).isEmpty();
    }

    @Test
    void multiGetAgreesWithGetAfterOverwritesAndDeletes() {
        storage.write(new StorageBatch().put(Keyspace.STATE, bytes("a"), bytes("1")).put(Keyspace.STATE, bytes("b"), bytes("1")));
        storage.write(new StorageBatch().put(Keyspace.STATE, bytes("a"), bytes("2")).delete(Keyspace.STATE, bytes("b")));
        List<byte[]> keys = List.of(bytes("a"), bytes("b"));
        List<byte[]> values = storage.multiGet(Keyspace.STATE, keys);
        for (int i = 0; i < keys.size(); i++) {
            assertThat(values.get(i)).isEqualTo(storage.get(Keyspace.STATE, keys.get(i)));
        }
        assertThat(values.get(0)).isEqualTo(bytes("2"));
        assertThat(values.get(1)).isNull();
    }

    @Test
    void overwriteReplacesValue() {
        storage.write(new StorageBatch().put(Keyspace.STATE, bytes("k"), bytes("v1")));
        storage.write(new StorageBatch().put(Keyspace.STATE, bytes("k"), bytes("v2")));
        assertThat(storage.get(Keyspace.STATE, bytes("k"))).isEqualTo(bytes("v2"));
    }

    @Test
    void deleteRemovesKey() {
        storage.write(new StorageBatch().put(Keyspace.STATE, bytes("k"), bytes("v")));
        storage.write(new StorageBatch().delete(Keyspace.STATE, bytes("k")));
        assertThat(storage.get(Keyspace.STATE, bytes("k"))).isNull();
        storage.write(new StorageBatch().delete(Keyspace.STATE, bytes("never-written")));
    }

    @Test
    void lastOperationOnAKeyInABatchWins() {
        storage.write(new StorageBatch()
                .put(Keyspace.STATE, bytes("a"), bytes("1"))
                .put(Keyspace.STATE, bytes("a"), bytes("2"))
                .put(Keyspace.STATE, bytes("b"), bytes("1"))
                .delete(Keyspace.STATE, bytes("b"))
                .delete(Keyspace.STATE, bytes("c"))
                .put(Keyspace.STATE, bytes("c"), bytes("3")));
        assertThat(storage.get(Keyspace.STATE, bytes("a"))).isEqualTo(bytes("2"));
        assertThat(storage.get(Keyspace.STATE, bytes("b"))).isNull();
        assertThat(storage.get(Keyspace.STATE, bytes("c"))).isEqualTo(bytes("3"));
    }

    @Test
    void keyspacesAreIndependent() {
        StorageBatch batch = new StorageBatch();
        for (Keyspace keyspace : Keyspace.values()) {
            batch.put(keyspace, bytes("same"), bytes(keyspace.storageName()));
        }
        storage.write(batch);
        storage.write(new StorageBatch().delete(Keyspace.BLOCKS, bytes("same")));
        assertThat(storage.get(Keyspace.BLOCKS, bytes("same"))).isNull();
        for (Keyspace keyspace : Keyspace.values()) {
            if (keyspace != Keyspace.BLOCKS) {
                assertThat(storage.get(keyspace, bytes("same"))).isEqualTo(bytes(keyspace.storageName()));
                assertThat(keys(keyspace, new byte[0], null)).containsExactly(bytes("same"));
            }
        }
    }

    @Test
    void scanOrderIsUnsignedLexicographic() {
        byte[][] inOrder = {{}, {0x00}, {0x01}, {0x01, 0x00}, {0x7f}, {(byte) 0x80}, {(byte) 0x80, 0x00}, {(byte) 0xff}};
        StorageBatch batch = new StorageBatch();
        for (int i = inOrder.length - 1; i >= 0; i--) {
            batch.put(Keyspace.BLOCKS, inOrder[i], new byte[] {(byte) i});
        }
        storage.write(batch);
        assertThat(keys(Keyspace.BLOCKS, new byte[0], null)).containsExactly(inOrder);
    }

    @Test
    void scanBoundsAreInclusiveThenExclusive() {
        StorageBatch batch = new StorageBatch();
        for (long number = 0; number < 10; number++) {
            batch.put(Keyspace.BLOCKS, blockNumber(number), bytes("block " + number));
        }
        storage.write(batch);
        assertThat(keys(Keyspace.BLOCKS, blockNumber(3), blockNumber(6)))
                .containsExactly(blockNumber(3), blockNumber(4), blockNumber(5));
        assertThat(keys(Keyspace.BLOCKS, blockNumber(8), null)).containsExactly(blockNumber(8), blockNumber(9));
        assertThat(keys(Keyspace.BLOCKS, blockNumber(20), null)).isEmpty();
        assertThat(keys(Keyspace.BLOCKS, blockNumber(5), blockNumber(5))).isEmpty();
        assertThat(keys(Keyspace.BLOCKS, blockNumber(6), blockNumber(3))).isEmpty();
        try (RangeIterator range = storage.scan(Keyspace.BLOCKS, blockNumber(9), null)) {
            Entry entry = range.next();
            assertThat(entry.key()).isEqualTo(blockNumber(9));
            assertThat(entry.value()).isEqualTo(bytes("block 9"));
            assertThat(range.hasNext()).isFalse();
            assertThatThrownBy(range::next).isInstanceOf(java.util.NoSuchElementException.class);
        }
    }

    @Test
    void scanSeesTheSnapshotTakenAtCreation() {
        storage.write(new StorageBatch()
                .put(Keyspace.STATE, bytes("a"), bytes("old"))
                .put(Keyspace.STATE, bytes("c"), bytes("old")));
        try (RangeIterator range = storage.scan(Keyspace.STATE, new byte[0], null)) {
            storage.write(new StorageBatch()
                    .put(Keyspace.STATE, bytes("a"), bytes("new"))
                    .put(Keyspace.STATE, bytes("b"), bytes("new"))
                    .delete(Keyspace.STATE, bytes("c")));
            List<String> seen = new ArrayList<>();
            range.forEachRemaining(entry -> seen.add(string(entry.key()) + "=" + string(entry.value())));
            assertThat(seen).containsExactly("a=old", "c=old");
        }
        assertThat(keys(Keyspace.STATE, new byte[0], null)).containsExactly(bytes("a"), bytes("b"));
    }

    /**
     * A writer sets a and b to the same counter in each batch, b first; a reader checks that no snapshot
     * shows them different, and that reading b then a never finds a behind b (which a torn batch allows).
     */
    @Test
    void concurrentReadersNeverSeeHalfABatch() throws Exception {
        storage.write(counterBatch(0));
        AtomicBoolean writerDone = new AtomicBoolean();
        CountDownLatch readerStarted = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer = threads.submit(() -> {
                try {
                    // Overlap the two threads: a fast backend could otherwise finish before the reader runs.
                    assertThat(readerStarted.await(30, TimeUnit.SECONDS)).isTrue();
                    for (long counter = 1; counter <= CONCURRENT_BATCHES; counter++) {
                        storage.write(counterBatch(counter));
                    }
                    return null;
                } finally {
                    writerDone.set(true);
                }
            });
            Future<Integer> reader = threads.submit(() -> {
                readerStarted.countDown();
                int reads = 0;
                do {
                    try (RangeIterator range = storage.scan(Keyspace.STATE, bytes("a"), bytes("c"))) {
                        long a = counter(range.next().value());
                        long b = counter(range.next().value());
                        assertThat(a).as("a and b in one snapshot").isEqualTo(b);
                    }
                    long b = counter(storage.get(Keyspace.STATE, bytes("b")));
                    long a = counter(storage.get(Keyspace.STATE, bytes("a")));
                    assertThat(a).as("a read after b").isGreaterThanOrEqualTo(b);
                    List<byte[]> both = storage.multiGet(Keyspace.STATE, List.of(bytes("b"), bytes("a")));
                    assertThat(counter(both.get(1))).as("a and b in one multiGet").isEqualTo(counter(both.get(0)));
                    reads++;
                } while (!writerDone.get() && reads < CONCURRENT_READS_MAX);
                return reads;
            });
            writer.get(60, TimeUnit.SECONDS);
            assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
        } finally {
            threads.shutdownNow();
        }
        assertThat(counter(storage.get(Keyspace.STATE, bytes("a")))).isEqualTo(CONCURRENT_BATCHES);
    }

    @Test
    void emptyBatchIsAccepted() {
        storage.write(new StorageBatch());
        assertThat(keys(Keyspace.STATE, new byte[0], null)).isEmpty();
    }

    @Test
    void keysAndValuesAreCopiedAtTheBoundary() {
        byte[] key = bytes("k");
        byte[] value = bytes("v");
        storage.write(new StorageBatch().put(Keyspace.STATE, key, value));
        key[0] = 'x';
        value[0] = 'x';
        byte[] read = storage.get(Keyspace.STATE, bytes("k"));
        assertThat(read).isEqualTo(bytes("v"));
        read[0] = 'y';
        assertThat(storage.get(Keyspace.STATE, bytes("k"))).isEqualTo(bytes("v"));
        byte[] multiKey = bytes("k");
        List<byte[]> multiRead = storage.multiGet(Keyspace.STATE, List.of(multiKey));
        multiKey[0] = 'x';
        multiRead.get(0)[0] = 'y';
        assertThat(storage.get(Keyspace.STATE, bytes("k"))).isEqualTo(bytes("v"));
        try (RangeIterator range = storage.scan(Keyspace.STATE, new byte[0], null)) {
            Entry entry = range.next();
            entry.key()[0] = 'z';
            entry.value()[0] = 'z';
        }
        assertThat(keys(Keyspace.STATE, new byte[0], null)).containsExactly(bytes("k"));
        assertThat(storage.get(Keyspace.STATE, bytes("k"))).isEqualTo(bytes("v"));
    }

    @Test
    void dataSurvivesReopen() {
        assumeTrue(persistent(), "backend is not persistent");
        storage.write(new StorageBatch()
                .put(Keyspace.BLOCKS, blockNumber(0), bytes("genesis"))
                .put(Keyspace.META, bytes("height"), blockNumber(1)));
        storage.write(new StorageBatch().put(Keyspace.STATE, bytes("k"), bytes("v")).delete(Keyspace.META, bytes("x")));
        storage = reopen();
        assertThat(storage.get(Keyspace.BLOCKS, blockNumber(0))).isEqualTo(bytes("genesis"));
        assertThat(storage.get(Keyspace.META, bytes("height"))).isEqualTo(blockNumber(1));
        assertThat(keys(Keyspace.STATE, new byte[0], null)).containsExactly(bytes("k"));
    }

    @Test
    void everyMethodThrowsAfterClose() {
        storage.write(new StorageBatch().put(Keyspace.STATE, bytes("a"), bytes("1")).put(Keyspace.STATE, bytes("b"), bytes("2")));
        RangeIterator openRange = storage.scan(Keyspace.STATE, new byte[0], null);
        openRange.next();
        storage.close();
        assertClosed(() -> storage.get(Keyspace.STATE, bytes("a")));
        assertClosed(() -> storage.multiGet(Keyspace.STATE, List.of(bytes("a"))));
        assertClosed(() -> storage.multiGet(Keyspace.STATE, List.of()));
        assertClosed(() -> storage.scan(Keyspace.STATE, new byte[0], null));
        assertClosed(() -> storage.write(new StorageBatch().put(Keyspace.STATE, bytes("c"), bytes("3"))));
        assertClosed(() -> storage.write(new StorageBatch()));
        assertClosed(openRange::hasNext);
        assertClosed(openRange::next);
        openRange.close(); // closing an iterator after its storage is harmless
    }

    @Test
    void closeIsIdempotent() {
        storage.write(new StorageBatch().put(Keyspace.STATE, bytes("a"), bytes("1")));
        storage.close();
        storage.close();
    }

    private static void assertClosed(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(StorageException.class).hasMessageContaining("storage is closed");
    }

    private List<byte[]> keys(Keyspace keyspace, byte[] fromInclusive, byte[] toExclusive) {
        List<byte[]> keys = new ArrayList<>();
        try (RangeIterator range = storage.scan(keyspace, fromInclusive, toExclusive)) {
            range.forEachRemaining(entry -> keys.add(entry.key()));
        }
        return keys;
    }

    private static StorageBatch counterBatch(long counter) {
        byte[] value = blockNumber(counter);
        return new StorageBatch().put(Keyspace.STATE, bytes("b"), value).put(Keyspace.STATE, bytes("a"), value);
    }

    private static long counter(byte[] value) {
        return ByteBuffer.wrap(value).getLong();
    }

    static byte[] blockNumber(long number) {
        return ByteBuffer.allocate(Long.BYTES).putLong(number).array();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
