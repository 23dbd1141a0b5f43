package io.hearsay.peer.overlay;

import io.hearsay.discovery.runtime.Clock;
import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.identity.PkiId;
import io.hearsay.peer.overlay.OverlayCounters.Counter;
import io.hearsay.peer.transport.GossipNetwork;
import java.util.ArrayDeque;
import java.util.TreeMap;

/**
 * The overlay's sends on the node's {@link GossipNetwork}, dialling anchors as needed. A message to a peer with an open
 * connection goes at once. A message to an anchor of the roster with none is held (at most {@code heldPerPeerMax} per
 * anchor) while the connection is dialled, and released when it opens, polled every {@value #POLL_MILLIS} ms on the
 * overlay's timers; after {@code connectWaitMillis} what is still held is dropped and counted, and the cores' own
 * timeouts take over (a dead anchor stays unreached, its dialer keeps trying in the background). Anything else to a
 * peer with no connection is dropped and counted: peers reach anchors, anchors answer on the peers' connections.
 *
 * <p>Not thread-safe: the overlay's serial executor.
 */
final class AnchorLinks {
    /** How often a held queue checks its connection: a dial on loopback or a LAN takes a few of these. */
    static final long POLL_MILLIS = 10;

    private final GossipNetwork network;
    private final OverlayRoster roster;
    private final Clock clock;
    private final Scheduler scheduler;
    private final OverlayCounters counters;
    private final int heldPerPeerMax;
    private final long connectWaitMillis;
    private final TreeMap<PkiId, Held> held = new TreeMap<>();
    private boolean closed;

    private static final class Held {
        final ArrayDeque<byte[]> envelopes = new ArrayDeque<>();
        final long sinceMillis;
        Scheduler.Timer poll;

        Held(long sinceMillis) {
            this.sinceMillis = sinceMillis;
        }
    }

    AnchorLinks(GossipNetwork network, OverlayRoster roster, Clock clock, Scheduler scheduler, OverlayCounters counters,
            int heldPerPeerMax, long connectWaitMillis) {
        this.network = network;
        this.roster = roster;
        this.clock = clock;
        this.scheduler = scheduler;
        this.counters = counters;
        this.heldPerPeerMax = heldPerPeerMax;
        this.connectWaitMillis = connectWaitMillis;
    }

    void send(PkiId to, byte[] envelope) {
        if (closed) {
            return;
        }
        Held waiting = held.get(to);
        if (waiting == null && network.isConnected(to)) {
            network.send(to, envelope, false);
            return;
        }
        var spec = roster.spec(to);
        if (spec.isEmpty()) {
            counters.increment(Counter.NOT_CONNECTED);
            return;
        }
        if (waiting == null) {
            waiting = new Held(clock.nowMillis());
            held.put(to, waiting);
            network.connect(to, spec.get().host(), spec.get().port());
            schedulePoll(to, waiting);
        }
        if (waiting.envelopes.size() >= heldPerPeerMax) {
            waiting.envelopes.poll();
            counters.increment(Counter.HELD_DROPPED);
        }
        waiting.envelopes.add(envelope);
        counters.increment(Counter.HELD_FOR_CONNECTION);
    }

    private void schedulePoll(PkiId to, Held waiting) {
        waiting.poll = scheduler.schedule(POLL_MILLIS, () -> poll(to, waiting));
    }

    private void poll(PkiId to, Held waiting) {
        if (closed || held.get(to) != waiting) {
            return;
        }
        if (network.isConnected(to)) {
            held.remove(to);
            for (byte[] envelope : waiting.envelopes) {
                network.send(to, envelope, false);
            }
            return;
        }
        if (clock.nowMillis() - waiting.sinceMillis >= connectWaitMillis) {
            held.remove(to);
            waiting.envelopes.forEach(e -> counters.increment(Counter.HELD_DROPPED));
            return;
        }
        schedulePoll(to, waiting);
    }

    void close() {
        closed = true;
        held.values().forEach(waiting -> {
            if (waiting.poll != null) {
                waiting.poll.cancel();
            }
        });
        held.clear();
    }
}
