package io.hearsay.ledger.storage;

import java.util.Objects;
import org.rocksdb.Cache;
import org.rocksdb.Env;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * RocksDB memory and threads shared by every {@link RocksStorage} of a process, so that 100 ledgers in one
 * JVM cost one budget instead of 100: one LRU block cache (data, index and filter blocks), one write buffer
 * manager that charges all memtables to that same cache, and the default {@link Env} whose flush and
 * compaction thread pools every RocksDB instance already shares.
 *
 * <pre>
 *   RocksStorage ─┐                         ┌─ memtables (≤ writeBufferManagerBytes)
 *   RocksStorage ─┼─▶ WriteBufferManager ──▶│  LRUCache (blockCacheBytes in all)
 *   RocksStorage ─┘   BlockBasedTable ─────▶└─ data/index/filter blocks (the rest)
 * </pre>
 *
 * <p>Ownership: whoever constructs a {@code RocksResources} closes it, after every storage opened on it is
 * closed; {@link #close} refuses while any is still open, since a storage opened later on released
 * handles would crash the JVM. A {@link RocksStorage} acquires the resources on open and releases them on
 * close, never closing them. {@link #shared()} is the process-wide instance, alive until the JVM exits;
 * closing it does nothing, so code that owns "some" resources may close them unconditionally.
 *
 * <p>Thread-safe.
 */
public final class RocksResources implements AutoCloseable {

    static {
        // Idempotent in RocksJava, but done here so no native object is created before the library loads.
        RocksDB.loadLibrary();
    }

    private static final long MIB = 1024L * 1024L;

    /**
     * Process-wide RocksDB memory budget.
     *
     * <table>
     *   <caption>Fields, defaults and allowed ranges</caption>
     *   <tr><th>Field</th><th>Default</th><th>Allowed</th></tr>
     *   <tr><td>blockCacheBytes</td><td>192 MiB</td><td>[8 MiB, 1 TiB]</td></tr>
     *   <tr><td>writeBufferManagerBytes</td><td>128 MiB</td><td>[4 MiB, blockCacheBytes)</td></tr>
     * </table>
     *
     * @param blockCacheBytes capacity of the shared LRU cache, which is the whole RocksDB memory budget of
     *     the process because memtables are charged to it too. Default 192 MiB: the memtable budget below
     *     plus 64 MiB of blocks, enough to keep the hot tail of the chain and the index and filter blocks of
     *     100 small ledgers cached.
     * @param writeBufferManagerBytes memtable memory across all ledgers; when it nears this, RocksDB flushes
     *     the largest memtable of the ledger being written. Default 128 MiB: 100 ledgers × 7 column families
     *     × 4 MiB would otherwise be 2.8 GiB of memtables. Must be below {@code blockCacheBytes}, because it
     *     is carved out of that cache and data blocks need the remainder.
     */
    public record Config(long blockCacheBytes, long writeBufferManagerBytes) {
        public static final long BLOCK_CACHE_BYTES_DEFAULT = 192 * MIB;
        public static final long BLOCK_CACHE_BYTES_MIN = 8 * MIB;
        public static final long BLOCK_CACHE_BYTES_MAX = 1024L * 1024L * MIB;
        public static final long WRITE_BUFFER_MANAGER_BYTES_DEFAULT = 128 * MIB;
        public static final long WRITE_BUFFER_MANAGER_BYTES_MIN = 4 * MIB;

        public Config {
            RocksStorageOptions.checkRange(
                    "blockCacheBytes", blockCacheBytes, BLOCK_CACHE_BYTES_MIN, BLOCK_CACHE_BYTES_MAX);
            RocksStorageOptions.checkRange("writeBufferManagerBytes", writeBufferManagerBytes,
                    WRITE_BUFFER_MANAGER_BYTES_MIN, blockCacheBytes - 1);
        }

        public static Config defaults() {
            return new Config(BLOCK_CACHE_BYTES_DEFAULT, WRITE_BUFFER_MANAGER_BYTES_DEFAULT);
        }
    }

    /** Holder idiom: the shared instance is created on first use, thread-safely, without locking after. */
    private static final class SharedHolder {
        static final RocksResources INSTANCE = new RocksResources(Config.defaults(), true);
    }

    private final Config config;
    private final boolean processWide;
    private final LRUCache blockCache;
    private final WriteBufferManager writeBufferManager;

    /** Storages currently open on these resources; guarded by {@code this}. */
    private int openStorages;
    private boolean closed;

    /** Resources owned by the caller, who must {@link #close} them after closing their storages. */
    public RocksResources(Config config) {
        this(config, false);
    }

    private RocksResources(Config config, boolean processWide) {
        this.config = Objects.requireNonNull(config, "config");
        this.processWide = processWide;
        this.blockCache = new LRUCache(config.blockCacheBytes());
        try {
            this.writeBufferManager = new WriteBufferManager(config.writeBufferManagerBytes(), blockCache);
        } catch (RuntimeException | Error e) {
            blockCache.close();
            throw e;
        }
    }

    /** The process-wide resources with {@link Config#defaults()}; created on first call, never released. */
    public static RocksResources shared() {
        return SharedHolder.INSTANCE;
    }

    public Config config() {
        return config;
    }

    Cache blockCache() {
        return blockCache;
    }

    WriteBufferManager writeBufferManager() {
        return writeBufferManager;
    }

    /** RocksDB's default environment: owned by the library, shared, never closed. */
    Env env() {
        return Env.getDefault();
    }

    /** Called by {@link RocksStorage#open} before it uses the native handles. */
    synchronized void acquire() {
        if (closed) {
            throw new StorageException("RocksResources are closed; open storages on live resources");
        }
        openStorages++;
    }

    /** Called once by {@link RocksStorage#close} after its database is closed. */
    synchronized void release() {
        assert openStorages > 0 : "release without acquire";
        openStorages--;
    }

    synchronized int openStorages() {
        return openStorages;
    }

    /**
     * Releases the cache and the write buffer manager. Does nothing for {@link #shared()}.
     *
     * @throws IllegalStateException if storages opened on these resources are still open
     */
    @Override
    public synchronized void close() {
        if (processWide || closed) {
            return;
        }
        if (openStorages > 0) {
            throw new IllegalStateException("cannot close RocksResources: " + openStorages
                    + " RocksStorage instance(s) still use them; close those first");
        }
        closed = true;
        // The write buffer manager holds a reference to the cache, so it goes first.
        writeBufferManager.close();
        blockCache.close();
    }
}
