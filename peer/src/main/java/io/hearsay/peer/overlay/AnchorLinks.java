package io.hearsay.peer.overlay;

import io.hearsay.discovery.runtime.Clock;
import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.identity.PkiId;
import io.hearsay.peer.transport.HeldSends;
import io.hearsay.peer.overlay.OverlayCounters.Counter;
import io.hearsay.peer.transport.GossipNetwork;

/**
 * The overlay's sends on the node's {@link GossipNetwork}, dialling anchors as needed ({@link HeldSends}). A message to a
 * peer with an open connection goes at once. A message to an anchor of the roster with none is held (at most {@code
 * heldPerPeerMax} per anchor) while the connection is dialled, and released when it opens; after {@code
 * connectWaitMillis} what is still held is dropped and counted, and the cores' own timeouts take over (a dead anchor
 * stays unreached, its dialer keeps trying in the background). Anything else to a peer with no connection is dropped
 * and counted: peers reach anchors, anchors answer on the peers' connections.
 *
 * <p>Not thread-safe: the overlay's serial executor.
 */
final class AnchorLinks {
    private final HeldSends sends;

    AnchorLinks(GossipNetwork network, OverlayRoster roster, Clock clock, Scheduler scheduler, OverlayCounters counters,
            int heldPerPeerMax, long connectWaitMillis) {
        this.sends = new HeldSends(network, clock, scheduler, event -> counters.increment(switch (event) {
            case HELD -> Counter.HELD_FOR_CONNECTION;
            case HELD_DROPPED -> Counter.HELD_DROPPED;
            case NOT_CONNECTED -> Counter.NOT_CONNECTED;
        }), to -> roster.spec(to).map(spec -> () -> network.connect(to, spec.host(), spec.port())), heldPerPeerMax,
                connectWaitMillis);
    }

    void send(PkiId to, byte[] envelope) {
        sends.send(to, envelope);
    }

    void close() {
        sends.close();
    }
}
