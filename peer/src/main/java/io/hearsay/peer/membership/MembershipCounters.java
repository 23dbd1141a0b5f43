package io.hearsay.peer.membership;

import java.util.Map;

/**
 * What a node's membership refused before SWIM saw it, and what its links did. Written on the membership's serial
 * executor, readable from any thread (metrics, tests). SWIM counts its own refusals ({@code SwimCounters}); the
 * authentication layer counts its drops.
 */
public final class MembershipCounters {
    /** Why a message, an identity or a seed was refused. */
    public enum Refusal {
        /** A membership message from a peer of another organisation (its handshake proved it): that peer may not
         * know this one's organisation, so it is not answered. */
        FOREIGN_ORGANIZATION,
        /** An identity carried with an alive record that does not validate, is not the record's peer's, or is of
         * another organisation: the record is then refused by SWIM as of an unknown peer. */
        IDENTITY_REFUSED,
        /** An identity not kept because {@link PeerMembership#IDENTITIES_MAX} are held. */
        IDENTITIES_FULL,
        /** A seed that turned out (by its handshake) to belong to another organisation; ignored. */
        FOREIGN_SEED
    }

    /** What the membership's links did. */
    public enum Counter {
        /** Messages to a member held while its connection is dialled. */
        HELD_FOR_CONNECTION,
        /** Held messages dropped: over the per-peer bound, or the connection did not open in time. */
        HELD_DROPPED,
        /** Messages dropped because no connection is open and no endpoint is known to dial. */
        NOT_CONNECTED,
        /** Joins (whole-table syncs to the seeds) sent, the first one and the retries while no member answered. */
        JOINS,
        /** Whole-table syncs sent to a member that spoke to this node before this node knew it. */
        INTRODUCTIONS
    }

    private final EnumCounts<Refusal> refusals = new EnumCounts<>(Refusal.class);
    private final EnumCounts<Counter> counters = new EnumCounts<>(Counter.class);

    void refuse(Refusal reason) {
        refusals.increment(reason);
    }

    void increment(Counter counter) {
        counters.increment(counter);
    }

    public long refused(Refusal reason) {
        return refusals.get(reason);
    }

    public long get(Counter counter) {
        return counters.get(counter);
    }

    public Map<Refusal, Long> refusals() {
        return refusals.snapshot();
    }

    public Map<Counter, Long> counters() {
        return counters.snapshot();
    }
}
