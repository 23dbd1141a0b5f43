package io.hearsay.peer.endorse;

import java.time.Duration;

/**
 * How the {@link EndorsementCollector} asks other organisations' peers.
 *
 * @param endorserTimeout how long one remote endorser may take (connect, simulate, sign, answer) before the
 *     collector gives up on it and tries another peer of the same organisation. Default 10 s, Fabric's
 *     {@code peer.gateway.endorsementTimeout}: a slow endorser costs one timeout per peer tried, so a client
 *     deadline should allow a few of them.
 */
public record EndorsementConfig(Duration endorserTimeout) {
    public static final Duration DEFAULT_ENDORSER_TIMEOUT = Duration.ofSeconds(10);
    /** Longer than this is a configuration mistake: a client would have given up long before. */
    public static final Duration ENDORSER_TIMEOUT_MAX = Duration.ofMinutes(10);

    public EndorsementConfig {
        if (endorserTimeout.isNegative() || endorserTimeout.isZero() || endorserTimeout.compareTo(ENDORSER_TIMEOUT_MAX) > 0) {
            throw new IllegalArgumentException("endorserTimeout is " + endorserTimeout + "; it must be positive and at most "
                    + ENDORSER_TIMEOUT_MAX);
        }
    }

    public static EndorsementConfig defaults() {
        return new EndorsementConfig(DEFAULT_ENDORSER_TIMEOUT);
    }
}
