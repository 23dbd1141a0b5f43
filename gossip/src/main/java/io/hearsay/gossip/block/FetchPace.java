package io.hearsay.gossip.block;

/**
 * How fast requested block bodies have lately arrived, so that a hedge waits for a body about as long as bodies take.
 *
 * <p>Why: {@code hedgeBytesPerMilli} is a guess at the slowest healthy upload. On a CPU-bound or congested network a
 * large body takes longer than that guess from request to arrival; each hedge then asks a second announcer, whose
 * copy adds to the load that made the first one slow (a 50-peer loopback network of 1 MiB blocks on 2 busy cores:
 * 212 hedged requests and 267 duplicate bodies in 20 blocks). So the pace is measured: an average of the bytes per
 * millisecond of recent fetches, as TCP averages round trips, and a body is given its transfer time at half that pace
 * when that is slower than the configured one — at most {@value #STRETCH_MAX} times the configured delay, so that a
 * dead announcer is still bypassed in bounded time.
 */
final class FetchPace {
    /** Weight of the newest fetch in the average (TCP's 1/8 for its smoothed round trip). */
    private static final double NEWEST_WEIGHT = 0.125;
    /** A body is given its time at half the average pace: fetches vary about their mean. */
    private static final double MARGIN = 2.0;
    static final int STRETCH_MAX = 8;

    private double bytesPerMilli;

    /** A requested body of {@code bodyBytes} arrived {@code elapsedMillis} after it was first asked for. */
    void record(int bodyBytes, long elapsedMillis) {
        double pace = bodyBytes / (double) Math.max(1, elapsedMillis);
        bytesPerMilli = bytesPerMilli == 0 ? pace : bytesPerMilli + NEWEST_WEIGHT * (pace - bytesPerMilli);
    }

    /** How long to wait for a requested body of {@code bodyBytes} before asking another announcer. */
    long hedgeDelayMillis(BlockGossipConfig config, int bodyBytes) {
        long configured = config.hedgeDelayMillis(bodyBytes);
        if (bytesPerMilli == 0) {
            return configured;
        }
        long measured = config.hedgeDelayMillis() + (long) (bodyBytes * MARGIN / bytesPerMilli);
        return Math.min(Math.max(configured, measured), configured * STRETCH_MAX);
    }
}
