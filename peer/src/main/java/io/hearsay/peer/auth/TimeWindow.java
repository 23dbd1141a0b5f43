package io.hearsay.peer.auth;

import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Fabric's {@code peer.authentication.timewindow}: a signed request whose header timestamp is further than the
 * window from this node's clock is refused, so a captured request cannot be replayed much later.
 */
public record TimeWindow(Duration window, InstantSource clock) {
    /** Fabric's default: 15 minutes either side, to tolerate clock skew between clients and peers. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);

    public TimeWindow {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("time window must be positive, got " + window);
        }
    }

    public static TimeWindow defaults() {
        return new TimeWindow(DEFAULT_WINDOW, InstantSource.system());
    }

    /** Why {@code timestamp} is refused, or empty when it is inside the window. */
    public Optional<String> violation(Timestamp timestamp) {
        if (timestamp.getSeconds() == 0 && timestamp.getNanos() == 0) {
            return Optional.of("the request has no timestamp");
        }
        Instant at = Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
        Duration skew = Duration.between(clock.instant(), at).abs();
        if (skew.compareTo(window) > 0) {
            return Optional.of("the request timestamp " + at + " is " + skew.toSeconds() + " s from this node's clock, outside the "
                    + window.toMinutes() + " min window; check the client's clock");
        }
        return Optional.empty();
    }
}
