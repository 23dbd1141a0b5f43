package io.hearsay.ledger;

import java.time.InstantSource;
import java.util.Objects;

/**
 * How a ledger validates. Storage options (durability, memory) belong to the storage backend.
 *
 * @param validationLevel what a commit checks; {@link ValidationLevel#FULL} unless the chain is already trusted
 * @param parallelValidation check a block's transaction signatures on all cores (ECDSA verification is
 *     the commit's dominant cost); off gives a single-threaded commit, e.g. in the simulator
 * @param blockBytesMax a block larger than this is rejected before any work; Fabric's default message limit
 * @param clock what "now" is when checking certificate validity periods
 */
public record LedgerOptions(ValidationLevel validationLevel, boolean parallelValidation, long blockBytesMax,
        InstantSource clock) {

    /** 100 MiB, Fabric's {@code peer.maxRecvMsgSize}: a block larger than that could not travel anyway. */
    public static final long DEFAULT_BLOCK_BYTES_MAX = 100L * 1024 * 1024;

    public LedgerOptions {
        Objects.requireNonNull(validationLevel, "validationLevel");
        Objects.requireNonNull(clock, "clock");
        if (blockBytesMax < 1024 || blockBytesMax > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("blockBytesMax is " + blockBytesMax
                    + "; it must be between 1024 and " + Integer.MAX_VALUE + " bytes (protobuf's limit)");
        }
    }

    /** Full validation on all cores, 100 MiB blocks, the system clock. */
    public static LedgerOptions defaults() {
        return new LedgerOptions(ValidationLevel.FULL, true, DEFAULT_BLOCK_BYTES_MAX, InstantSource.system());
    }

    public LedgerOptions withValidationLevel(ValidationLevel level) {
        return new LedgerOptions(level, parallelValidation, blockBytesMax, clock);
    }

    public LedgerOptions withParallelValidation(boolean parallel) {
        return new LedgerOptions(validationLevel, parallel, blockBytesMax, clock);
    }

    public LedgerOptions withClock(InstantSource newClock) {
        return new LedgerOptions(validationLevel, parallelValidation, blockBytesMax, newClock);
    }
}
