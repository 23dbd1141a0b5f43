package io.hearsay.discovery.anchor;

import java.util.EnumMap;
import java.util.Map;

/** What an anchor or an attached peer refused, by reason, and what it did. The simulator sums them. */
public final class AnchorCounters {
    /** Why a message was refused. */
    public enum Rejection {
        /** An announcement (or a join reply entry) naming an anchor the channel configuration does not name for
         * that organisation, or an announcement sent by a peer other than the anchor it describes. */
        FALSE_ANCHOR_CLAIM,
        /** An announcement no newer than the one held: a replay or a late copy. */
        STALE_ANNOUNCEMENT,
        /** A join request or attach over the sender's token bucket. */
        JOIN_FLOOD,
        /** An attach refused because the anchor holds {@code childrenMax} children. */
        ANCHOR_FULL,
        /** A heartbeat, detach or answer from a peer this one has no such relation with. */
        UNEXPECTED_PEER
    }

    /** What happened. */
    public enum Counter {
        JOIN_REQUESTS_SERVED,
        ATTACHES_ACCEPTED,
        CHILDREN_EXPIRED,
        ANNOUNCEMENTS_SENT,
        ANNOUNCEMENTS_ACCEPTED,
        JOIN_REQUESTS_SENT,
        ATTACHES_SENT,
        PARENTS_LOST,
        JOIN_ROUNDS_FAILED
    }

    private final long[] counters = new long[Counter.values().length];
    private final long[] rejections = new long[Rejection.values().length];

    void increment(Counter counter) {
        counters[counter.ordinal()]++;
    }

    void reject(Rejection reason) {
        rejections[reason.ordinal()]++;
    }

    public long get(Counter counter) {
        return counters[counter.ordinal()];
    }

    public long rejected(Rejection reason) {
        return rejections[reason.ordinal()];
    }

    public Map<Rejection, Long> rejections() {
        Map<Rejection, Long> snapshot = new EnumMap<>(Rejection.class);
        for (Rejection reason : Rejection.values()) {
            snapshot.put(reason, rejected(reason));
        }
        return snapshot;
    }
}
