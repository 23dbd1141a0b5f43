package io.hearsay.peer.transport;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** What a peer's gossip transport did, counted; thread-safe. Exported as metrics by the node. */
public final class TransportCounters {
    public enum Counter {
        CONNECTIONS_OPENED,
        CONNECTIONS_CLOSED,
        /** Handshakes refused: bad proof, unknown organisation, wrong peer, timeout. */
        HANDSHAKES_FAILED,
        /** A second connection to a peer already connected, closed by the tie-break. */
        DUPLICATE_CONNECTIONS,
        FRAMES_SENT,
        BYTES_SENT,
        FRAMES_RECEIVED,
        BYTES_RECEIVED,
        ENVELOPES_RECEIVED,
        /** Frames or envelopes that did not parse or broke the protocol; the connection is closed. */
        MALFORMED,
        /** Messages over the size limit, refused at either end. */
        OVERSIZED,
        /** Sends dropped because the connection's queue was full (backpressure). */
        QUEUE_FULL,
        /** Sends dropped because no connection to the peer was open. */
        NOT_CONNECTED,
        /** Envelopes dropped by injected faults ({@link LinkFaults}: loss or a partition), either direction. */
        FAULT_DROPPED
    }

    private final AtomicLongArray values = new AtomicLongArray(Counter.values().length);

    void add(Counter counter, long delta) {
        values.addAndGet(counter.ordinal(), delta);
    }

    void increment(Counter counter) {
        values.incrementAndGet(counter.ordinal());
    }

    public long get(Counter counter) {
        return values.get(counter.ordinal());
    }

    public Map<Counter, Long> snapshot() {
        Map<Counter, Long> snapshot = new EnumMap<>(Counter.class);
        for (Counter counter : Counter.values()) {
            snapshot.put(counter, get(counter));
        }
        return snapshot;
    }
}
