package io.hearsay.peer.transport;

import io.hearsay.discovery.runtime.Clock;
import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.identity.PkiId;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A node-level protocol's sends on the node's {@link GossipNetwork}, dialling peers as needed. A message to a peer with
 * an open connection goes at once. A message to a peer with none that the protocol knows how to dial is held (at most
 * {@code heldPerPeerMax} per peer, the oldest dropped beyond it) while the peer is dialled, and released when the
 * connection opens, polled every {@value #POLL_MILLIS} ms; after {@code connectWaitMillis} what is still held is
 * dropped, and the protocol's own timeouts take over. Anything else to a peer with no connection is dropped. Every
 * hold and drop is told as an {@link Event}, for the protocol's counters.
 *
 * <p>Without the hold, the first messages to a peer just learned are lost to the dial: SWIM's first probes of a new
 * member would raise false suspicions.
 *
 * <p>Not thread-safe: the protocol's serial executor.
 */
public final class HeldSends {
    /** How often a held queue checks its connection: a dial on loopback or a LAN takes a few of these. */
    static final long POLL_MILLIS = 10;

    /** What happened to a send, for the protocol's counters. */
    public enum Event {
        /** A message was held while its peer is dialled. */
        HELD,
        /** A held message was dropped: over the per-peer bound, or the connection did not open in time. */
        HELD_DROPPED,
        /** A message was dropped: no connection, and the peer is not one to dial. */
        NOT_CONNECTED
    }

    private final GossipNetwork network;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Consumer<Event> events;
    private final Function<PkiId, Optional<Runnable>> dials;
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

    /**
     * @param dials how to dial a peer a message finds with no connection (run once, when its first message is held);
     *     empty: not one to dial, so the message is dropped
     */
    public HeldSends(GossipNetwork network, Clock clock, Scheduler scheduler, Consumer<Event> events,
            Function<PkiId, Optional<Runnable>> dials, int heldPerPeerMax, long connectWaitMillis) {
        if (heldPerPeerMax < 1 || connectWaitMillis < 1) {
            throw new IllegalArgumentException("heldPerPeerMax and connectWaitMillis must be positive, got " + heldPerPeerMax
                    + " and " + connectWaitMillis);
        }
        this.network = network;
        this.clock = clock;
        this.scheduler = scheduler;
        this.events = events;
        this.dials = dials;
        this.heldPerPeerMax = heldPerPeerMax;
        this.connectWaitMillis = connectWaitMillis;
    }

    /** Sends {@code envelope} to {@code to} on the control lane, or holds it while {@code to} is dialled. */
    public void send(PkiId to, byte[] envelope) {
        if (closed) {
            return;
        }
        Held waiting = held.get(to);
        if (waiting == null && network.isConnected(to)) {
            network.send(to, envelope, false);
            return;
        }
        if (waiting == null) {
            Optional<Runnable> dial = dials.apply(to);
            if (dial.isEmpty()) {
                events.accept(Event.NOT_CONNECTED);
                return;
            }
            waiting = new Held(clock.nowMillis());
            held.put(to, waiting);
            dial.get().run();
            schedulePoll(to, waiting);
        }
        if (waiting.envelopes.size() >= heldPerPeerMax) {
            waiting.envelopes.poll();
            events.accept(Event.HELD_DROPPED);
        }
        waiting.envelopes.add(envelope);
        events.accept(Event.HELD);
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
            waiting.envelopes.forEach(envelope -> network.send(to, envelope, false));
            return;
        }
        if (clock.nowMillis() - waiting.sinceMillis >= connectWaitMillis) {
            held.remove(to);
            waiting.envelopes.forEach(envelope -> events.accept(Event.HELD_DROPPED));
            return;
        }
        schedulePoll(to, waiting);
    }

    /** Drops whatever is held and sends nothing more. */
    public void close() {
        closed = true;
        held.values().forEach(waiting -> {
            if (waiting.poll != null) {
                waiting.poll.cancel();
            }
        });
        held.clear();
    }
}
