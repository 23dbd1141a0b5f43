package io.hearsay.testnet.launch;

import io.hearsay.identity.CryptoMaterial;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.config.ConfigTree.HostPort;
import io.hearsay.peer.node.OrdererProcess;
import io.hearsay.peer.node.OrdererProcessConfig;
import io.hearsay.peer.node.PeerConfig;
import io.hearsay.peer.node.PeerNode;
import io.hearsay.peer.orderer.OrdererConfig;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.testnet.spec.BatchSpec;
import io.hearsay.testnet.spec.ConnectionProfile;
import io.hearsay.testnet.spec.NetworkModel;
import io.hearsay.testnet.spec.NetworkSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Starts a network from a {@link NetworkSpec} in this JVM: real nodes on loopback with mutual TLS and RocksDB.
 *
 * <pre>
 *   crypto + genesis blocks (first launch only) ─▶ orderer ─▶ every peer (peer 0 of each org leads)
 *     ─▶ link neighbours ({@link NetworkLinks}) ─▶ write orderer.yaml, peer.yaml (bound ports) ─▶ connection.json
 * </pre>
 *
 * Launching again on the same data directory resumes: the same identities, genesis blocks and ledgers. Ports of 0
 * in the spec are picked free at each launch, so the node files and the connection profile are rewritten each time.
 * The configs built here are also those {@link ProcessLauncher} writes for one process per node.
 */
public final class NetworkLauncher {
    private NetworkLauncher() {}

    public static RunningNetwork launch(NetworkSpec spec) {
        NetworkLayout layout = new NetworkLayout(spec.dataDirectory());
        NetworkMaterial material = NetworkMaterial.prepare(spec, layout);
        int threads = Math.max(2, Math.min(Runtime.getRuntime().availableProcessors(), 8));
        NodeResources resources = new NodeResources(threads);
        RunningNetwork.Builder running = new RunningNetwork.Builder(spec, layout, material, resources, warnings(spec));
        try {
            start(spec, layout, material, resources, running);
            return running.build();
        } catch (RuntimeException e) {
            running.closeStarted();
            throw e;
        }
    }

    private static void start(NetworkSpec spec, NetworkLayout layout, NetworkMaterial material, NodeResources resources,
            RunningNetwork.Builder running) {
        // Ports are picked before anything starts, as for one process per node: each peer's config names its
        // neighbours', its seeds' and its anchors' ports.
        List<PeerPlan> plans = PeerPlan.of(spec);
        NodeConfigs configs = NodeConfigs.of(spec, layout, material, plans, ProcessLauncher.ports(spec, 1 + 2 * plans.size()));
        running.orderer(OrdererProcess.start(configs.orderer(), resources));
        NodeConfigFiles.writeOrderer(layout.ordererConfig(), configs.orderer());
        for (PeerPlan plan : plans) {
            PeerConfig config = configs.peers().get(plan.name());
            NodeConfigFiles.writePeer(layout.peerConfig(plan.name()), config);
            running.peer(plan, PeerNode.start(config, resources));
        }
        running.links(configs.links());
        writeProfile(spec, layout, material, name -> running.node(name).port(), name -> running.node(name).operationsPort());
    }

    /** What the spec asks for that the nodes cannot do yet; the network still starts, and the user is told. */
    static List<String> warnings(NetworkSpec spec) {
        return List.of();
    }

    /** The spec's batch with the orderer's defaults for what a spec does not set. */
    static OrdererConfig batch(BatchSpec batch) {
        OrdererConfig defaults = OrdererConfig.defaults();
        return new OrdererConfig(batch.maxMessages(), batch.maxBytes(), Math.max(defaults.envelopeBytesMax(), batch.maxBytes()),
                batch.timeoutMillis(), Math.max(defaults.pendingEnvelopesMax(), batch.maxMessages()));
    }

    static OrdererProcessConfig ordererConfig(NetworkSpec spec, NetworkLayout layout, NetworkMaterial material, int port) {
        CryptoMaterial.Member member = material.crypto().organization(spec.orderer().mspId()).nodes().get(0);
        return new OrdererProcessConfig(spec.orderer().ordererName(), spec.orderer().mspId(), member.mspDirectory(),
                member.tlsCertificate(), member.tlsKey(), new HostPort(spec.ports().host(), port), layout.orderer(),
                List.copyOf(material.genesisFiles().values()), batch(spec.orderer().batch()), TimeWindow.DEFAULT_WINDOW);
    }

    static PeerConfig peerConfig(NetworkSpec spec, NetworkLayout layout, NetworkMaterial material, PeerPlan plan, int port,
            int operationsPort, HostPort orderer, List<PeerConfig.Neighbour> neighbours) {
        CryptoMaterial.Member member = member(material.crypto(), plan);
        String host = spec.ports().host();
        return new PeerConfig(plan.name(), plan.mspId(), member.mspDirectory(), member.tlsCertificate(), member.tlsKey(),
                new HostPort(host, port), new HostPort(host, operationsPort), layout.peer(plan.name()),
                material.genesisFiles().entrySet().stream().map(e -> new PeerConfig.ChannelEntry(e.getKey(), e.getValue()))
                        .toList(),
                Optional.of(orderer), PeerConfig.LeaderMode.ELECTED, PeerConfig.GossipPreset.valueOf(spec.protocol().preset().name()),
                neighbours, PeerConfig.DEFAULT_REQUEST_BYTES_MAX, TimeWindow.DEFAULT_WINDOW,
                PeerConfig.DEFAULT_ENDORSEMENT_TIMEOUT, spec.protocol().overrides());
    }

    /** {@code plan}'s peer as a neighbour listening on {@code port}; its TLS server name is its host name. */
    static PeerConfig.Neighbour neighbour(NetworkSpec spec, NetworkMaterial material, PeerPlan plan, int port) {
        return new PeerConfig.Neighbour(new HostPort(spec.ports().host(), port), plan.mspId(),
                signingCertificate(member(material.crypto(), plan).mspDirectory()), plan.name());
    }

    static void writeProfile(NetworkSpec spec, NetworkLayout layout, NetworkMaterial material, Function<String, Integer> ports,
            Function<String, Integer> operationsPorts) {
        String host = spec.ports().host();
        ConnectionProfile.forNetwork(spec, material.crypto(), name -> new ConnectionProfile.PeerAddress(
                        host + ":" + ports.apply(name), Optional.of("http://" + host + ":" + operationsPorts.apply(name))))
                .write(layout.connectionProfile());
    }

    private static CryptoMaterial.Member member(CryptoMaterial crypto, PeerPlan plan) {
        return crypto.organization(plan.mspId()).nodes().stream().filter(n -> n.name().equals(plan.name())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no crypto material for peer " + plan.name() + " in "
                        + crypto.root() + "; was it generated for another spec? Use a new data directory"));
    }

    private static Path signingCertificate(Path mspDirectory) {
        try (Stream<Path> files = Files.list(mspDirectory.resolve("signcerts"))) {
            return files.filter(Files::isRegularFile).findFirst().orElseThrow(() -> new IllegalStateException(
                    "no signing certificate in " + mspDirectory.resolve("signcerts")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + mspDirectory.resolve("signcerts") + ": " + e.getMessage(), e);
        }
    }
}
