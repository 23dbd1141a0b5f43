package io.hearsay.ledger;

import java.time.InstantSource;
import java.util.Objects;

/**
 * How a ledger validates. Storage options (durability, memory) belong to the storage backend.
 *
 * @param validationLevel what a commit checks; {@link ValidationLevel#FULL} unless the chain is already trusted
 * @param parallelValidation check blocks and their transaction signatures on the shared check threads, one
 *     per core (ECDSA verification is the commit's dominant cost), and in {@link Ledger#commitAll} ahead of
 *     the block being written, which a writer thread writes; off gives a single-threaded commit on the caller's
 *     thread, e.g. in the simulator, whose runs must not depend on thread scheduling. At
 *     {@link ValidationLevel#BLOCK} there are no transaction signatures to spread, and the committing thread
 *     checks each block itself (the writer thread is still used)
 * @param blockBytesMax a block larger than this is rejected before any work; Fabric's default message limit
 * @param clock what "now" is when checking certificate validity periods
 * @param pipelineBlocksMax the most blocks of one {@link Ledger#commitAll} call being checked at once,
 *     counting the one the committer waits for: 1 checks each block only when its turn comes. The look-ahead
 *     keeps the check threads busy while the committer plans and writes; it bounds the memory of parsed
 *     transactions held for blocks not yet committed to about this many blocks' size
 * @param stateCacheBytes the most bytes of recently used committed state (keys, values, about 100 bytes per entry
 *     besides) the committer keeps in memory, so that planning a block looks hot keys up without a storage read;
 *     0 turns the cache off. It is filled only by the keys blocks touch, so an idle ledger holds nothing
 */
public record LedgerOptions(ValidationLevel validationLevel, boolean parallelValidation, long blockBytesMax,
        InstantSource clock, int pipelineBlocksMax, long stateCacheBytes) {

    /** 100 MiB, Fabric's {@code peer.maxRecvMsgSize}: a block larger than that could not travel anyway. */
    public static final long DEFAULT_BLOCK_BYTES_MAX = 100L * 1024 * 1024;
    /**
     * 8 blocks. Measured on 2 cores with blocks of 100 transactions (BENCHMARKS.md): in full validation 1
     * gives 7,300 tx/s, 2 gives 8,400 and 4 to 16 give 8,500–8,700, because the check threads need a block
     * queued behind the one they finish while the committer plans and writes; block-level commits (42–47 k tx/s)
     * did not depend on it. 8 leaves room for more cores and for jitter, such as a RocksDB flush delaying a write.
     */
    public static final int DEFAULT_PIPELINE_BLOCKS_MAX = 8;
    /** More look-ahead buys nothing once every core is busy; this only caps a configuration mistake. */
    public static final int PIPELINE_BLOCKS_MAX_LIMIT = 1024;
    /**
     * 16 MiB: about 100,000 entries of 60-byte keys and values, the hot keys of a busy channel, for at most 1.6 GB
     * in a JVM hosting 100 busy ledgers (a JVM of idle ones holds nothing). In the block-level benchmark, state
     * lookups in RocksDB were a quarter of the committer's time (BENCHMARKS.md).
     */
    public static final long DEFAULT_STATE_CACHE_BYTES = 16L * 1024 * 1024;
    /** A cache beyond the heap cannot be; this only caps a configuration mistake. */
    public static final long STATE_CACHE_BYTES_LIMIT = 1L << 40;

    public LedgerOptions {
        Objects.requireNonNull(validationLevel, "validationLevel");
        Objects.requireNonNull(clock, "clock");
        if (blockBytesMax < 1024 || blockBytesMax > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("blockBytesMax is " + blockBytesMax
                    + "; it must be between 1024 and " + Integer.MAX_VALUE + " bytes (protobuf's limit)");
        }
        if (pipelineBlocksMax < 1 || pipelineBlocksMax > PIPELINE_BLOCKS_MAX_LIMIT) {
            throw new IllegalArgumentException("pipelineBlocksMax is " + pipelineBlocksMax
                    + "; it must be between 1 and " + PIPELINE_BLOCKS_MAX_LIMIT + " blocks");
        }
        if (stateCacheBytes < 0 || stateCacheBytes > STATE_CACHE_BYTES_LIMIT) {
            throw new IllegalArgumentException("stateCacheBytes is " + stateCacheBytes
                    + "; it must be between 0 (no cache) and " + STATE_CACHE_BYTES_LIMIT + " bytes");
        }
    }

    /** The options with the default look-ahead and state cache. */
    public LedgerOptions(ValidationLevel validationLevel, boolean parallelValidation, long blockBytesMax,
            InstantSource clock) {
        this(validationLevel, parallelValidation, blockBytesMax, clock, DEFAULT_PIPELINE_BLOCKS_MAX,
                DEFAULT_STATE_CACHE_BYTES);
    }

    /** Full validation on all cores, 100 MiB blocks, the system clock, a look-ahead of 8 blocks, a 16 MiB state cache. */
    public static LedgerOptions defaults() {
        return new LedgerOptions(ValidationLevel.FULL, true, DEFAULT_BLOCK_BYTES_MAX, InstantSource.system(),
                DEFAULT_PIPELINE_BLOCKS_MAX, DEFAULT_STATE_CACHE_BYTES);
    }

    public LedgerOptions withValidationLevel(ValidationLevel level) {
        return new LedgerOptions(level, parallelValidation, blockBytesMax, clock, pipelineBlocksMax, stateCacheBytes);
    }

    public LedgerOptions withParallelValidation(boolean parallel) {
        return new LedgerOptions(validationLevel, parallel, blockBytesMax, clock, pipelineBlocksMax, stateCacheBytes);
    }

    public LedgerOptions withClock(InstantSource newClock) {
        return new LedgerOptions(validationLevel, parallelValidation, blockBytesMax, newClock, pipelineBlocksMax,
                stateCacheBytes);
    }

    public LedgerOptions withPipelineBlocksMax(int blocks) {
        return new LedgerOptions(validationLevel, parallelValidation, blockBytesMax, clock, blocks, stateCacheBytes);
    }

    public LedgerOptions withStateCacheBytes(long bytes) {
        return new LedgerOptions(validationLevel, parallelValidation, blockBytesMax, clock, pipelineBlocksMax, bytes);
    }
}
