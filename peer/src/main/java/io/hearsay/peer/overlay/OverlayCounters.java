package io.hearsay.peer.overlay;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What a node's overlay refused before its cores saw it, and what its links did. Written on the overlay's serial
 * executor, readable from any thread (metrics, tests). The cores count their own refusals ({@code AnchorCounters},
 * {@code RoutedDelivery.Counter}); the authentication layer counts its drops.
 */
public final class OverlayCounters {
    /** Why a message (or an anchor of the configuration) was refused. */
    public enum Refusal {
        /** The sender's organisation (from its handshake) is not one the channel configuration knows. */
        FOREIGN_ORGANIZATION,
        /** A join or membership request from another organisation to an ordinary peer with no external endpoint:
         * that organisation may not know it, so the request is not answered. */
        NOT_VISIBLE,
        /** An anchor announcement claiming another organisation than the one the sender's certificate proved. */
        ANCHOR_ORGANIZATION_MISMATCH,
        /** Another organisation's internal endpoint arrived here; it is discarded (the external one is kept). */
        FOREIGN_INTERNAL_ENDPOINT,
        /** An anchor of the configuration whose certificate is not of the organisation named, or whose organisation
         * the channel does not know: it is left out of the roster. */
        ANCHOR_SPEC_REFUSED
    }

    /** What the overlay's links did. */
    public enum Counter {
        /** Messages to an anchor held while its connection is dialled. */
        HELD_FOR_CONNECTION,
        /** Held messages dropped: over the per-peer bound, or the connection did not open in time. */
        HELD_DROPPED,
        /** Messages dropped because no connection to the peer is open and it is not an anchor to dial. */
        NOT_CONNECTED
    }

    private final AtomicLongArray refusals = new AtomicLongArray(Refusal.values().length);
    private final AtomicLongArray counters = new AtomicLongArray(Counter.values().length);

    void refuse(Refusal reason) {
        refusals.incrementAndGet(reason.ordinal());
    }

    void increment(Counter counter) {
        counters.incrementAndGet(counter.ordinal());
    }

    public long refused(Refusal reason) {
        return refusals.get(reason.ordinal());
    }

    public long get(Counter counter) {
        return counters.get(counter.ordinal());
    }

    public Map<Refusal, Long> refusals() {
        Map<Refusal, Long> snapshot = new EnumMap<>(Refusal.class);
        for (Refusal reason : Refusal.values()) {
            snapshot.put(reason, refused(reason));
        }
        return snapshot;
    }
}
