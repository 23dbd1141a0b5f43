package io.hearsay.peer.node;

import io.hearsay.discovery.anchor.AnchorCounters;
import io.hearsay.discovery.auth.AuthenticatedChannel;
import io.hearsay.discovery.routing.RoutedDelivery;
import io.hearsay.gossip.block.GossipCounters;
import io.hearsay.peer.ChannelGossip;
import io.hearsay.peer.metrics.MessageType;
import io.hearsay.peer.metrics.WireCounters;
import io.hearsay.peer.overlay.OverlayCounters;
import io.hearsay.peer.overlay.PeerOverlay;
import io.hearsay.peer.transport.TransportCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.hearsay.discovery.swim.SwimCounters;
import io.hearsay.peer.index.IndexRegistration;
import io.hearsay.peer.membership.MembershipCounters;
import io.hearsay.peer.membership.PeerMembership;
import java.util.function.Supplier;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The node's Prometheus metrics. Names follow Fabric's where Fabric has the metric ({@code ledger_blockchain_height},
 * {@code ledger_block_processing_time}, {@code gossip_leader_election_leader}, {@code gossip_membership_total_peers_known}),
 * so dashboards built for Fabric peers read ours; the rest are every gossip and transport counter, one series each,
 * so nothing the protocol drops goes unseen. The overlay's ({@code overlay_*}, when the node runs one): its cores'
 * counters, refusals by reason, routed deliveries by outcome, parents and children. Per channel and message type ({@link MessageType#label()}): messages
 * and bytes sent and received; signature verifications by result; duplicates received by kind.
 *
 * <p>Every series is a {@link FunctionCounter} or {@link Gauge} reading a plain counter the protocol keeps anyway:
 * the hot path pays an addition per message, and the cost of Micrometer is paid at scrape time.
 */
public final class NodeMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /**
     * What series read from and nothing else holds: Micrometer references a meter's object weakly, and a series whose
     * object was collected reads NaN.
     */
    private final Set<Object> held = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The timer a channel's commits are recorded in. */
    public Timer commitTimer(String channel) {
        return Timer.builder("ledger_block_processing_time")
                .description("Time to validate and commit a block")
                .tag("channel", channel)
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    public void channel(String channel, LongSupplier height, ChannelGossip gossip, BooleanSupplier leader) {
        Gauge.builder("ledger_blockchain_height", height::getAsLong).tag("channel", channel)
                .description("Number of committed blocks").register(registry);
        Gauge.builder("gossip_leader_election_leader", () -> leader.getAsBoolean() ? 1 : 0).tag("channel", channel)
                .description("1 when this peer takes the channel's blocks from the orderer").register(registry);
        for (GossipCounters.Counter counter : GossipCounters.Counter.values()) {
            FunctionCounter.builder("gossip_" + counter.name().toLowerCase(Locale.ROOT), gossip,
                            g -> g.counters().get(counter))
                    .tag("channel", channel).register(registry);
        }
        wire(channel, gossip.wireCounters());
        FunctionCounter.builder("gossip_signature_verifications", gossip, g -> g.verificationsPassed())
                .description("Gossip message signatures checked, by result").tags("channel", channel, "result", "ok")
                .register(registry);
        FunctionCounter.builder("gossip_signature_verifications", gossip, g -> g.verificationsFailed())
                .description("Gossip message signatures checked, by result").tags("channel", channel, "result", "failed")
                .register(registry);
        FunctionCounter.builder("gossip_duplicates_received", gossip,
                        g -> g.counters().get(GossipCounters.Counter.DUPLICATE_BODIES))
                .description("Messages that told this peer nothing new: a block body it had, an announcement of a "
                        + "block it had").tags("channel", channel, "kind", "body").register(registry);
        FunctionCounter.builder("gossip_duplicates_received", gossip, g -> g.duplicateAnnouncements())
                .description("Messages that told this peer nothing new: a block body it had, an announcement of a "
                        + "block it had").tags("channel", channel, "kind", "announcement").register(registry);
    }

    /** Messages and bytes, sent and received, for every message type on the channel. */
    private void wire(String channel, WireCounters counters) {
        for (MessageType type : MessageType.values()) {
            wireCounter("gossip_messages_sent", "Gossip messages handed to a connection", channel, type, counters,
                    c -> c.messagesSent(type));
            wireCounter("gossip_bytes_sent", "Encoded bytes of the gossip messages sent", channel, type, counters,
                    c -> c.bytesSent(type));
            wireCounter("gossip_messages_received", "Gossip messages arrived, before authentication", channel, type,
                    counters, c -> c.messagesReceived(type));
            wireCounter("gossip_bytes_received", "Encoded bytes of the gossip messages received", channel, type,
                    counters, c -> c.bytesReceived(type));
        }
    }

    private void wireCounter(String name, String description, String channel, MessageType type, WireCounters counters,
            ToDoubleFunction<WireCounters> value) {
        FunctionCounter.builder(name, counters, value).description(description)
                .tags("channel", channel, "type", type.label()).register(registry);
    }

    public void transport(TransportCounters counters, IntSupplier connectedPeers) {
        for (TransportCounters.Counter counter : TransportCounters.Counter.values()) {
            FunctionCounter.builder("gossip_comm_" + counter.name().toLowerCase(Locale.ROOT), counters,
                    c -> c.get(counter)).register(registry);
        }
        Gauge.builder("gossip_membership_total_peers_known", connectedPeers::getAsInt)
                .description("Neighbours with an open gossip connection").register(registry);
    }

    /**
     * The overlay's series. Counters the overlay keeps thread-safe are read directly; the cores' own are read from
     * {@code report}'s copy of the overlay's state, taken once per scrape.
     */
    void overlay(OverlayReport report) {
        OverlayCounters links = report.overlay().counters();
        for (OverlayCounters.Refusal reason : OverlayCounters.Refusal.values()) {
            FunctionCounter.builder("overlay_refused", links, c -> c.refused(reason))
                    .description("Overlay messages (or configured anchors) refused before the protocol saw them, by reason")
                    .tag("reason", label(reason)).register(registry);
        }
        for (OverlayCounters.Counter counter : OverlayCounters.Counter.values()) {
            FunctionCounter.builder("overlay_link_" + label(counter), links, c -> c.get(counter))
                    .description("Overlay messages to anchors: held while dialling, dropped").register(registry);
        }
        for (AnchorCounters.Counter counter : AnchorCounters.Counter.values()) {
            overlayCounter(report, "overlay_" + label(counter), "What the anchor or attachment core did", "", "",
                    s -> s.anchorCounters().getOrDefault(counter, 0L));
        }
        Supplier<PeerOverlay.State> state = report::state;
        byReason(state, "overlay_anchor_rejected", "Anchor protocol messages refused, by reason",
                AnchorCounters.Rejection.class, PeerOverlay.State::anchorRejections);
        byReason(state, "overlay_authentication_dropped", "Overlay messages that failed authentication, by reason",
                AuthenticatedChannel.Drop.class, PeerOverlay.State::drops);
        for (RoutedDelivery.Counter counter : RoutedDelivery.Counter.values()) {
            overlayCounter(report, "overlay_routed_" + label(counter),
                    "Routed delivery: this peer's sends (sent, delivered, failed) and the routes it relays or receives",
                    "", "", s -> s.routing().getOrDefault(counter, 0L));
        }
        Gauge.builder("overlay_anchor", report, r -> r.overlay().isAnchor() ? 1 : 0)
                .description("1 when this peer is an anchor (super-node) of the overlay").register(registry);
        Gauge.builder("overlay_parents", report, r -> r.state().parents().size())
                .description("Anchors this ordinary peer is attached to (2 when dual-homed)").register(registry);
        Gauge.builder("overlay_children", report, r -> r.state().children().size())
                .description("Peers attached to this anchor").register(registry);
        Gauge.builder("overlay_anchors_known", report, r -> r.state().knownAnchors().size())
                .description("Live anchors this anchor knows, itself excluded").register(registry);
        RoutedInbox inbox = report.inbox();
        FunctionCounter.builder("overlay_routed_inbox", inbox, RoutedInbox::received).tag("result", "received")
                .description("Payloads routed to this peer, by what became of them").register(registry);
        FunctionCounter.builder("overlay_routed_inbox", inbox, RoutedInbox::dropped).tag("result", "dropped_full")
                .description("Payloads routed to this peer, by what became of them").register(registry);
        FunctionCounter.builder("overlay_routed_inbox", inbox, RoutedInbox::unsubscribed).tag("result", "no_subscriber")
                .description("Payloads routed to this peer, by what became of them").register(registry);
    }

    private void overlayCounter(OverlayReport report, String name, String description, String tag, String value,
            Function<PeerOverlay.State, Long> read) {
        stateCounter(report::state, name, description, tag, value, read);
    }

    /**
     * The membership's series (SWIM within the organisation, the view drawn from it), read from one copy of its state
     * per scrape.
     */
    void membership(StateCache<PeerMembership.State> state) {
        held.add(state); // gauges too hold their object weakly
        Gauge.builder("membership_members", state, s -> s.get().live().size()).tag("status", "live")
                .description("Members of this peer's organisation it holds alive or suspect, itself excluded").register(registry);
        Gauge.builder("membership_members", state, s -> s.get().dead().size()).tag("status", "dead")
                .description("Members of this peer's organisation it holds dead (until forgotten)").register(registry);
        Gauge.builder("discovery_view_size", state, s -> s.get().view().size())
                .description("Neighbours this peer's discovery chose (minDegree..maxDegree)").register(registry);
        for (SwimCounters.Counter counter : SwimCounters.Counter.values()) {
            stateCounter(state, "membership_swim_" + label(counter), "What SWIM did (probes, suspicions, deaths…)", "", "",
                    s -> s.swim().getOrDefault(counter, 0L));
        }
        byReason(state, "membership_rejected", "Membership updates refused by SWIM, by reason",
                SwimCounters.Rejection.class, PeerMembership.State::rejections);
        byReason(state, "membership_refused", "Membership messages refused before SWIM saw them, by reason",
                MembershipCounters.Refusal.class, PeerMembership.State::refusals);
        byReason(state, "membership_authentication_dropped", "Membership messages that failed authentication, by reason",
                AuthenticatedChannel.Drop.class, PeerMembership.State::drops);
    }

    /** The central index registration's series (the {@code index} discovery mode). */
    void index(StateCache<IndexRegistration.State> state) {
        held.add(state);
        Gauge.builder("discovery_view_size", state, s -> s.get().neighbours().size())
                .description("Neighbours this peer's discovery chose (minDegree..maxDegree)").register(registry);
        Gauge.builder("index_registered", state, s -> s.get().registered() ? 1 : 0)
                .description("1 when this peer's last registration with the central index was answered").register(registry);
        Gauge.builder("index_peers_known", state, s -> s.get().known().size())
                .description("Peers of this organisation the index's last answer named").register(registry);
        stateCounter(state, "index_registrations", "Registrations with the central index, by result", "result", "answered",
                s -> s.answers());
        stateCounter(state, "index_registrations", "Registrations with the central index, by result", "result", "failed",
                s -> s.failures());
    }

    /** One counter per reason, tagged {@code reason}, read from a map of counts in a copy of the state. */
    private <S, E extends Enum<E>> void byReason(Supplier<S> state, String name, String description, Class<E> reasons,
            Function<S, Map<E, Long>> read) {
        for (E reason : reasons.getEnumConstants()) {
            stateCounter(state, name, description, "reason", label(reason), s -> read.apply(s).getOrDefault(reason, 0L));
        }
    }

    private <S> void stateCounter(Supplier<S> state, String name, String description, String tag, String value,
            Function<S, Long> read) {
        held.add(state);
        FunctionCounter.Builder<Supplier<S>> builder = FunctionCounter.builder(name, state,
                s -> read.apply(s.get())).description(description);
        if (!tag.isEmpty()) {
            builder.tag(tag, value);
        }
        builder.register(registry);
    }

    private static String label(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }
}
