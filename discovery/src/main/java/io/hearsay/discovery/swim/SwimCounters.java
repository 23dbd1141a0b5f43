package io.hearsay.discovery.swim;

import java.util.EnumMap;
import java.util.Map;

/**
 * What one member's SWIM did, as counters: every probe outcome, every state change it made or learned, and
 * every update it refused, by reason. The simulator sums them; the node exports them as metrics.
 */
public final class SwimCounters {
    /** One counter per event kind. */
    public enum Counter {
        /** Protocol periods in which this member pinged someone. */
        PROBES,
        /** Probes answered, directly or through a relay. */
        PROBES_ACKED,
        /** Ping-requests sent because a direct ping went unanswered. */
        INDIRECT_PROBES,
        /** Probes that ended without any ack: the target was suspected (or a confirmation added). */
        PROBES_FAILED,
        /** Ping-requests served for other members. */
        RELAYS,
        /** Ping-requests refused because {@code relaysMax} were already running. */
        RELAYS_REFUSED,
        /** Suspicions this member raised itself. */
        SUSPICIONS_RAISED,
        /** This member's own accusation added to a suspicion others raised. */
        CONFIRMATIONS_RAISED,
        /** Suspicions held here that ended with the member refuting (any accuser). */
        SUSPICIONS_REFUTED,
        /** Suspicions this member raised itself that the member then refuted: its false suspicions. */
        FALSE_SUSPICIONS,
        /** Accusations of this member that it refuted with a higher incarnation. */
        REFUTATIONS,
        /** Last probes before a death ({@code probeBeforeDeath}). */
        FINAL_PROBES,
        /** Last probes that were answered, so the member was not declared dead. */
        FINAL_PROBES_ANSWERED,
        /** Members this member declared dead itself (its suspicion timed out). */
        DEATHS_DECLARED,
        /** Deaths this member learned from others' declarations. */
        DEATHS_LEARNED,
        /** Dead members that came back with a higher incarnation. */
        REVIVALS,
        /** Members learned for the first time. */
        MEMBERS_JOINED,
        /** Dead members dropped after {@code deadRetentionMillis}. */
        MEMBERS_FORGOTTEN,
        /** Pings sent to dead members to let them refute. */
        DEAD_PROBES,
        /** Updates piggybacked on outgoing messages. */
        UPDATES_SENT,
        /** Updates received that this member already held. */
        DUPLICATE_UPDATES,
        /** Updates dropped from a full queue before they were sent {@code retransmitLimit} times. */
        QUEUE_OVERFLOWS,
        /** Whole tables sent (joins and periodic push/pull). */
        SYNCS_SENT
    }

    /** Why an update or a request was refused; each is also reported to the listener with details. */
    public enum Rejection {
        /** The signature is not the signer's: forged or altered. */
        BAD_SIGNATURE,
        /** Older than what is held: a replay, or a late copy of a superseded update. */
        STALE,
        /** The record names an organisation other than the one the peer's identity belongs to. */
        WRONG_ORGANIZATION,
        /** A record of a peer no organisation vouches for. */
        UNKNOWN_PEER,
        /** An accusation about a member this member does not know. */
        UNKNOWN_SUBJECT,
        /**
         * A table request (a {@code Sync} wanting a reply) beyond its sender's {@code syncRepliesPerSecond}: its
         * records were merged, but this member's table was not sent back.
         */
        SYNC_FLOOD
    }

    private final long[] counters = new long[Counter.values().length];
    private final long[] rejections = new long[Rejection.values().length];

    void increment(Counter counter) {
        counters[counter.ordinal()]++;
    }

    void add(Counter counter, long amount) {
        counters[counter.ordinal()] += amount;
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

    public long rejectedTotal() {
        long total = 0;
        for (long value : rejections) {
            total += value;
        }
        return total;
    }

    public Map<Counter, Long> snapshot() {
        Map<Counter, Long> snapshot = new EnumMap<>(Counter.class);
        for (Counter counter : Counter.values()) {
            snapshot.put(counter, get(counter));
        }
        return snapshot;
    }

    public Map<Rejection, Long> rejections() {
        Map<Rejection, Long> snapshot = new EnumMap<>(Rejection.class);
        for (Rejection reason : Rejection.values()) {
            snapshot.put(reason, rejected(reason));
        }
        return snapshot;
    }
}
