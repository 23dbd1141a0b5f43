package io.hearsay.testnet.verify;

import java.time.Duration;
import java.util.Objects;

/**
 * Time limits for reading a running peer's chain.
 *
 * @param statusTimeout the {@code GET /status} call. Default 5 s: a loopback or LAN round trip is milliseconds; a
 *     peer that takes seconds to answer is itself a finding.
 * @param readTimeout the whole Deliver stream from block 0 to the peer's height. Default 5 min: about 10^5 small
 *     blocks at the rates the ledger benchmarks show; raise it for longer chains.
 */
public record DeliverReadOptions(Duration statusTimeout, Duration readTimeout) {
    public DeliverReadOptions {
        Objects.requireNonNull(statusTimeout, "statusTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (statusTimeout.isNegative() || statusTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive, got " + statusTimeout + " and " + readTimeout);
        }
    }

    public static DeliverReadOptions defaults() {
        return new DeliverReadOptions(Duration.ofSeconds(5), Duration.ofMinutes(5));
    }
}
