package io.hearsay.testnet.launch;

import io.hearsay.peer.config.ConfigTree;
import io.hearsay.peer.node.OrdererProcess;
import io.hearsay.peer.node.PeerConfig;
import io.hearsay.peer.node.PeerNode;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.testnet.spec.NetworkSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network {@link NetworkLauncher} started: the orderer and every peer, in this JVM. {@link #close()} stops them in
 * reverse order; their data stays in the data directory, so launching the same spec again resumes the network.
 */
public final class RunningNetwork implements LaunchedNetwork {
    private static final Logger LOG = LoggerFactory.getLogger(RunningNetwork.class);

    private final NetworkSpec spec;
    private final NetworkLayout layout;
    private final NetworkMaterial material;
    private final NodeResources resources;
    private final List<String> warnings;
    private final OrdererProcess orderer;
    private final Map<String, PeerNode> peers;
    private final Map<String, PeerPlan> plans;
    private final NetworkLinks links;
    private boolean closed;

    private RunningNetwork(Builder builder) {
        this.spec = builder.spec;
        this.layout = builder.layout;
        this.material = builder.material;
        this.resources = builder.resources;
        this.warnings = List.copyOf(builder.warnings);
        this.orderer = builder.orderer;
        this.peers = builder.peers;
        this.plans = builder.plans;
        this.links = builder.links;
    }

    public NetworkSpec spec() {
        return spec;
    }

    @Override
    public NetworkLayout layout() {
        return layout;
    }

    @Override
    public NetworkMaterial material() {
        return material;
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    public OrdererProcess orderer() {
        return orderer;
    }

    /** Every running peer, in spec order. */
    public synchronized List<PeerNode> peers() {
        return List.copyOf(peers.values());
    }

    /** Peer names in spec order, running or stopped. */
    public List<String> peerNames() {
        return List.copyOf(plans.keySet());
    }

    /** The organisation of peer {@code name}. */
    public String mspId(String name) {
        PeerPlan plan = plans.get(name);
        if (plan == null) {
            throw new IllegalArgumentException("no peer " + name + " in network " + spec.name() + "; its peers are "
                    + plans.keySet());
        }
        return plan.mspId();
    }

    public synchronized boolean isRunning(String name) {
        return peers.containsKey(name);
    }

    /**
     * Stops peer {@code name}; to the others it is as if it crashed (its connections drop and they redial). Its
     * ledger stays on disk for {@link #restart}.
     */
    public synchronized void stop(String name) {
        PeerNode node = peer(name);
        peers.remove(name);
        node.close();
    }

    /**
     * Starts a stopped peer again from its {@code peer.yaml} — the same port, identity and ledger — so it rejoins its
     * neighbours and repairs what it missed from them.
     */
    public synchronized PeerNode restart(String name) {
        if (peers.containsKey(name)) {
            throw new IllegalStateException("peer " + name + " is running");
        }
        if (!plans.containsKey(name)) {
            throw new IllegalArgumentException("no peer " + name + " in network " + spec.name());
        }
        PeerConfig config = PeerConfig.from(ConfigTree.load(layout.peerConfig(name), "HEARSAY_PEER", Map.of(), Map.of()));
        PeerNode node = PeerNode.start(config, resources);
        // Keep spec order for status tables.
        Map<String, PeerNode> reordered = new LinkedHashMap<>();
        for (String peer : plans.keySet()) {
            if (peer.equals(name)) {
                reordered.put(peer, node);
            } else if (peers.containsKey(peer)) {
                reordered.put(peer, peers.get(peer));
            }
        }
        peers.clear();
        peers.putAll(reordered);
        return node;
    }

    public synchronized PeerNode peer(String name) {
        PeerNode peer = peers.get(name);
        if (peer == null) {
            throw new IllegalArgumentException("no peer " + name + " in network " + spec.name() + "; its peers are "
                    + peers.keySet());
        }
        return peer;
    }

    public NetworkLinks links() {
        return links;
    }

    /** The status table's rows, from each {@link PeerNode#status()}. */
    @Override
    public synchronized List<PeerRow> status() {
        List<PeerRow> rows = new ArrayList<>();
        peers.forEach((name, peer) -> rows.addAll(PeerRow.of(peer.status(), links.expected(name))));
        return rows;
    }

    /** Whether peer {@code name} leads its organisation on {@code channel} now (it is elected; false when stopped). */
    public synchronized boolean leads(String name, String channel) {
        PeerNode node = peers.get(name);
        return node != null && node.leads(channel);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<PeerNode> reversed = new ArrayList<>(peers.values());
        Collections.reverse(reversed);
        reversed.forEach(RunningNetwork::closeQuietly);
        closeQuietly(orderer);
        resources.close();
        LOG.info("network {} stopped; its data stays in {}", spec.name(), layout.root());
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", closeable.getClass().getSimpleName(), e.toString());
        }
    }

    /** Collects the nodes as they start, so a launch that fails half way can stop those already running. */
    static final class Builder {
        private final NetworkSpec spec;
        private final NetworkLayout layout;
        private final NetworkMaterial material;
        private final NodeResources resources;
        private final List<String> warnings;
        private final Map<String, PeerNode> peers = new LinkedHashMap<>();
        private final Map<String, PeerPlan> plans = new LinkedHashMap<>();
        private OrdererProcess orderer;
        private NetworkLinks links;

        Builder(NetworkSpec spec, NetworkLayout layout, NetworkMaterial material, NodeResources resources,
                List<String> warnings) {
            this.spec = spec;
            this.layout = layout;
            this.material = material;
            this.resources = resources;
            this.warnings = warnings;
        }

        OrdererProcess orderer(OrdererProcess started) {
            this.orderer = started;
            return started;
        }

        void peer(PeerPlan plan, PeerNode started) {
            peers.put(plan.name(), started);
            plans.put(plan.name(), plan);
        }

        PeerNode node(String name) {
            PeerNode node = peers.get(name);
            if (node == null) {
                throw new IllegalStateException("peer " + name + " has not started");
            }
            return node;
        }

        void links(NetworkLinks computed) {
            this.links = computed;
        }

        RunningNetwork build() {
            return new RunningNetwork(this);
        }

        void closeStarted() {
            new RunningNetwork(this).close();
        }
    }
}
