package io.hearsay.discovery.anchor;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.discovery.routing.OverlayFixture;
import io.hearsay.identity.PkiId;
import org.junit.jupiter.api.Test;

/** The per-sender token bucket: a burst passes, the rest is refused until tokens refill; memory is bounded. */
class JoinRateLimiterTest {
    private static final PkiId A = OverlayFixture.id(1);
    private static final PkiId B = OverlayFixture.id(2);

    @Test
    void burstPassesThenRefusesUntilRefilled() {
        JoinRateLimiter limiter = new JoinRateLimiter(2, 5, 100);
        int passed = 0;
        for (int i = 0; i < 20; i++) {
            passed += limiter.tryAcquire(A, 0) ? 1 : 0;
        }
        assertThat(passed).as("only the burst passes at one instant").isEqualTo(5);
        assertThat(limiter.tryAcquire(B, 0)).as("another sender has its own bucket").isTrue();
        assertThat(limiter.tryAcquire(A, 499)).as("2/s: no token before 500 ms").isFalse();
        assertThat(limiter.tryAcquire(A, 1_000)).as("a token refilled").isTrue();
    }

    @Test
    void remembersAtMostSendersMax() {
        JoinRateLimiter limiter = new JoinRateLimiter(1, 1, 10);
        for (int i = 0; i < 1_000; i++) {
            limiter.tryAcquire(OverlayFixture.id(i), 0);
        }
        assertThat(limiter.trackedSenders()).isEqualTo(10);
    }
}
