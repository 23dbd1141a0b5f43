package io.hearsay.testnet.launch;

import io.hearsay.peer.node.DiscoveryConfig;
import io.hearsay.peer.node.ElectionOptions;
import io.hearsay.peer.node.OrdererProcessConfig;
import io.hearsay.peer.node.OverlayConfig;
import io.hearsay.peer.node.PeerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes a node's configuration as the {@code peer.yaml} / {@code orderer.yaml} that {@code hearsay peer --config}
 * and {@code hearsay orderer --config} read, key for key what {@link PeerConfig#from} and
 * {@link OrdererProcessConfig#from} understand, so any node of a launched network can be started on its own.
 * Paths are written absolute: the file may be used from any working directory.
 */
public final class NodeConfigFiles {
    private NodeConfigFiles() {}

    public static String peerYaml(PeerConfig config) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", config.name());
        root.put("mspId", config.mspId());
        root.put("msp", path(config.msp()));
        root.put("tls", Map.of("cert", path(config.tlsCertificate()), "key", path(config.tlsKey())));
        root.put("listen", config.listen().toString());
        root.put("operations", config.operations().toString());
        root.put("dataDir", path(config.dataDirectory()));
        root.put("channels", config.channels().stream()
                .map(c -> ordered("name", c.name(), "genesis", path(c.genesis()))).toList());
        config.orderer().ifPresent(orderer -> root.put("orderer", orderer.toString()));
        root.put("leader", config.leader().name().toLowerCase(Locale.ROOT));
        Map<String, Object> gossip = new java.util.LinkedHashMap<>();
        gossip.put("preset", config.gossipPreset().name().toLowerCase(Locale.ROOT));
        if (!config.gossipOverrides().isEmpty()) {
            gossip.put("overrides", new java.util.TreeMap<>(config.gossipOverrides()));
        }
        root.put("gossip", gossip);
        root.put("neighbours", config.neighbours().stream()
                .map(n -> ordered("endpoint", n.endpoint().toString(), "mspId", n.mspId(), "cert", path(n.certificate()),
                        "serverName", n.serverName()))
                .toList());
        root.put("requestBytesMax", config.requestBytesMax());
        root.put("timeWindow", duration(config.timeWindow()));
        root.put("endorsementTimeout", duration(config.endorsementTimeout()));
        config.overlay().ifPresent(overlay -> root.put("overlay", overlay(overlay)));
        root.put("discovery", discovery(config.discovery()));
        root.put("election", election(config.election()));
        return dump("peer " + config.name(), root);
    }

    private static Map<String, Object> overlay(OverlayConfig overlay) {
        Map<String, Object> section = new LinkedHashMap<>();
        overlay.internalEndpoint().ifPresent(endpoint -> section.put("internalEndpoint", endpoint.toString()));
        overlay.externalEndpoint().ifPresent(endpoint -> section.put("externalEndpoint", endpoint.toString()));
        section.put("anchors", overlay.anchors().stream().map(a -> ordered("mspId", a.mspId(), "cert", path(a.certificate()),
                "endpoint", a.endpoint().toString())).toList());
        section.put("join", ordered("parents", overlay.join().parents(), "childrenMax", overlay.join().childrenMax()));
        section.put("routing", ordered("ackTimeout", overlay.routing().ackTimeoutMillis() + "ms",
                "payloadBytesMax", overlay.routing().payloadBytesMax(), "inflightMax", overlay.routing().inflightMax()));
        return section;
    }

    private static Map<String, Object> discovery(DiscoveryConfig discovery) {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("mode", discovery.mode().name().toLowerCase(Locale.ROOT));
        discovery.endpoint().ifPresent(endpoint -> section.put("endpoint", endpoint.toString()));
        section.put("minDegree", discovery.view().minDegree());
        section.put("maxDegree", discovery.view().maxDegree());
        if (!discovery.seeds().isEmpty()) {
            section.put("seeds", discovery.seeds().stream().map(seed -> ordered("endpoint", seed.endpoint().toString(),
                    "cert", path(seed.certificate()), "serverName", seed.serverName())).toList());
        }
        discovery.index().ifPresent(index -> section.put("index", index.toString()));
        section.put("refreshInterval", duration(discovery.refreshInterval()));
        return section;
    }

    /** Every field, resolved: defaults derived from the heartbeat read back the same whatever the preset. */
    private static Map<String, Object> election(ElectionOptions election) {
        return ordered("preset", election.presetName(), "heartbeatInterval", duration(election.heartbeatInterval()),
                "leaderTimeout", duration(election.leaderTimeout()), "startupGrace", duration(election.startupGrace()),
                "leadersPerOrganization", election.leadersPerOrganization(),
                "viewRefreshInterval", duration(election.viewRefreshInterval()));
    }

    public static String ordererYaml(OrdererProcessConfig config) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", config.name());
        root.put("mspId", config.mspId());
        root.put("msp", path(config.msp()));
        root.put("tls", Map.of("cert", path(config.tlsCertificate()), "key", path(config.tlsKey())));
        root.put("listen", config.listen().toString());
        root.put("dataDir", path(config.dataDirectory()));
        root.put("channels", config.genesisBlocks().stream().map(file -> Map.of("genesis", path(file))).toList());
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("maxMessages", config.batch().batchEnvelopesMax());
        batch.put("preferredMaxBytes", config.batch().batchBytesPreferred());
        batch.put("absoluteMaxBytes", config.batch().envelopeBytesMax());
        batch.put("timeout", config.batch().batchTimeoutMillis() + "ms");
        batch.put("pendingMax", config.batch().pendingEnvelopesMax());
        root.put("batch", batch);
        root.put("timeWindow", duration(config.timeWindow()));
        config.index().ifPresent(index -> root.put("index", ordered("enabled", true,
                "lease", index.leaseMillis() + "ms", "entriesMax", index.entriesMax(), "peersMax", index.peersMax())));
        return dump("orderer " + config.name(), root);
    }

    public static void writePeer(Path file, PeerConfig config) {
        NetworkMaterial.writeAtomically(file, peerYaml(config).getBytes(StandardCharsets.UTF_8));
    }

    public static void writeOrderer(Path file, OrdererProcessConfig config) {
        NetworkMaterial.writeAtomically(file, ordererYaml(config).getBytes(StandardCharsets.UTF_8));
    }

    private static String dump(String what, Map<String, Object> root) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        return "# The configuration of " + what + " as 'hearsay up' last started it (ports as they were bound).\n"
                + "# Start this node alone with: hearsay " + (what.startsWith("peer") ? "peer" : "orderer")
                + " --config <this file> [--set key=value]...\n"
                + new Yaml(options).dump(root);
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String path(Path path) {
        return path.toAbsolutePath().normalize().toString();
    }

    /** In milliseconds, which {@code ConfigTree.duration} reads back exactly. */
    private static String duration(Duration duration) {
        return duration.toMillis() + "ms";
    }
}
