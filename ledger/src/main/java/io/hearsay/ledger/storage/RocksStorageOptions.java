package io.hearsay.ledger.storage;

import java.util.Objects;

/**
 * Per-ledger RocksDB settings. Memory shared by all ledgers of a process (block cache, total memtable
 * budget) lives in {@link RocksResources.Config} instead, so that these values stay small per ledger.
 *
 * <table>
 *   <caption>Fields, defaults and allowed ranges</caption>
 *   <tr><th>Field</th><th>Default</th><th>Allowed</th></tr>
 *   <tr><td>syncWrites</td><td>true</td><td>true, false</td></tr>
 *   <tr><td>writeBufferBytes</td><td>4 MiB</td><td>[64 KiB, 1 GiB]</td></tr>
 *   <tr><td>maxOpenFiles</td><td>256</td><td>[16, 65536]</td></tr>
 *   <tr><td>maxBackgroundJobs</td><td>2</td><td>[1, 64]</td></tr>
 *   <tr><td>compression</td><td>LZ4</td><td>NONE, LZ4, SNAPPY, ZSTD</td></tr>
 * </table>
 *
 * @param syncWrites whether each {@link LedgerStorage#write} fsyncs the write-ahead log before returning.
 *     Default {@code true}: a peer advertises a new height right after committing, so a committed block
 *     must survive a power loss or kernel panic. A process crash is survived either way, because the WAL
 *     is in the OS page cache once {@code write} returns; {@code false} is for tests and the simulator,
 *     where fsync latency would dominate.
 * @param writeBufferBytes memtable size per column family before it is flushed to an SST file. Default
 *     4 MiB: a ledger writes a block at a time, so large memtables only raise memory per ledger (one
 *     memtable per column family, seven of them, so about 28 MiB of active memtables per ledger at the
 *     default); the shared {@link RocksResources} write buffer manager caps the total across ledgers anyway.
 * @param maxOpenFiles SST files RocksDB keeps open per ledger. Default 256: file descriptors per process
 *     are about {@code maxOpenFiles × ledgers}, and a test JVM may host 100 ledgers under a typical
 *     ulimit of 65536; files beyond it are reopened on demand, at some read latency.
 * @param maxBackgroundJobs flush and compaction threads this ledger may use. Default 2: one flush and one
 *     compaction can run at once; RocksDB's default thread pools are per process and grow to the maximum
 *     any open ledger asks for, so this is not multiplied by the number of ledgers.
 * @param compression how SST files (not the write-ahead log) are compressed when memtables are flushed. Default
 *     {@link Compression#LZ4}: blocks repeat their transactions' certificates, so a stored block compresses about
 *     7:1 (200 blocks of 100 transactions: 78 MB of SST data uncompressed, 10.8 MB with LZ4, 13.7 MB with
 *     RocksDB's own default Snappy, 8.1 MB with ZSTD), and LZ4 flushes a block in half the CPU time of Snappy
 *     (0.4 against 0.95 ms per 389 KB block on this project's 2-core benchmark machine), CPU that a committing
 *     peer needs for validation. ZSTD for the smallest disk at more CPU per flush; NONE for the least CPU.
 */
public record RocksStorageOptions(
        boolean syncWrites, long writeBufferBytes, int maxOpenFiles, int maxBackgroundJobs, Compression compression) {

    /** SST compression algorithms; all are built into the RocksDB library the project ships. */
    public enum Compression { NONE, LZ4, SNAPPY, ZSTD }

    private static final long KIB = 1024L;
    private static final long MIB = 1024L * KIB;
    private static final long GIB = 1024L * MIB;

    public static final boolean SYNC_WRITES_DEFAULT = true;
    public static final long WRITE_BUFFER_BYTES_DEFAULT = 4 * MIB;
    public static final long WRITE_BUFFER_BYTES_MIN = 64 * KIB;
    public static final long WRITE_BUFFER_BYTES_MAX = GIB;
    public static final int MAX_OPEN_FILES_DEFAULT = 256;
    /** Below this RocksDB would thrash reopening its own manifest and level files. */
    public static final int MAX_OPEN_FILES_MIN = 16;
    /** Unlimited (RocksDB's -1) is not allowed: every resource has a bound. */
    public static final int MAX_OPEN_FILES_MAX = 65536;
    public static final int MAX_BACKGROUND_JOBS_DEFAULT = 2;
    public static final int MAX_BACKGROUND_JOBS_MIN = 1;
    public static final int MAX_BACKGROUND_JOBS_MAX = 64;
    public static final Compression COMPRESSION_DEFAULT = Compression.LZ4;

    public RocksStorageOptions {
        Objects.requireNonNull(compression, "compression");
        checkRange("writeBufferBytes", writeBufferBytes, WRITE_BUFFER_BYTES_MIN, WRITE_BUFFER_BYTES_MAX);
        checkRange("maxOpenFiles", maxOpenFiles, MAX_OPEN_FILES_MIN, MAX_OPEN_FILES_MAX);
        checkRange("maxBackgroundJobs", maxBackgroundJobs, MAX_BACKGROUND_JOBS_MIN, MAX_BACKGROUND_JOBS_MAX);
    }

    /** The defaults above: durable commits, small per-ledger memory. */
    public static RocksStorageOptions defaults() {
        return new RocksStorageOptions(
                SYNC_WRITES_DEFAULT, WRITE_BUFFER_BYTES_DEFAULT, MAX_OPEN_FILES_DEFAULT, MAX_BACKGROUND_JOBS_DEFAULT,
                COMPRESSION_DEFAULT);
    }

    public RocksStorageOptions withSyncWrites(boolean value) {
        return new RocksStorageOptions(value, writeBufferBytes, maxOpenFiles, maxBackgroundJobs, compression);
    }

    public RocksStorageOptions withWriteBufferBytes(long value) {
        return new RocksStorageOptions(syncWrites, value, maxOpenFiles, maxBackgroundJobs, compression);
    }

    public RocksStorageOptions withMaxOpenFiles(int value) {
        return new RocksStorageOptions(syncWrites, writeBufferBytes, value, maxBackgroundJobs, compression);
    }

    public RocksStorageOptions withMaxBackgroundJobs(int value) {
        return new RocksStorageOptions(syncWrites, writeBufferBytes, maxOpenFiles, value, compression);
    }

    public RocksStorageOptions withCompression(Compression value) {
        return new RocksStorageOptions(syncWrites, writeBufferBytes, maxOpenFiles, maxBackgroundJobs, value);
    }

    static void checkRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    field + " must be in [" + min + ", " + max + "], was " + value);
        }
    }
}
