package io.hearsay.gossip.auth;

/** Messages a sender may still send now: refills at a steady rate up to a burst. Time comes from the caller. */
final class TokenBucket {
    private final double ratePerMilli;
    private final double burst;
    private double tokens;
    private long lastMillis;

    TokenBucket(double perSecond, double burst, long nowMillis) {
        this.ratePerMilli = perSecond / 1000.0;
        this.burst = burst;
        this.tokens = burst;
        this.lastMillis = nowMillis;
    }

    boolean tryTake(long nowMillis) {
        if (nowMillis > lastMillis) {
            tokens = Math.min(burst, tokens + (nowMillis - lastMillis) * ratePerMilli);
            lastMillis = nowMillis;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
