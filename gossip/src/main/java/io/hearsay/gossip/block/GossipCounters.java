package io.hearsay.gossip.block;

import java.util.EnumMap;
import java.util.Map;

/**
 * What a peer's block gossip did, as counters. Every drop has its own counter, so "nothing is dropped
 * silently" is checkable: the simulator sums them, the node exports them as metrics.
 */
public final class GossipCounters {
    /** One counter per event kind. */
    public enum Counter {
        BODIES_RECEIVED,
        DUPLICATE_BODIES,
        ANNOUNCES_RECEIVED,
        REQUESTS_SENT,
        HEDGED_REQUESTS,
        BLOCKS_COMMITTED,
        BLOCKS_REJECTED,
        BUFFER_OVERFLOWS,
        RANGE_REQUESTS_SENT,
        RANGE_TIMEOUTS,
        SHORT_RANGE_RESPONSES,
        UNSOLICITED_RESPONSES,
        ABSURD_RANGE_REQUESTS,
        UNKNOWN_BLOCK_REQUESTS,
        PEERS_PENALISED,
        /** Tree push: neighbours pruned because they pushed a block this peer already had. */
        PRUNES_SENT,
        /** Tree push: pruned neighbours grafted back because a block had to be repaired. */
        GRAFTS_SENT,
        /**
         * Announcements not sent because the neighbour had already claimed the block (its own announcement, push or
         * heartbeat arrived first): on each edge only the peer that commits first tells the other.
         */
        ANNOUNCES_SUPPRESSED,
        /** Tree push: new small blocks not pushed to an eager neighbour that had claimed them already (pushes crossed). */
        PUSHES_SUPPRESSED,
        /**
         * Heartbeats not sent because the neighbour had claimed this peer's height already: it can learn nothing from
         * them (Fabric's pull heartbeats, which ask for blocks, are always sent).
         */
        HEARTBEATS_SUPPRESSED
    }

    private final long[] values = new long[Counter.values().length];

    void increment(Counter counter) {
        values[counter.ordinal()]++;
    }

    public long get(Counter counter) {
        return values[counter.ordinal()];
    }

    public Map<Counter, Long> snapshot() {
        Map<Counter, Long> snapshot = new EnumMap<>(Counter.class);
        for (Counter counter : Counter.values()) {
            snapshot.put(counter, values[counter.ordinal()]);
        }
        return snapshot;
    }
}
