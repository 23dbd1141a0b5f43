package io.hearsay.discovery.routing;

import io.hearsay.discovery.routing.DeliveryOutcome.Delivered;
import io.hearsay.discovery.routing.DeliveryOutcome.Failed;
import io.hearsay.discovery.routing.RouteMessage.Ack;
import io.hearsay.discovery.routing.RouteMessage.Outcome;
import io.hearsay.discovery.routing.RouteMessage.OutcomeAck;
import io.hearsay.discovery.routing.RouteMessage.Route;
import io.hearsay.discovery.runtime.MessageHandler;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.identity.PkiId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Routed delivery with acknowledgements (DESIGN.md, "Hybrid super-nodes"): a payload for one peer travels
 * sender → one of its parent anchors → the target's anchor → the target; every hop is acknowledged, and the
 * caller always gets exactly one {@link DeliveryOutcome} within {@link RoutingConfig#deadlineMillis()}.
 *
 * <pre>
 *   sender          parent P1/P2          target's anchor B1/B2        target
 *     │ Route(hop 1) ──▶ │                        │                        │
 *     │ ◀──────── Ack 1  │ Route(hop 2) ────────▶ │                        │
 *     │                  │ ◀──────────── Ack 2    │ Route(hop 3) ────────▶ │
 *     │                  │                        │ ◀───────────── Ack 3   │ (= delivered)
 *     │                  │ ◀── Outcome(delivered) │                        │
 *     │ ◀── Outcome      │ ── OutcomeAck ───────▶ │                        │
 *     │ OutcomeAck ────▶ │                        │                        │
 *   no Ack within ackTimeout: try the hop's alternative (second parent, target's second anchor; the same
 *   peer again if it has none); none left: Outcome(failed at this hop) travels back. The sender's deadline
 *   timer ends anything else.
 * </pre>
 *
 * Why the guarantee holds without trusting any other peer: the sender arms its own deadline timer at send,
 * and whichever comes first — an outcome from a peer it tried, or that timer — completes the send and removes
 * it, so later arrivals are ignored (counted as late). Relays hold a route only until its budget (what was
 * left of the sender's deadline) runs out, so their state is bounded too. An outcome travelling back is
 * acknowledged and resent once after {@code ackTimeout} if not: a lost outcome would otherwise turn a
 * delivery into a reported failure at the deadline.
 *
 * <p>Not thread-safe: one serial context. The outcome callback may run before {@code send} returns.
 */
public final class RoutedDelivery implements MessageHandler<RouteMessage> {
    /** What routed delivery acts through; {@code inbox} receives payloads addressed to this peer, once each. */
    public record Collaborators(PeerRuntime runtime, Transport<RouteMessage> transport, RouteTable table,
            Consumer<Received> inbox) {}

    /** A payload that reached this peer. */
    public record Received(PkiId origin, byte[] payload) {}

    /** What this peer did, for the log and the simulator. */
    public enum Counter {
        SENT,
        DELIVERED,
        FAILED,
        DEADLINES_EXPIRED,
        RELAYED,
        RECEIVED,
        DUPLICATES,
        REFUSED_OVERLOADED,
        /** Routes refused as malformed or forged: a hop out of range, an oversized payload, a spoofed origin. */
        REFUSED_INVALID,
        LATE_MESSAGES,
        RELAY_ROUTES_EXPIRED
    }

    private record RouteKey(PkiId origin, long id) {}

    private record OutcomeKey(RouteKey route, PkiId upstream) {}

    /** One route this peer is moving on: its own send, or one it relays. */
    private static final class Forward {
        final RouteKey key;
        final Route route;
        /** Upstream peers to report the outcome to; empty for this peer's own send. */
        final List<PkiId> previous = new ArrayList<>();
        final ArrayDeque<PkiId> candidates = new ArrayDeque<>();
        /** Lookups only. */
        final Set<PkiId> tried = new HashSet<>();
        int hop;
        PkiId current;
        boolean acked;
        String lastReason;
        long budgetEndsAtMillis;
        Scheduler.Timer ackTimer;
        Scheduler.Timer expiry;

        Forward(RouteKey key, Route route) {
            this.key = key;
            this.route = route;
        }

        void cancelTimers() {
            if (ackTimer != null) {
                ackTimer.cancel();
            }
            if (expiry != null) {
                expiry.cancel();
            }
        }
    }

    private record Pending(PkiId target, long startedAtMillis, Consumer<DeliveryOutcome> callback,
            Scheduler.Timer deadline) {}

    private final PkiId self;
    private final RoutingConfig config;
    private final PeerRuntime runtime;
    private final Transport<RouteMessage> transport;
    private final RouteTable table;
    private final Consumer<Received> inbox;
    /** Lookups only, never iterated in a decision. */
    private final Map<RouteKey, Forward> forwards = new HashMap<>();
    private final Map<Long, Pending> pending = new HashMap<>();
    /** Routes delivered here, oldest first, bounded: a duplicate is acknowledged but not handed on again. */
    private final LinkedHashSet<RouteKey> delivered = new LinkedHashSet<>();
    /** Outcomes sent upstream and not yet acknowledged (lookups only); each is resent once. */
    private final Map<OutcomeKey, Scheduler.Timer> unacknowledgedOutcomes = new HashMap<>();
    private final long[] counters = new long[Counter.values().length];
    private long nextId;

    public RoutedDelivery(PkiId self, RoutingConfig config, Collaborators collaborators) {
        this.self = self;
        this.config = config;
        this.runtime = collaborators.runtime();
        this.transport = collaborators.transport();
        this.table = collaborators.table();
        this.inbox = collaborators.inbox();
    }

    /**
     * Sends {@code payload} to {@code target}; {@code callback} gets exactly one outcome, at the latest
     * {@link RoutingConfig#deadlineMillis()} from now. Returns the route's id.
     */
    public long send(PkiId target, byte[] payload, Consumer<DeliveryOutcome> callback) {
        long id = ++nextId;
        count(Counter.SENT);
        if (payload.length > config.payloadBytesMax()) {
            complete(callback, new Failed(0, "payload of " + payload.length + " bytes exceeds payloadBytesMax "
                    + config.payloadBytesMax() + "; send it by gossip or split it"));
            return id;
        }
        if (forwards.size() >= config.inflightMax()) {
            count(Counter.REFUSED_OVERLOADED);
            complete(callback, new Failed(0, "overloaded: " + forwards.size() + " routes in flight (inflightMax)"));
            return id;
        }
        if (target.equals(self)) {
            inbox.accept(new Received(self, payload));
            complete(callback, new Delivered(self, 0));
            return id;
        }
        RouteKey key = new RouteKey(self, id);
        long now = runtime.clock().nowMillis();
        Scheduler.Timer deadline = runtime.scheduler().schedule(config.deadlineMillis(), () -> onDeadline(key));
        pending.put(id, new Pending(target, now, callback, deadline));
        Forward forward = new Forward(key, new Route(self, id, target, payload, 1, config.deadlineMillis()));
        forward.budgetEndsAtMillis = now + config.deadlineMillis();
        forwards.put(key, forward);
        if (table.isAnchor()) {
            // An anchor is its own first hop.
            planNextHop(forward, 1);
        } else {
            List<PkiId> parents = table.parents();
            if (parents.isEmpty()) {
                report(forward, false, 1, "not attached to any anchor; wait for the join to complete");
                return id;
            }
            forward.hop = 1;
            addCandidates(forward, parents);
            attempt(forward);
        }
        return id;
    }

    @Override
    public void onMessage(PkiId from, RouteMessage message) {
        if (message instanceof Route route) {
            onRoute(from, route);
        } else if (message instanceof Ack ack) {
            onAck(from, ack);
        } else if (message instanceof Outcome outcome) {
            transport.send(from, new OutcomeAck(outcome.origin(), outcome.id()));
            onOutcome(from, outcome);
        } else if (message instanceof OutcomeAck ack) {
            Scheduler.Timer resend = unacknowledgedOutcomes.remove(new OutcomeKey(new RouteKey(ack.origin(), ack.id()), from));
            if (resend != null) {
                resend.cancel();
            }
        }
    }

    private void onRoute(PkiId from, Route route) {
        String invalid = invalidity(from, route);
        if (invalid != null) {
            count(Counter.REFUSED_INVALID);
            transport.send(from, new Outcome(route.origin(), route.id(), false, Math.max(1, Math.min(route.hop(),
                    RoutingConfig.HOPS_MAX)), "refused by " + self + ": " + invalid, true));
            return;
        }
        RouteKey key = new RouteKey(route.origin(), route.id());
        if (route.hop() == RoutingConfig.HOPS_MAX) {
            if (!route.target().equals(self)) {
                transport.send(from, new Outcome(route.origin(), route.id(), false, route.hop(),
                        "peer " + self + " is not the target", true));
                return;
            }
            transport.send(from, new Ack(route.origin(), route.id(), route.hop()));
            deliverHere(key, route);
            return;
        }
        Forward existing = forwards.get(key);
        if (existing != null) {
            // The previous hop failed over to us while we already hold the route (or its ack was lost).
            count(Counter.DUPLICATES);
            if (!existing.previous.contains(from)) {
                existing.previous.add(from);
            }
            transport.send(from, new Ack(route.origin(), route.id(), route.hop()));
            return;
        }
        if (!table.isAnchor()) {
            transport.send(from, new Outcome(route.origin(), route.id(), false, route.hop(),
                    "peer " + self + " is not an anchor", true));
            return;
        }
        if (forwards.size() >= config.inflightMax()) {
            count(Counter.REFUSED_OVERLOADED);
            transport.send(from, new Outcome(route.origin(), route.id(), false, route.hop(),
                    "anchor " + self + " overloaded: " + forwards.size() + " routes in flight", true));
            return;
        }
        count(Counter.RELAYED);
        Forward forward = new Forward(key, route);
        forward.previous.add(from);
        long budget = Math.max(0, route.budgetMillis());
        forward.budgetEndsAtMillis = runtime.clock().nowMillis() + budget;
        forward.expiry = runtime.scheduler().schedule(budget, () -> {
            // The origin's deadline has passed: its outcome is settled without us; forget the route.
            if (forwards.remove(key) == forward) {
                forward.cancelTimers();
                count(Counter.RELAY_ROUTES_EXPIRED);
            }
        });
        forwards.put(key, forward);
        transport.send(from, new Ack(route.origin(), route.id(), route.hop()));
        planNextHop(forward, route.hop());
    }

    /**
     * Why {@code route} from {@code from} is refused, or null. A first hop comes from its origin (so no peer can
     * send in another's name), a second from a live anchor; the third is taken from any sender, because a target
     * may just have changed parents.
     */
    private String invalidity(PkiId from, Route route) {
        if (route.hop() < 1 || route.hop() > RoutingConfig.HOPS_MAX) {
            return "hop " + route.hop() + " is not in [1, " + RoutingConfig.HOPS_MAX + "]";
        }
        if (route.payload().length > config.payloadBytesMax()) {
            return "payload of " + route.payload().length + " bytes exceeds payloadBytesMax " + config.payloadBytesMax();
        }
        if (route.hop() == 1 && !from.equals(route.origin())) {
            return "a first hop must come from its origin " + route.origin() + ", not " + from;
        }
        if (route.hop() == 2 && !table.isLiveAnchor(from)) {
            return "a second hop must come from a live anchor, not " + from;
        }
        return null;
    }

    /** At an anchor that has the route after hop {@code receivedHop}: picks the next hop's peers. */
    private void planNextHop(Forward forward, int receivedHop) {
        PkiId target = forward.route.target();
        if (target.equals(self)) {
            deliverHere(forward.key, forward.route);
            report(forward, true, 0, "");
            return;
        }
        if (receivedHop == 1 && !table.isChild(target) && !table.isLiveAnchor(target)) {
            List<PkiId> anchors = table.anchorsOf(target);
            if (anchors.isEmpty()) {
                report(forward, false, 2, "target " + target + " unknown: no live anchor lists it as attached");
                return;
            }
            forward.hop = 2;
            addCandidates(forward, anchors);
        } else if (receivedHop == 2 && !table.isChild(target)) {
            report(forward, false, 3, "target " + target + " is not attached to anchor " + self);
            return;
        } else {
            forward.hop = 3;
            addCandidates(forward, List.of(target));
        }
        attempt(forward);
    }

    /**
     * A hop makes {@link RoutingConfig#ALTERNATIVES_PER_HOP} attempts, which keeps it within its share of the
     * deadline: the first peers of {@code peers} in order, and if there are fewer, the last one again (so a lost
     * message to the only target is resent once).
     */
    private static void addCandidates(Forward forward, List<PkiId> peers) {
        for (int i = 0; i < RoutingConfig.ALTERNATIVES_PER_HOP; i++) {
            forward.candidates.add(peers.get(Math.min(i, peers.size() - 1)));
        }
    }

    /** Sends the route to the hop's next untried peer, or reports the hop failed if none is left. */
    private void attempt(Forward forward) {
        if (forward.ackTimer != null) {
            forward.ackTimer.cancel();
        }
        PkiId next = forward.candidates.poll();
        if (next == null) {
            report(forward, false, forward.hop, forward.lastReason != null ? forward.lastReason : noAck(forward.hop));
            return;
        }
        forward.current = next;
        forward.acked = false;
        forward.tried.add(next);
        Route route = forward.route;
        long budget = Math.max(0, forward.budgetEndsAtMillis - runtime.clock().nowMillis());
        transport.send(next, new Route(route.origin(), route.id(), route.target(), route.payload(), forward.hop, budget));
        forward.ackTimer = runtime.scheduler().schedule(config.ackTimeoutMillis(), () -> {
            if (forwards.get(forward.key) == forward && !forward.acked && next.equals(forward.current)) {
                attempt(forward);
            }
        });
    }

    private String noAck(int hop) {
        String who = switch (hop) {
            case 1 -> "no parent anchor";
            case 2 -> "no anchor of the target";
            default -> "target unreachable:";
        };
        return who + " acknowledged within " + config.ackTimeoutMillis() + " ms";
    }

    private void onAck(PkiId from, Ack ack) {
        Forward forward = forwards.get(new RouteKey(ack.origin(), ack.id()));
        if (forward == null || !from.equals(forward.current) || ack.hop() != forward.hop || forward.acked) {
            count(Counter.LATE_MESSAGES);
            return;
        }
        forward.acked = true;
        forward.ackTimer.cancel();
        if (forward.hop == RoutingConfig.HOPS_MAX) {
            report(forward, true, 0, "");
        }
    }

    private void onOutcome(PkiId from, Outcome outcome) {
        Forward forward = forwards.get(new RouteKey(outcome.origin(), outcome.id()));
        if (forward == null || !forward.tried.contains(from)) {
            count(Counter.LATE_MESSAGES);
            return;
        }
        if (outcome.delivered()) {
            // From any peer we tried: a slow first choice may still have delivered.
            report(forward, true, 0, "");
        } else if (!from.equals(forward.current)) {
            // An abandoned alternative failed; the current one is still trying.
            count(Counter.LATE_MESSAGES);
        } else if (outcome.refused()) {
            // Refused outright (not an anchor, overloaded): try this hop's alternative.
            forward.lastReason = outcome.reason();
            attempt(forward);
        } else {
            report(forward, false, outcome.failedHop(), outcome.reason());
        }
    }

    /** Ends a route here: to the caller if it is this peer's own, upstream otherwise. */
    private void report(Forward forward, boolean delivered, int failedHop, String reason) {
        forwards.remove(forward.key);
        forward.cancelTimers();
        if (forward.previous.isEmpty()) {
            Pending own = pending.remove(forward.key.id());
            if (own != null) {
                own.deadline().cancel();
                complete(own.callback(), delivered
                        ? new Delivered(own.target(), runtime.clock().nowMillis() - own.startedAtMillis())
                        : new Failed(failedHop, reason));
            }
            return;
        }
        Outcome outcome = new Outcome(forward.key.origin(), forward.key.id(), delivered, failedHop, reason, false);
        for (PkiId upstream : forward.previous) {
            transport.send(upstream, outcome);
            OutcomeKey key = new OutcomeKey(forward.key, upstream);
            if (unacknowledgedOutcomes.size() < config.inflightMax()) {
                unacknowledgedOutcomes.put(key, runtime.scheduler().schedule(config.ackTimeoutMillis(), () -> {
                    if (unacknowledgedOutcomes.remove(key) != null) {
                        transport.send(upstream, outcome);
                    }
                }));
            }
        }
    }

    private void onDeadline(RouteKey key) {
        Forward forward = forwards.get(key);
        int hop = forward == null ? 1 : forward.acked ? Math.min(forward.hop + 1, RoutingConfig.HOPS_MAX) : forward.hop;
        count(Counter.DEADLINES_EXPIRED);
        String reason = "no outcome within " + config.deadlineMillis() + " ms (hops × per-hop timeout)";
        if (forward != null) {
            report(forward, false, hop, reason);
            return;
        }
        Pending own = pending.remove(key.id());
        if (own != null) {
            complete(own.callback(), new Failed(hop, reason));
        }
    }

    private void deliverHere(RouteKey key, Route route) {
        if (!delivered.add(key)) {
            count(Counter.DUPLICATES);
            return;
        }
        if (delivered.size() > config.deliveredRememberedMax()) {
            delivered.remove(delivered.iterator().next());
        }
        count(Counter.RECEIVED);
        inbox.accept(new Received(route.origin(), route.payload()));
    }

    private void complete(Consumer<DeliveryOutcome> callback, DeliveryOutcome outcome) {
        count(outcome instanceof Delivered ? Counter.DELIVERED : Counter.FAILED);
        callback.accept(outcome);
    }

    private void count(Counter counter) {
        counters[counter.ordinal()]++;
    }

    public long get(Counter counter) {
        return counters[counter.ordinal()];
    }

    /** Routes held now (own and relayed). */
    public int inflight() {
        return forwards.size();
    }

    public PkiId self() {
        return self;
    }
}
