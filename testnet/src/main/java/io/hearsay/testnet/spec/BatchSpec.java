package io.hearsay.testnet.spec;

/**
 * When the orderer cuts a block: at {@code maxMessages} transactions, at {@code maxBytes} of them, or
 * {@code timeoutMillis} after the first transaction of the block arrived, whichever comes first.
 *
 * @param maxMessages transactions per block at most. Default 10, Fabric's {@code MaxMessageCount}.
 * @param maxBytes serialised transactions per block at most (a single larger transaction still gets a block of
 *     its own). Default 512 KiB, Fabric's {@code PreferredMaxBytes}; at most 64 MiB, below the ledger's and
 *     gossip's message limits.
 * @param timeoutMillis how long a partly filled block waits for more. Default 250 ms: Fabric's 2 s suits a
 *     production channel, but a test network under light load should show blocks at interactive speed.
 */
public record BatchSpec(int maxMessages, long maxBytes, long timeoutMillis) {
    public static final int MAX_MESSAGES_MAX = 10_000;
    public static final long MAX_BYTES_MIN = 1024;
    public static final long MAX_BYTES_MAX = 64L << 20;
    public static final long TIMEOUT_MILLIS_MAX = 60_000;

    public BatchSpec {
        SpecException.checkRange("maxMessages", maxMessages, 1, MAX_MESSAGES_MAX);
        SpecException.checkRange("maxBytes", maxBytes, MAX_BYTES_MIN, MAX_BYTES_MAX);
        SpecException.checkRange("timeoutMillis", timeoutMillis, 1, TIMEOUT_MILLIS_MAX);
    }

    public static BatchSpec defaults() {
        return new BatchSpec(10, 512 * 1024, 250);
    }
}
