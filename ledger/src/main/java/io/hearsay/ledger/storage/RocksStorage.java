package io.hearsay.ledger.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LedgerStorage} on RocksDB: one column family per {@link Keyspace} (named by
 * {@link Keyspace#storageName()}, beside RocksDB's mandatory "default"), one {@link WriteBatch} per
 * {@link #write}, and scans that read a RocksDB {@link Snapshot}. Memory comes from the process-wide
 * {@link RocksResources}, so many ledgers in one JVM share one budget.
 *
 * <p>Use after close: touching a released native handle crashes the JVM instead of throwing, so every
 * operation holds the read side of a {@link ReentrantReadWriteLock} and checks {@code closed}; {@link
 * #close} takes the write side, so it waits for in-flight calls, then releases open iterators, column
 * families, the database and the options, in that order (RocksDB refuses to close with live snapshots).
 * The read side is shared, so gets, scans and writes from many threads still run concurrently.
 */
public final class RocksStorage implements LedgerStorage {

    static {
        RocksDB.loadLibrary();
    }

    private static final Logger log = LoggerFactory.getLogger(RocksStorage.class);

    /** About 1% false positives for about 1.25 bytes per key, held in the shared block cache. */
    private static final double BLOOM_BITS_PER_KEY = 10.0;
    /** RocksDB's own info LOG: bounded to 3 files of 1 MiB per ledger so 100 ledgers cannot fill a disk. */
    private static final long INFO_LOG_FILE_BYTES_MAX = 1024L * 1024L;
    private static final long INFO_LOG_FILES_KEPT = 3;

    private final Path directory;
    private final RocksResources resources;
    private final NativeOptions nativeOptions;
    private final RocksDB db;
    /** Every handle RocksDB returned, "default" included: all must be closed before the database. */
    private final List<ColumnFamilyHandle> handles;
    private final EnumMap<Keyspace, ColumnFamilyHandle> columnFamilies = new EnumMap<>(Keyspace.class);
    /** RocksDB's id of each keyspace's column family, by {@link Keyspace#ordinal()}: what a serialised batch names. */
    private final int[] columnFamilyIds = new int[Keyspace.values().length];
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Iterators holding native snapshots; closed by {@link #close} if their callers have not. */
    private final Set<SnapshotIterator> openIterators = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private RocksStorage(Path directory, RocksResources resources, NativeOptions nativeOptions, RocksDB db,
            List<ColumnFamilyHandle> handles) {
        this.directory = directory;
        this.resources = resources;
        this.nativeOptions = nativeOptions;
        this.db = db;
        this.handles = handles;
        // open() passed the descriptors as "default" followed by Keyspace.values(), and handles match them.
        for (Keyspace keyspace : Keyspace.values()) {
            ColumnFamilyHandle handle = handles.get(keyspace.ordinal() + 1);
            columnFamilies.put(keyspace, handle);
            columnFamilyIds[keyspace.ordinal()] = handle.getID();
        }
    }

    /**
     * Opens (creating if needed) the ledger storage in {@code directory}.
     *
     * @throws StorageException if the directory cannot be created, is in use by another open instance, or
     *     RocksDB fails to open it
     */
    public static RocksStorage open(Path directory, RocksStorageOptions options, RocksResources resources) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(resources, "resources");
        if (options.writeBufferBytes() > resources.config().writeBufferManagerBytes()) {
            throw new IllegalArgumentException("writeBufferBytes (" + options.writeBufferBytes()
                    + ") must not exceed the shared writeBufferManagerBytes ("
                    + resources.config().writeBufferManagerBytes() + "): one memtable would use the whole budget");
        }
        Path absolute = directory.toAbsolutePath();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new StorageException("cannot create ledger directory " + absolute + ": " + e, e);
        }
        resources.acquire();
        NativeOptions nativeOptions = null;
        try {
            nativeOptions = new NativeOptions(options, resources);
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, nativeOptions.columnFamily));
            for (Keyspace keyspace : Keyspace.values()) {
                descriptors.add(new ColumnFamilyDescriptor(keyspace.storageName().getBytes(StandardCharsets.UTF_8),
                        nativeOptions.columnFamily(keyspace)));
            }
            List<ColumnFamilyHandle> handles = new ArrayList<>(descriptors.size());
            RocksDB db = RocksDB.open(nativeOptions.database, absolute.toString(), descriptors, handles);
            log.debug("opened ledger storage at {}", absolute);
            return new RocksStorage(absolute, resources, nativeOptions, db, handles);
        } catch (RocksDBException e) {
            releaseAfterFailedOpen(nativeOptions, resources);
            throw openFailure(absolute, e);
        } catch (RuntimeException | Error e) {
            releaseAfterFailedOpen(nativeOptions, resources);
            throw e;
        }
    }

    /** The absolute directory this storage lives in. */
    public Path directory() {
        return directory;
    }

    @Override
    public byte[] get(Keyspace keyspace, byte[] key) {
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(key, "key");
        lock.readLock().lock();
        try {
            checkOpen();
            // JNI copies the key in and returns a fresh array, so no defensive copy is needed here.
            return db.get(columnFamilies.get(keyspace), key);
        } catch (RocksDBException e) {
            throw failure("get from " + keyspace.storageName(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<byte[]> multiGet(Keyspace keyspace, List<byte[]> keys) {
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(keys, "keys");
        keys.forEach(key -> Objects.requireNonNull(key, "key"));
        lock.readLock().lock();
        try {
            checkOpen();
            if (keys.isEmpty()) {
                return new ArrayList<>();
            }
            // RocksDB's MultiGet reads every key at one sequence number, so the view is consistent; RocksJava
            // wants one handle per key. The returned list is fresh and its arrays are copies.
            return db.multiGetAsList(Collections.nCopies(keys.size(), columnFamilies.get(keyspace)), keys);
        } catch (RocksDBException e) {
            throw failure("multiGet of " + keys.size() + " keys from " + keyspace.storageName(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public RangeIterator scan(Keyspace keyspace, byte[] fromInclusive, byte[] toExclusive) {
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(fromInclusive, "fromInclusive (use an empty array to start at the first key)");
        lock.readLock().lock();
        try {
            checkOpen();
            if (toExclusive != null && Arrays.compareUnsigned(fromInclusive, toExclusive) >= 0) {
                return new SnapshotIterator(); // empty range: no native handles needed
            }
            SnapshotIterator iterator = new SnapshotIterator(columnFamilies.get(keyspace), fromInclusive, toExclusive);
            openIterators.add(iterator);
            return iterator;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void write(StorageBatch batch) {
        Objects.requireNonNull(batch, "batch");
        lock.readLock().lock();
        try {
            checkOpen();
            if (batch.isEmpty()) {
                return; // nothing to make durable
            }
            // One JNI call builds the whole batch (see WriteBatchEncoding), not one per operation; prepare made it
            // already if it was called.
            WriteBatch prepared = batch.takePreparedBy(this) instanceof WriteBatch made ? made : null;
            try (WriteBatch writeBatch = prepared != null ? prepared
                    : new WriteBatch(WriteBatchEncoding.encode(batch.operations(), columnFamilyIds))) {
                // One WriteBatch is one WAL record: RocksDB applies all of it or, after a crash, none.
                db.write(nativeOptions.write, writeBatch);
            }
        } catch (RocksDBException e) {
            throw failure("write of " + batch.operations().size() + " operations", e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Serialises the batch ({@link WriteBatchEncoding}) and copies it into RocksDB's native batch now, so that
     * {@link #write} only hands that to the database: the copy (fresh native memory, page faults and all) was a
     * tenth of the writer's time when it ran there, the writer being the critical path of a pipelined commit.
     */
    @Override
    public void prepare(StorageBatch batch) {
        Objects.requireNonNull(batch, "batch");
        if (!batch.isEmpty()) {
            batch.prepared(this, new WriteBatch(WriteBatchEncoding.encode(batch.operations(), columnFamilyIds)));
        }
    }

    @Override
    public void release(StorageBatch batch) {
        if (batch.takePreparedBy(this) instanceof WriteBatch prepared) {
            prepared.close();
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
            openIterators.forEach(SnapshotIterator::release);
            openIterators.clear();
            handles.forEach(ColumnFamilyHandle::close);
            RocksDBException failure = null;
            try {
                db.closeE(); // releases the LOCK file, so the directory can be reopened at once
            } catch (RocksDBException e) {
                failure = e; // RocksJava has disposed the handle anyway; finish releasing the rest
            }
            nativeOptions.close();
            resources.release();
            log.debug("closed ledger storage at {}", directory);
            if (failure != null) {
                throw failure("close", failure);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StorageException("storage is closed (ledger at " + directory + ")");
        }
    }

    private StorageException failure(String operation, RocksDBException e) {
        return new StorageException(
                "RocksDB " + operation + " failed for ledger at " + directory + ": " + e.getMessage(), e);
    }

    private static StorageException openFailure(Path directory, RocksDBException e) {
        String message = String.valueOf(e.getMessage());
        // RocksDB reports "While lock file: .../LOCK: Resource temporarily unavailable" for another process
        // and "lock hold by current process" for another instance in this JVM.
        if (message.toLowerCase(Locale.ROOT).contains("lock")) {
            return new StorageException("ledger directory " + directory + " is in use and locked: another process"
                    + " or another open RocksStorage instance in this process has this ledger open. Close that"
                    + " instance or stop that process, then open again; do not delete the LOCK file. (" + message
                    + ")", e);
        }
        return new StorageException("RocksDB open failed for ledger at " + directory + ": " + message, e);
    }

    private static void releaseAfterFailedOpen(NativeOptions nativeOptions, RocksResources resources) {
        if (nativeOptions != null) {
            nativeOptions.close();
        }
        resources.release();
    }

    /**
     * The keyspaces a commit probes for every transaction (is this id committed? what is this key's current
     * value?), where most probes of a fresh id or key find nothing. RocksDB answers such a miss from the
     * memtable only after a skip-list search of it; a Bloom filter over the memtable's keys answers most
     * misses with a few bit tests.
     */
    private static final Set<Keyspace> PROBED_PER_TRANSACTION = Set.of(Keyspace.TRANSACTIONS, Keyspace.STATE);
    /**
     * Size of each memtable's Bloom filter as a share of the memtable ({@code memtable_prefix_bloom_size_ratio}):
     * 2 % of 4 MiB is 84 KB, about 16 bits per entry of a full memtable of about 100-byte entries, under 1 %
     * false positives. It comes out of the memtable budget: two probed keyspaces cost 168 KB per ledger.
     */
    private static final double MEMTABLE_BLOOM_RATIO = 0.02;

    /** The native option objects one database needs, released after the database is closed. */
    private static final class NativeOptions implements AutoCloseable {
        final BloomFilter bloomFilter;
        final ColumnFamilyOptions columnFamily;
        /** {@link #columnFamily} plus a memtable Bloom filter, for {@link #PROBED_PER_TRANSACTION}. */
        final ColumnFamilyOptions probedColumnFamily;
        final DBOptions database;
        final WriteOptions write;

        NativeOptions(RocksStorageOptions options, RocksResources resources) {
            bloomFilter = new BloomFilter(BLOOM_BITS_PER_KEY);
            BlockBasedTableConfig table = new BlockBasedTableConfig()
                    .setBlockCache(resources.blockCache())
                    .setFilterPolicy(bloomFilter)
                    // Index and filter blocks in the shared cache keep per-ledger memory bounded; pinning
                    // level 0's keeps the freshest files' lookups from missing the cache.
                    .setCacheIndexAndFilterBlocks(true)
                    .setPinL0FilterAndIndexBlocksInCache(true);
            columnFamily = new ColumnFamilyOptions()
                    .setWriteBufferSize(options.writeBufferBytes())
                    .setCompressionType(compressionType(options.compression()))
                    .setTableFormatConfig(table);
            probedColumnFamily = new ColumnFamilyOptions()
                    .setWriteBufferSize(options.writeBufferBytes())
                    .setCompressionType(compressionType(options.compression()))
                    .setTableFormatConfig(table)
                    .setMemtablePrefixBloomSizeRatio(MEMTABLE_BLOOM_RATIO)
                    .setMemtableWholeKeyFiltering(true);
            database = new DBOptions()
                    .setCreateIfMissing(true)
                    .setCreateMissingColumnFamilies(true)
                    .setEnv(resources.env())
                    .setWriteBufferManager(resources.writeBufferManager())
                    .setMaxOpenFiles(options.maxOpenFiles())
                    .setMaxBackgroundJobs(options.maxBackgroundJobs())
                    .setMaxLogFileSize(INFO_LOG_FILE_BYTES_MAX)
                    .setKeepLogFileNum(INFO_LOG_FILES_KEPT);
            write = new WriteOptions().setSync(options.syncWrites());
        }

        private static CompressionType compressionType(RocksStorageOptions.Compression compression) {
            return switch (compression) {
                case NONE -> CompressionType.NO_COMPRESSION;
                case LZ4 -> CompressionType.LZ4_COMPRESSION;
                case SNAPPY -> CompressionType.SNAPPY_COMPRESSION;
                case ZSTD -> CompressionType.ZSTD_COMPRESSION;
            };
        }

        ColumnFamilyOptions columnFamily(Keyspace keyspace) {
            return PROBED_PER_TRANSACTION.contains(keyspace) ? probedColumnFamily : columnFamily;
        }

        @Override
        public void close() {
            write.close();
            database.close();
            probedColumnFamily.close();
            columnFamily.close();
            bloomFilter.close();
        }
    }

    /**
     * A scan over a RocksDB snapshot. Its native handles are released when it is exhausted, closed, or
     * when the storage closes, whichever comes first. Not for concurrent use by several threads.
     */
    private final class SnapshotIterator implements RangeIterator {
        private Snapshot snapshot;
        private ReadOptions readOptions;
        private Slice upperBound;
        private RocksIterator iterator;

        /** An empty range. */
        SnapshotIterator() {}

        /** Called under the storage's read lock. */
        SnapshotIterator(ColumnFamilyHandle family, byte[] fromInclusive, byte[] toExclusive) {
            snapshot = db.getSnapshot();
            try {
                readOptions = new ReadOptions().setSnapshot(snapshot);
                if (toExclusive != null) {
                    upperBound = new Slice(toExclusive); // copies the bytes into native memory
                    readOptions.setIterateUpperBound(upperBound);
                }
                iterator = db.newIterator(family, readOptions);
                iterator.seek(fromInclusive);
            } catch (RuntimeException | Error e) {
                release();
                throw e;
            }
        }

        @Override
        public boolean hasNext() {
            lock.readLock().lock();
            try {
                return hasNextLocked();
            } finally {
                lock.readLock().unlock();
            }
        }

        @Override
        public Entry next() {
            lock.readLock().lock();
            try {
                if (!hasNextLocked()) {
                    throw new NoSuchElementException("range exhausted or iterator closed");
                }
                Entry entry = new Entry(iterator.key(), iterator.value());
                iterator.next();
                return entry;
            } finally {
                lock.readLock().unlock();
            }
        }

        private boolean hasNextLocked() {
            checkOpen();
            if (iterator == null) {
                return false;
            }
            if (iterator.isValid()) {
                return true;
            }
            try {
                iterator.status(); // invalid means either the end of the range or an I/O error
            } catch (RocksDBException e) {
                closeLocked();
                throw failure("scan", e);
            }
            closeLocked(); // exhausted: give the snapshot back now rather than when the caller closes
            return false;
        }

        @Override
        public void close() {
            lock.readLock().lock();
            try {
                closeLocked();
            } finally {
                lock.readLock().unlock();
            }
        }

        private void closeLocked() {
            release();
            openIterators.remove(this);
        }

        /** Idempotent; under the read lock (caller) or the write lock ({@link RocksStorage#close}). */
        synchronized void release() {
            if (iterator != null) {
                iterator.close();
                iterator = null;
            }
            if (readOptions != null) {
                readOptions.close();
                readOptions = null;
            }
            if (upperBound != null) {
                upperBound.close();
                upperBound = null;
            }
            if (snapshot != null) {
                db.releaseSnapshot(snapshot);
                snapshot = null;
            }
        }
    }
}
