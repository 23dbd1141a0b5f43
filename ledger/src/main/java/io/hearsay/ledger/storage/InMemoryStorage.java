package io.hearsay.ledger.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * {@link LedgerStorage} in memory, for the simulator and tests: one {@link TreeMap} per keyspace, ordered
 * by unsigned lexicographic comparison of keys, the order RocksDB's default comparator uses, so both
 * backends scan identically.
 *
 * <p>Concurrency: one {@link ReentrantReadWriteLock} guards all keyspaces. {@link #write} applies a whole
 * batch under the write lock, so readers (who take the read lock) see all of a batch or none of it.
 *
 * <p>Snapshot strategy and its cost: {@link #scan} copies the references of the requested range into an
 * array under the read lock, then iterates the copy without any lock. That makes the iterator
 * snapshot-consistent at the price of O(k log n) time and O(k) references of memory at creation, k being
 * the number of entries in the range, while writers wait. No key or value bytes are copied then: stored
 * arrays are private and never mutated, so sharing them with the snapshot is safe; each entry is copied
 * once more when {@link RangeIterator#next} hands it to the caller. Callers should therefore scan bounded
 * ranges (anti-entropy ranges, a block's index entries), not whole large keyspaces in a hot loop. The
 * alternatives were worse for the simulator: an immutable map per batch costs O(n) per write, and
 * copy-on-write of the whole keyspace when a scan is open costs O(n) per write whenever scans and commits
 * interleave, which is exactly anti-entropy's pattern.
 *
 * <p>Footprint: a simulator runs many peers in one JVM, so an instance is just an {@link EnumMap} of six
 * initially empty {@link TreeMap}s and one lock; there are no threads, buffers or caches.
 *
 * <p>Keys and values are copied at the boundary in both directions, so a caller mutating an array it
 * passed in or got back cannot change the stored data.
 */
public final class InMemoryStorage implements LedgerStorage {

    private static final String CLOSED_MESSAGE = "storage is closed";

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final EnumMap<Keyspace, NavigableMap<byte[], byte[]>> keyspaces = new EnumMap<>(Keyspace.class);

    /** Written only under the write lock; volatile so iterators, which hold no lock, see it promptly. */
    private volatile boolean closed;

    public InMemoryStorage() {
        for (Keyspace keyspace : Keyspace.values()) {
            keyspaces.put(keyspace, new TreeMap<>(Arrays::compareUnsigned));
        }
    }

    @Override
    public byte[] get(Keyspace keyspace, byte[] key) {
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(key, "key");
        lock.readLock().lock();
        try {
            checkOpen();
            byte[] value = keyspaces.get(keyspace).get(key);
            return value == null ? null : value.clone();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<byte[]> multiGet(Keyspace keyspace, List<byte[]> keys) {
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(keys, "keys");
        List<byte[]> values = new ArrayList<>(keys.size());
        // One read lock for all keys: a write lands before or after the whole lookup, never inside it.
        lock.readLock().lock();
        try {
            checkOpen();
            NavigableMap<byte[], byte[]> map = keyspaces.get(keyspace);
            for (byte[] key : keys) {
                byte[] value = map.get(Objects.requireNonNull(key, "key"));
                values.add(value == null ? null : value.clone());
            }
        } finally {
            lock.readLock().unlock();
        }
        return values;
    }

    @Override
    public RangeIterator scan(Keyspace keyspace, byte[] fromInclusive, byte[] toExclusive) {
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(fromInclusive, "fromInclusive (use an empty array to start at the first key)");
        lock.readLock().lock();
        try {
            checkOpen();
            NavigableMap<byte[], byte[]> map = keyspaces.get(keyspace);
            if (toExclusive != null && Arrays.compareUnsigned(fromInclusive, toExclusive) >= 0) {
                // TreeMap.subMap rejects an inverted range; an empty result is the contract.
                return new SnapshotIterator(new byte[0][], new byte[0][]);
            }
            Map<byte[], byte[]> range = toExclusive == null
                    ? map.tailMap(fromInclusive, true)
                    : map.subMap(fromInclusive, true, toExclusive, false);
            byte[][] keys = new byte[range.size()][];
            byte[][] values = new byte[keys.length][];
            int i = 0;
            for (Map.Entry<byte[], byte[]> entry : range.entrySet()) {
                keys[i] = entry.getKey();
                values[i] = entry.getValue();
                i++;
            }
            return new SnapshotIterator(keys, values);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void write(StorageBatch batch) {
        Objects.requireNonNull(batch, "batch");
        // Copy before locking: the copy is the slow part, and readers need not wait for it.
        var operations = batch.operations();
        Keyspace[] targets = new Keyspace[operations.size()];
        byte[][] keys = new byte[targets.length][];
        byte[][] values = new byte[targets.length][];
        for (int i = 0; i < targets.length; i++) {
            StorageBatch.Operation operation = operations.get(i);
            targets[i] = operation.keyspace();
            keys[i] = operation.key().clone();
            values[i] = operation.isDelete() ? null : operation.value().clone();
        }
        lock.writeLock().lock();
        try {
            checkOpen();
            // Nothing below can fail half-way (keys and keyspaces are non-null), so the batch is all-or-none.
            for (int i = 0; i < targets.length; i++) {
                NavigableMap<byte[], byte[]> map = keyspaces.get(targets[i]);
                if (values[i] == null) {
                    map.remove(keys[i]);
                } else {
                    map.put(keys[i], values[i]);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            // Drop the data now: a closed peer in a long simulation should not keep its ledger alive.
            keyspaces.values().forEach(Map::clear);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StorageException(CLOSED_MESSAGE);
        }
    }

    /** Iterates a copied range; after the storage closes it throws, as the RocksDB iterator must. */
    private final class SnapshotIterator implements RangeIterator {
        private byte[][] keys;
        private byte[][] values;
        private int position;

        SnapshotIterator(byte[][] keys, byte[][] values) {
            this.keys = keys;
            this.values = values;
        }

        @Override
        public boolean hasNext() {
            checkOpen();
            return keys != null && position < keys.length;
        }

        @Override
        public Entry next() {
            if (!hasNext()) {
                throw new NoSuchElementException("range exhausted or iterator closed");
            }
            Entry entry = new Entry(keys[position].clone(), values[position].clone());
            // Let the snapshot's entries be collected as the caller walks a large range.
            keys[position] = null;
            values[position] = null;
            position++;
            return entry;
        }

        @Override
        public void close() {
            keys = null;
            values = null;
        }
    }
}
