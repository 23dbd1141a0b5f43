package io.hearsay.discovery.routing;

/**
 * Routed delivery's bounds.
 *
 * @param ackTimeoutMillis how long a hop's sender waits for the next peer's acknowledgement before trying the
 *     alternative (the second parent, the target's second anchor) or giving up on the hop. Default 100 ms: a
 *     LAN round trip is a few ms, so only a dead or cut-off peer makes it fire.
 * @param payloadBytesMax the largest payload {@code send} accepts; larger is refused at hop 0. Default 64 KiB:
 *     routed delivery is for small directed messages, blocks travel by gossip.
 * @param inflightMax routes a peer holds at once (its own and those it relays); beyond it a route is refused
 *     with "overloaded". Default 10,000.
 * @param deliveredRememberedMax routes a target remembers to drop duplicates (a failover may deliver twice).
 *     Default 4,096.
 */
public record RoutingConfig(long ackTimeoutMillis, int payloadBytesMax, int inflightMax, int deliveredRememberedMax) {
    /** Stages of a path: sender → parent anchor → target's anchor → target. */
    public static final int HOPS_MAX = 3;
    /** Next peers a hop may try: two parents, or the target's two anchors (dual-homing). */
    public static final int ALTERNATIVES_PER_HOP = 2;

    public RoutingConfig {
        if (ackTimeoutMillis < 1 || payloadBytesMax < 0 || inflightMax < 1 || deliveredRememberedMax < 1) {
            throw new IllegalArgumentException("ackTimeoutMillis, inflightMax and deliveredRememberedMax must be positive"
                    + " and payloadBytesMax non-negative, got " + this);
        }
    }

    public static RoutingConfig defaults() {
        return new RoutingConfig(100, 64 * 1024, 10_000, 4_096);
    }

    public RoutingConfig withAckTimeout(long millis) {
        return new RoutingConfig(millis, payloadBytesMax, inflightMax, deliveredRememberedMax);
    }

    /** The per-hop timeout: every alternative of a hop timing out in turn. */
    public long hopTimeoutMillis() {
        return ALTERNATIVES_PER_HOP * ackTimeoutMillis;
    }

    /**
     * The caller's bound: every send has its outcome within hops × per-hop timeout (600 ms at the defaults),
     * because the sender's own deadline timer fires then if nothing else has.
     */
    public long deadlineMillis() {
        return HOPS_MAX * hopTimeoutMillis();
    }
}
