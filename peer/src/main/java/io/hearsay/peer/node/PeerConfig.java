package io.hearsay.peer.node;

import io.hearsay.gossip.block.BlockGossipConfig;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.config.ConfigException;
import io.hearsay.peer.config.ConfigTree;
import io.hearsay.peer.config.ConfigTree.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything a peer node needs to start, from {@code peer.yaml} (see {@code peer/README} in the repository and
 * the example the testnet writes). Every scalar option can be overridden by an environment variable
 * {@code HEARSAY_PEER_<KEY>} (dots become underscores: {@code HEARSAY_PEER_GOSSIP_PRESET=wan}) or a flag
 * {@code --set key=value}. Values are checked here, before anything starts, and an error names the option.
 *
 * @param name this peer's name, for logs and status (default: the TLS server name is not assumed; required)
 * @param mspId the organisation this peer belongs to
 * @param msp the peer's MSP folder as the crypto generator wrote it (signcerts/, keystore/)
 * @param tlsCertificate the peer's TLS certificate (PEM); clients and neighbours see it
 * @param tlsKey the TLS private key (PEM)
 * @param listen where the peer serves Gossip, Gateway, Deliver and Endorser (default 127.0.0.1:7051; port 0: any)
 * @param operations where the HTTP operations endpoint listens (default 127.0.0.1:9443; port 0: any)
 * @param dataDirectory where the ledgers live, one RocksDB per channel (default ./data)
 * @param channels the channels this peer serves, each from its genesis block file
 * @param orderer the orderer's Broadcast/Deliver endpoint; required to submit transactions and to lead
 * @param leader how this peer decides whether it takes blocks from the orderer for its organisation: {@code elected}
 *     (default; the organisation's peers elect one leader per channel with the {@code election} settings, and another
 *     takes over when it fails), {@code static} (always lead, Fabric's {@code orgLeader=true}; {@code true} is an
 *     alias) or {@code none} (never lead, get blocks by gossip only; {@code false} is an alias)
 * @param gossipPreset the gossip protocol preset: lan (default), wan or fabric
 * @param neighbours peers to keep gossip connections with (and to ask for endorsements)
 * @param requestBytesMax the largest client request accepted (default 100 MiB, Fabric's {@code maxRecvMsgSize})
 * @param timeWindow how far a request's timestamp may be from this node's clock (default 15 min, Fabric's)
 * @param endorsementTimeout how long to wait for another organisation's endorsement (default 10 s, Fabric's)
 * @param gossipOverrides single fields of the preset's {@code BlockGossipConfig} replaced by name
 *     ({@code gossip.overrides.pushFanout: 6}); default none
 * @param overlay the anchor overlay ({@code overlay:} section, {@link OverlayConfig}); default none: the node runs no
 *     overlay, and blocks cross organisations only over configured neighbours
 * @param discovery how the peer finds its organisation's gossip neighbours ({@code discovery:} section,
 *     {@link DiscoveryConfig}); default {@code static}: the listed neighbours only
 * @param election the timing of the leader election ({@code election:} section, {@link ElectionOptions}); default
 *     {@link ElectionOptions#lan()}: the one every elected peer used before the section existed
 */
public record PeerConfig(String name, String mspId, Path msp, Path tlsCertificate, Path tlsKey, HostPort listen,
        HostPort operations, Path dataDirectory, List<ChannelEntry> channels, Optional<HostPort> orderer, LeaderMode leader,
        GossipPreset gossipPreset, List<Neighbour> neighbours, int requestBytesMax, Duration timeWindow,
        Duration endorsementTimeout, Map<String, Object> gossipOverrides, Optional<OverlayConfig> overlay,
        DiscoveryConfig discovery, ElectionOptions election) {

    /** A config with the LAN election preset. */
    public PeerConfig(String name, String mspId, Path msp, Path tlsCertificate, Path tlsKey, HostPort listen,
            HostPort operations, Path dataDirectory, List<ChannelEntry> channels, Optional<HostPort> orderer, LeaderMode leader,
            GossipPreset gossipPreset, List<Neighbour> neighbours, int requestBytesMax, Duration timeWindow,
            Duration endorsementTimeout, Map<String, Object> gossipOverrides, Optional<OverlayConfig> overlay,
            DiscoveryConfig discovery) {
        this(name, mspId, msp, tlsCertificate, tlsKey, listen, operations, dataDirectory, channels, orderer, leader,
                gossipPreset, neighbours, requestBytesMax, timeWindow, endorsementTimeout, gossipOverrides, overlay,
                discovery, ElectionOptions.lan());
    }

    /** A config with no overlay and static neighbours. */
    public PeerConfig(String name, String mspId, Path msp, Path tlsCertificate, Path tlsKey, HostPort listen,
            HostPort operations, Path dataDirectory, List<ChannelEntry> channels, Optional<HostPort> orderer, LeaderMode leader,
            GossipPreset gossipPreset, List<Neighbour> neighbours, int requestBytesMax, Duration timeWindow,
            Duration endorsementTimeout, Map<String, Object> gossipOverrides) {
        this(name, mspId, msp, tlsCertificate, tlsKey, listen, operations, dataDirectory, channels, orderer, leader,
                gossipPreset, neighbours, requestBytesMax, timeWindow, endorsementTimeout, gossipOverrides, Optional.empty(),
                DiscoveryConfig.staticNeighbours());
    }

    /** A config with the preset's gossip settings as they are. */
    public PeerConfig(String name, String mspId, Path msp, Path tlsCertificate, Path tlsKey, HostPort listen,
            HostPort operations, Path dataDirectory, List<ChannelEntry> channels, Optional<HostPort> orderer, LeaderMode leader,
            GossipPreset gossipPreset, List<Neighbour> neighbours, int requestBytesMax, Duration timeWindow,
            Duration endorsementTimeout) {
        this(name, mspId, msp, tlsCertificate, tlsKey, listen, operations, dataDirectory, channels, orderer, leader,
                gossipPreset, neighbours, requestBytesMax, timeWindow, endorsementTimeout, Map.of());
    }

    public static final HostPort DEFAULT_LISTEN = new HostPort("127.0.0.1", 7051);
    public static final HostPort DEFAULT_OPERATIONS = new HostPort("127.0.0.1", 9443);
    public static final int DEFAULT_REQUEST_BYTES_MAX = 100 * 1024 * 1024;
    public static final Duration DEFAULT_ENDORSEMENT_TIMEOUT = Duration.ofSeconds(10);

    /** One channel: its name and the genesis block that starts its chain (a peer joins a channel by it). */
    public record ChannelEntry(String name, Path genesis) {}

    /**
     * A neighbour: where it listens, its organisation, its signing certificate (which gives its PKI-ID), and the
     * name its TLS certificate is checked against (default: the endpoint's host).
     */
    public record Neighbour(HostPort endpoint, String mspId, Path certificate, String serverName) {}

    /**
     * How a peer comes to take its organisation's blocks from the orderer. All peers of an organisation should use
     * the same mode: a static leader never declares itself, so elected peers beside it elect a second leader, and a
     * {@code none} peer ranked first is waited for one leader timeout before the others pass it over.
     */
    public enum LeaderMode {
        /** The organisation's peers elect a leader per channel; it fails over. */
        ELECTED,
        /** This peer always leads (Fabric's {@code orgLeader=true}). */
        STATIC,
        /** This peer never leads; it gets blocks by gossip only. */
        NONE;

        /** From the option's text: a mode's name, or the old boolean ({@code true} = static, {@code false} = none). */
        static LeaderMode parse(Object value) {
            String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
            return switch (text) {
                case "elected" -> ELECTED;
                case "static", "true" -> STATIC;
                case "none", "false" -> NONE;
                default -> throw new ConfigException("leader: must be one of [elected, static, none] (true means static, "
                        + "false none), got '" + value + "'");
            };
        }

        /** Whether this peer may ever take blocks from the orderer. */
        public boolean mayLead() {
            return this != NONE;
        }
    }

    public enum GossipPreset {
        LAN, WAN, FABRIC;

        public BlockGossipConfig config() {
            return switch (this) {
                case LAN -> BlockGossipConfig.lan();
                case WAN -> BlockGossipConfig.wan();
                case FABRIC -> BlockGossipConfig.fabric();
            };
        }
    }

    /** The boolean form the first nodes were configured with: {@code true} is {@link LeaderMode#STATIC}, {@code false} {@link LeaderMode#NONE}. */
    public PeerConfig(String name, String mspId, Path msp, Path tlsCertificate, Path tlsKey, HostPort listen,
            HostPort operations, Path dataDirectory, List<ChannelEntry> channels, Optional<HostPort> orderer, boolean leader,
            GossipPreset gossipPreset, List<Neighbour> neighbours, int requestBytesMax, Duration timeWindow,
            Duration endorsementTimeout) {
        this(name, mspId, msp, tlsCertificate, tlsKey, listen, operations, dataDirectory, channels, orderer,
                leader ? LeaderMode.STATIC : LeaderMode.NONE, gossipPreset, neighbours, requestBytesMax, timeWindow,
                endorsementTimeout);
    }

    public PeerConfig {
        Objects.requireNonNull(name, "name");
        gossipOverrides = Collections.unmodifiableMap(canonicalFieldNames(gossipOverrides));
        gossipConfig(gossipPreset, gossipOverrides); // an unusable override fails here, before anything starts
        Objects.requireNonNull(leader, "leader");
        Objects.requireNonNull(overlay, "overlay");
        Objects.requireNonNull(discovery, "discovery");
        Objects.requireNonNull(election, "election");
        channels = List.copyOf(channels);
        neighbours = List.copyOf(neighbours);
        if (channels.isEmpty()) {
            throw new ConfigException("channels: a peer needs at least one channel (name and genesis block file)");
        }
        if (channels.stream().map(ChannelEntry::name).distinct().count() != channels.size()) {
            throw new ConfigException("channels: a channel is listed twice");
        }
    }

    /** This config with {@code config} as its overlay section. */
    public PeerConfig withOverlay(OverlayConfig config) {
        return new PeerConfig(name, mspId, msp, tlsCertificate, tlsKey, listen, operations, dataDirectory, channels, orderer,
                leader, gossipPreset, neighbours, requestBytesMax, timeWindow, endorsementTimeout, gossipOverrides,
                Optional.of(config), discovery, election);
    }

    /** This config with {@code config} as its discovery section. */
    public PeerConfig withDiscovery(DiscoveryConfig config) {
        return new PeerConfig(name, mspId, msp, tlsCertificate, tlsKey, listen, operations, dataDirectory, channels, orderer,
                leader, gossipPreset, neighbours, requestBytesMax, timeWindow, endorsementTimeout, gossipOverrides, overlay,
                config, election);
    }

    /** This config with {@code options} as its election section. */
    public PeerConfig withElection(ElectionOptions options) {
        return new PeerConfig(name, mspId, msp, tlsCertificate, tlsKey, listen, operations, dataDirectory, channels, orderer,
                leader, gossipPreset, neighbours, requestBytesMax, timeWindow, endorsementTimeout, gossipOverrides, overlay,
                discovery, options);
    }

    /** The gossip settings this peer runs with: the preset, with the overrides applied. */
    public BlockGossipConfig gossipConfig() {
        return gossipConfig(gossipPreset, gossipOverrides);
    }

    /** Environment variables lose case ({@code HEARSAY_PEER_GOSSIP_OVERRIDES_PUSHFANOUT}): match field names regardless. */
    private static Map<String, Object> canonicalFieldNames(Map<String, Object> overrides) {
        Map<String, Object> canonical = new TreeMap<>();
        overrides.forEach((name, value) -> canonical.put(java.util.Arrays.stream(BlockGossipConfig.class.getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName).filter(name::equalsIgnoreCase).findFirst().orElse(name), value));
        return canonical;
    }

    private static BlockGossipConfig gossipConfig(GossipPreset preset, Map<String, Object> overrides) {
        try {
            return preset.config().withOverrides(overrides);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("gossip.overrides." + e.getMessage());
        }
    }

    /** Reads and checks every option; unknown options are refused. */
    public static PeerConfig from(ConfigTree tree) {
        String name = tree.requiredString("name", "the peer's name, e.g. peer0.org1.example.com");
        String mspId = tree.requiredString("mspId", "the peer's organisation, e.g. Org1MSP");
        Path msp = Path.of(tree.requiredString("msp", "the peer's MSP folder (signcerts/, keystore/)"));
        Path tlsCertificate = Path.of(tree.requiredString("tls.cert", "the peer's TLS certificate (PEM)"));
        Path tlsKey = Path.of(tree.requiredString("tls.key", "the peer's TLS private key (PEM)"));
        HostPort listen = tree.hostPort("listen", DEFAULT_LISTEN);
        HostPort operations = tree.hostPort("operations", DEFAULT_OPERATIONS);
        Path data = Path.of(tree.string("dataDir", "data"));
        List<ChannelEntry> channels = tree.list("channels").stream()
                .map(c -> {
                    ChannelEntry entry = new ChannelEntry(c.requiredString("name", "the channel's name"),
                            Path.of(c.requiredString("genesis", "the channel's genesis block file")));
                    c.requireAllRead();
                    return entry;
                }).toList();
        Optional<HostPort> orderer = Optional.ofNullable(tree.hostPort("orderer", null));
        LeaderMode leader = LeaderMode.parse(tree.string("leader", "elected"));
        GossipPreset preset = tree.enumValue("gossip.preset", GossipPreset.class, GossipPreset.LAN);
        Map<String, Object> overrides = tree.subtree("gossip.overrides");
        List<Neighbour> neighbours = tree.list("neighbours").stream()
                .map(n -> {
                    HostPort endpoint = n.hostPort("endpoint", null);
                    if (endpoint == null) {
                        throw new ConfigException("neighbours: each neighbour needs an endpoint host:port");
                    }
                    Neighbour neighbour = new Neighbour(endpoint, n.requiredString("mspId", "the neighbour's organisation"),
                            Path.of(n.requiredString("cert", "the neighbour's signing certificate")),
                            n.string("serverName", endpoint.host()));
                    n.requireAllRead();
                    return neighbour;
                }).toList();
        int requestBytesMax = tree.intValue("requestBytesMax", DEFAULT_REQUEST_BYTES_MAX, 1024 * 1024, Integer.MAX_VALUE);
        Duration timeWindow = tree.duration("timeWindow", TimeWindow.DEFAULT_WINDOW, Duration.ofSeconds(1), Duration.ofDays(1));
        Duration endorsementTimeout = tree.duration("endorsementTimeout", DEFAULT_ENDORSEMENT_TIMEOUT,
                Duration.ofMillis(100), Duration.ofMinutes(10));
        if (leader.mayLead() && orderer.isEmpty()) {
            throw new ConfigException("leader: a leader peer pulls blocks from the orderer; set orderer: host:port or "
                    + "leader: none");
        }
        Optional<OverlayConfig> overlay = OverlayConfig.from(tree, listen);
        DiscoveryConfig discovery = DiscoveryConfig.from(tree, overlay.flatMap(OverlayConfig::internalEndpoint));
        ElectionOptions election = ElectionOptions.from(tree);
        tree.requireAllRead();
        return new PeerConfig(name, mspId, msp, tlsCertificate, tlsKey, listen, operations, data, channels, orderer, leader,
                preset, neighbours, requestBytesMax, timeWindow, endorsementTimeout, overrides, overlay, discovery,
                election);
    }
}
