package io.hearsay.discovery.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.identity.PkiId;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The per-sender token bucket: a burst passes, the rest is refused until tokens refill; memory is bounded. */
class SenderRateLimiterTest {
    private static final PkiId A = id(1);
    private static final PkiId B = id(2);

    private static PkiId id(int n) {
        return PkiId.fromBytes(ByteBuffer.allocate(PkiId.LENGTH_BYTES).putInt(n).array());
    }

    @Test
    void burstPassesThenRefusesUntilRefilled() {
        SenderRateLimiter limiter = new SenderRateLimiter(2, 5, 100);
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
        SenderRateLimiter limiter = new SenderRateLimiter(1, 1, 10);
        for (int i = 0; i < 1_000; i++) {
            limiter.tryAcquire(id(i), 0);
        }
        assertThat(limiter.trackedSenders()).isEqualTo(10);
    }
}
