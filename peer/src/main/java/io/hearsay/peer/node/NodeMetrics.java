package io.hearsay.peer.node;

import io.hearsay.gossip.block.GossipCounters;
import io.hearsay.peer.ChannelGossip;
import io.hearsay.peer.metrics.MessageType;
import io.hearsay.peer.metrics.WireCounters;
import io.hearsay.peer.transport.TransportCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The node's Prometheus metrics. Names follow Fabric's where Fabric has the metric ({@code ledger_blockchain_height},
 * {@code ledger_block_processing_time}, {@code gossip_leader_election_leader}, {@code gossip_membership_total_peers_known}),
 * so dashboards built for Fabric peers read ours; the rest are every gossip and transport counter, one series each,
 * so nothing the protocol drops goes unseen. Per channel and message type ({@link MessageType#label()}): messages
 * and bytes sent and received; signature verifications by result; duplicates received by kind.
 *
 * <p>Every series is a {@link FunctionCounter} or {@link Gauge} reading a plain counter the protocol keeps anyway:
 * the hot path pays an addition per message, and the cost of Micrometer is paid at scrape time.
 */
public final class NodeMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

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
}
