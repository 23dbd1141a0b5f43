package io.hearsay.discovery.runtime;

import io.hearsay.identity.PkiId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per sender (refill {@code ratePerSecond}, capacity {@code burst}), so one peer's flood of requests
 * cannot starve the others: anchors bound join requests and attaches with it, SWIM the membership tables it sends
 * back for table requests. Time comes from the caller (the injected clock). At most
 * {@code sendersMax} buckets are kept; the least recently used is evicted, which at worst gives an evicted
 * flooder a fresh burst, never lets it exceed the rate for long. Access order is a function of the calls, so
 * this stays deterministic.
 */
public final class SenderRateLimiter {
    private static final class Bucket {
        double tokens;
        long refilledAtMillis;
    }

    private final double ratePerMillis;
    private final int burst;
    private final LinkedHashMap<PkiId, Bucket> buckets;

    public SenderRateLimiter(double ratePerSecond, int burst, int sendersMax) {
        this.ratePerMillis = ratePerSecond / 1_000.0;
        this.burst = burst;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<PkiId, Bucket> eldest) {
                return size() > sendersMax;
            }
        };
    }

    /** Takes one token from {@code sender}'s bucket if it has one; {@code false} means refuse the request. */
    public boolean tryAcquire(PkiId sender, long nowMillis) {
        Bucket bucket = buckets.get(sender);
        if (bucket == null) {
            bucket = new Bucket();
            bucket.tokens = burst;
            bucket.refilledAtMillis = nowMillis;
            buckets.put(sender, bucket);
        }
        long elapsed = Math.max(0, nowMillis - bucket.refilledAtMillis);
        bucket.tokens = Math.min(burst, bucket.tokens + elapsed * ratePerMillis);
        bucket.refilledAtMillis = nowMillis;
        if (bucket.tokens < 1) {
            return false;
        }
        bucket.tokens -= 1;
        return true;
    }

    public int trackedSenders() {
        return buckets.size();
    }
}
