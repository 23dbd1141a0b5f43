package io.hearsay.discovery.index;

/**
 * The central index (tracker) model's bounds.
 *
 * @param requestTimeoutMillis how long a peer waits for the index server's answer before retrying. Default
 *     300 ms: a LAN round trip is a few ms, so it fires only when the server is down or cut off.
 * @param attempts tries per request before the peer reports failure. Default 3: a lost message is retried, a
 *     dead server is reported within attempts × requestTimeout (900 ms).
 * @param peersPerReply peers the server returns to a registering peer: its first neighbours. Default 20, as
 *     small trackers do; the peer asks again for more.
 * @param registeredMax peers the server keeps; beyond it a registration is refused. Default 1,000,000.
 */
public record IndexConfig(long requestTimeoutMillis, int attempts, int peersPerReply, int registeredMax) {
    public IndexConfig {
        if (requestTimeoutMillis < 1 || attempts < 1 || peersPerReply < 0 || registeredMax < 1) {
            throw new IllegalArgumentException("requestTimeoutMillis, attempts and registeredMax must be positive and"
                    + " peersPerReply non-negative, got " + requestTimeoutMillis + ", " + attempts + ", " + peersPerReply
                    + ", " + registeredMax);
        }
    }

    public static IndexConfig defaults() {
        return new IndexConfig(300, 3, 20, 1_000_000);
    }
}
