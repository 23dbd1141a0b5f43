package io.hearsay.discovery.anchor;

/**
 * Anchors, joining and dual-homing. Relations between the fields are checked at construction.
 *
 * @param parents anchors an ordinary peer attaches to. Default 2 (dual-homing): one dead anchor or one broken
 *     link never cuts a peer off, because its other parent still carries its traffic while it finds a third.
 * @param requestTimeoutMillis how long a join request or an attach waits for its answer before the peer tries
 *     another anchor. Default 300 ms: a LAN round trip is a few ms, so this only fires for a dead anchor.
 * @param heartbeatIntervalMillis how often a child tells each parent it is alive; the parent acknowledges.
 *     Default 500 ms.
 * @param parentTimeoutMillis a parent whose acknowledgements stopped this long is dead and replaced. Default
 *     1,500 ms = 3 × heartbeatInterval, so one or two lost heartbeats do not cause a needless failover.
 * @param childTimeoutMillis a child not heard from this long is dropped, so loads stay true. Default 3,000 ms =
 *     2 × parentTimeout: the child always gives up on the parent first.
 * @param announceIntervalMillis how often an anchor tells every other anchor its load and children. Default
 *     500 ms: joiners and routers see a new child within about one interval.
 * @param announceLoadChange an anchor whose load moved this many peers since its last announcement announces at
 *     once (no sooner than {@code announceMinIntervalMillis} after the last), not at the next interval. Default
 *     8. Why: joiners pick the least loaded anchors from announced loads; during a burst of joins, loads a whole
 *     interval old send every joiner to the same anchor (the simulator measured one anchor at twice the mean
 *     load with interval-only announcements).
 * @param announceMinIntervalMillis the shortest gap between two announcements of one anchor. Default 50 ms,
 *     which bounds the extra traffic to 20 announcements per second per anchor, during bursts only.
 * @param anchorTimeoutMillis an anchor not heard from this long is left out of join replies and routing.
 *     Default 1,500 ms = 3 × announceInterval.
 * @param rejoinBackoffMillis after every anchor failed to answer a join, the peer waits this long before
 *     trying them all again. Default 2,000 ms.
 * @param joinRequestsPerSecond the refill rate of each sender's token bucket for join requests and attaches at
 *     an anchor. Default 2/s: an honest peer sends one of each per join and a few more per lost parent.
 * @param joinBurst the bucket's size: requests a sender may make at once. Default 8, enough for a join, a
 *     re-attach after a parent's death and their retries; a flood beyond it is refused and counted.
 * @param rateLimitedSendersMax senders whose buckets an anchor remembers; the least recently seen is evicted.
 *     Default 100,000: a bound on memory, well above any channel's size.
 * @param childrenMax peers an anchor accepts as children; beyond it attaches are refused ("anchor full").
 *     Default 10,000.
 */
public record JoinConfig(int parents, long requestTimeoutMillis, long heartbeatIntervalMillis, long parentTimeoutMillis,
        long childTimeoutMillis, long announceIntervalMillis, int announceLoadChange, long announceMinIntervalMillis,
        long anchorTimeoutMillis, long rejoinBackoffMillis,
        double joinRequestsPerSecond, int joinBurst, int rateLimitedSendersMax, int childrenMax) {
    public JoinConfig {
        if (parents < 1 || parents > 8) {
            throw new IllegalArgumentException("parents must be in [1, 8], got " + parents);
        }
        positive("requestTimeoutMillis", requestTimeoutMillis);
        positive("heartbeatIntervalMillis", heartbeatIntervalMillis);
        positive("announceIntervalMillis", announceIntervalMillis);
        positive("rejoinBackoffMillis", rejoinBackoffMillis);
        positive("announceLoadChange", announceLoadChange);
        if (announceMinIntervalMillis < 1 || announceMinIntervalMillis > announceIntervalMillis) {
            throw new IllegalArgumentException("announceMinIntervalMillis must be in [1, announceIntervalMillis="
                    + announceIntervalMillis + "], got " + announceMinIntervalMillis);
        }
        if (parentTimeoutMillis <= heartbeatIntervalMillis) {
            throw new IllegalArgumentException("parentTimeoutMillis (" + parentTimeoutMillis
                    + ") must exceed heartbeatIntervalMillis (" + heartbeatIntervalMillis + "), or every parent looks dead");
        }
        if (childTimeoutMillis <= parentTimeoutMillis) {
            throw new IllegalArgumentException("childTimeoutMillis (" + childTimeoutMillis
                    + ") must exceed parentTimeoutMillis (" + parentTimeoutMillis + "), so the child gives up first");
        }
        if (anchorTimeoutMillis <= announceIntervalMillis) {
            throw new IllegalArgumentException("anchorTimeoutMillis (" + anchorTimeoutMillis
                    + ") must exceed announceIntervalMillis (" + announceIntervalMillis + ")");
        }
        if (!(joinRequestsPerSecond > 0) || joinBurst < 1) {
            throw new IllegalArgumentException("joinRequestsPerSecond must be > 0 and joinBurst >= 1, got "
                    + joinRequestsPerSecond + " and " + joinBurst);
        }
        if (rateLimitedSendersMax < 1 || childrenMax < 1) {
            throw new IllegalArgumentException("rateLimitedSendersMax and childrenMax must be positive");
        }
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** The LAN defaults; see the record's documentation for each value's reason. */
    public static JoinConfig defaults() {
        return new JoinConfig(2, 300, 500, 1_500, 3_000, 500, 8, 50, 1_500, 2_000, 2, 8, 100_000, 10_000);
    }

    public JoinConfig withParents(int count) {
        return new JoinConfig(count, requestTimeoutMillis, heartbeatIntervalMillis, parentTimeoutMillis,
                childTimeoutMillis, announceIntervalMillis, announceLoadChange, announceMinIntervalMillis,
                anchorTimeoutMillis, rejoinBackoffMillis, joinRequestsPerSecond, joinBurst, rateLimitedSendersMax,
                childrenMax);
    }

    public JoinConfig withJoinRate(double perSecond, int burst) {
        return new JoinConfig(parents, requestTimeoutMillis, heartbeatIntervalMillis, parentTimeoutMillis,
                childTimeoutMillis, announceIntervalMillis, announceLoadChange, announceMinIntervalMillis,
                anchorTimeoutMillis, rejoinBackoffMillis, perSecond, burst, rateLimitedSendersMax, childrenMax);
    }
}
