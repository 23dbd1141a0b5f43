package io.hearsay.ledger.storage;

import java.util.Iterator;
import java.util.List;

/**
 * Key/value storage under a ledger: a few ordered keyspaces, read key by key or by range, and written
 * only in atomic batches. The ledger's whole crash-safety argument rests on {@link #write}: one block
 * commit is one batch, so after a crash at any instant the storage holds either all of a block's
 * writes or none of them.
 *
 * <p>Two implementations satisfy one contract test suite: RocksDB on disk for peers, and a sorted map in
 * memory for the simulator.
 *
 * <p>Threading: all methods may be called from any thread. Readers never see part of a batch.
 *
 * <p>Ownership: keys and values are copied at the boundary, so mutating an array passed in or handed
 * back never changes stored data. After {@link #close}, every method (and every method of an iterator
 * still open) throws {@link StorageException}, except {@code close} itself.
 */
public interface LedgerStorage extends AutoCloseable {

    /** One stored entry. Arrays are owned by the caller once returned. */
    record Entry(byte[] key, byte[] value) {}

    /** The value stored under {@code key}, or {@code null} if there is none. */
    byte[] get(Keyspace keyspace, byte[] key);

    /**
     * The values stored under {@code keys}, in the same order, {@code null} where there is none: what
     * {@link #get} would return for each, read from one consistent view (never half of a batch). A key
     * may appear more than once. One call instead of a loop of {@code get}s, because a ledger commit
     * looks up hundreds of keys per block and each RocksDB {@code get} is a JNI crossing of its own.
     *
     * @return a list as long as {@code keys}, owned by the caller like the arrays in it
     */
    List<byte[]> multiGet(Keyspace keyspace, List<byte[]> keys);

    /**
     * The entries with {@code fromInclusive <= key < toExclusive} in unsigned lexicographic key order
     * ({@code toExclusive == null}: to the end of the keyspace). The iterator reads a consistent snapshot
     * taken when it was created. Close it when done, also when not exhausted. {@code fromInclusive} is
     * not null; an empty array starts at the first key. An empty or inverted range yields nothing.
     */
    RangeIterator scan(Keyspace keyspace, byte[] fromInclusive, byte[] toExclusive);

    /**
     * Applies every operation of {@code batch} atomically and, if the storage is configured durable,
     * syncs it to stable storage before returning.
     *
     * @throws StorageException if the write failed; then none of the batch is visible
     */
    void write(StorageBatch batch);

    /**
     * Optionally does, on the calling thread and ahead of time, the work of {@link #write} that does not touch
     * the stored data, such as serialising the batch, so that a later {@code write(batch)} takes less time on
     * whichever thread makes it. A pipelined committer prepares a block's batch while the block before is
     * being written. Changes nothing visible; a batch changed after being prepared is written as it is then.
     * A prepared batch that will not be written must be {@link #release released}. The default does nothing.
     */
    default void prepare(StorageBatch batch) {}

    /**
     * Frees what {@link #prepare} holds for {@code batch} (native memory, for RocksDB), when the batch will not be
     * written after all; {@link #write} frees it itself. Does nothing for a batch not prepared. The default does
     * nothing.
     */
    default void release(StorageBatch batch) {}

    /** Releases every resource (files, locks, native memory). Idempotent. */
    @Override
    void close();

    /** A closeable, forward-only iterator over a key range. */
    interface RangeIterator extends Iterator<Entry>, AutoCloseable {
        @Override
        void close();
    }
}
