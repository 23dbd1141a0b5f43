package io.hearsay.peer.node;

import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.config.ConfigException;
import io.hearsay.peer.config.ConfigTree;
import io.hearsay.peer.config.ConfigTree.HostPort;
import io.hearsay.peer.orderer.OrdererConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import io.hearsay.peer.index.IndexServerSettings;

/**
 * Everything a solo orderer process needs, from {@code orderer.yaml}; overrides from {@code HEARSAY_ORDERER_<KEY>}
 * environment variables and {@code --set key=value} flags, checked before anything starts.
 *
 * @param name for logs
 * @param mspId the orderer organisation (the channels' {@code orderer_msp_id})
 * @param msp the orderer's MSP folder (it signs blocks with this identity)
 * @param tlsCertificate the orderer's TLS certificate (PEM)
 * @param tlsKey its private key (PEM)
 * @param listen where Broadcast and Deliver are served (default 127.0.0.1:7050; port 0: any)
 * @param dataDirectory where each channel's chain is stored (default ./data)
 * @param genesisBlocks one genesis block file per channel
 * @param batch how blocks are cut ({@link OrdererConfig}, whose defaults apply to options not given)
 * @param timeWindow how far an envelope's timestamp may be from the orderer's clock (default 15 min)
 * @param index the central index server this orderer also serves, for networks run in the central model
 *     ({@code index.enabled: true}; default off). Its options ({@code index.lease}, {@code index.entriesMax},
 *     {@code index.peersMax}) default to {@link IndexServerSettings#defaults()}.
 */
public record OrdererProcessConfig(String name, String mspId, Path msp, Path tlsCertificate, Path tlsKey, HostPort listen,
        Path dataDirectory, List<Path> genesisBlocks, OrdererConfig batch, Duration timeWindow,
        Optional<IndexServerSettings> index) {
    public static final HostPort DEFAULT_LISTEN = new HostPort("127.0.0.1", 7050);

    /** An orderer that serves no index. */
    public OrdererProcessConfig(String name, String mspId, Path msp, Path tlsCertificate, Path tlsKey, HostPort listen,
            Path dataDirectory, List<Path> genesisBlocks, OrdererConfig batch, Duration timeWindow) {
        this(name, mspId, msp, tlsCertificate, tlsKey, listen, dataDirectory, genesisBlocks, batch, timeWindow, Optional.empty());
    }

    /** This config serving the central index with {@code settings}. */
    public OrdererProcessConfig withIndex(IndexServerSettings settings) {
        return new OrdererProcessConfig(name, mspId, msp, tlsCertificate, tlsKey, listen, dataDirectory, genesisBlocks, batch,
                timeWindow, Optional.of(settings));
    }

    public OrdererProcessConfig {
        genesisBlocks = List.copyOf(genesisBlocks);
        if (genesisBlocks.isEmpty()) {
            throw new ConfigException("channels: the orderer needs at least one channel's genesis block");
        }
        Objects.requireNonNull(index, "index");
    }

    public static OrdererProcessConfig from(ConfigTree tree) {
        OrdererConfig defaults = OrdererConfig.defaults();
        String name = tree.string("name", "orderer");
        String mspId = tree.requiredString("mspId", "the orderer organisation, e.g. OrdererMSP");
        Path msp = Path.of(tree.requiredString("msp", "the orderer's MSP folder (signcerts/, keystore/)"));
        Path cert = Path.of(tree.requiredString("tls.cert", "the orderer's TLS certificate (PEM)"));
        Path key = Path.of(tree.requiredString("tls.key", "the orderer's TLS private key (PEM)"));
        HostPort listen = tree.hostPort("listen", DEFAULT_LISTEN);
        Path data = Path.of(tree.string("dataDir", "data"));
        List<Path> genesis = tree.list("channels").stream().map(c -> {
            Path file = Path.of(c.requiredString("genesis", "the channel's genesis block file"));
            c.string("name", "");
            c.requireAllRead();
            return file;
        }).toList();
        OrdererConfig batch;
        try {
            batch = new OrdererConfig(
                    tree.intValue("batch.maxMessages", defaults.batchEnvelopesMax(), 1, OrdererConfig.BATCH_ENVELOPES_LIMIT),
                    tree.longValue("batch.preferredMaxBytes", defaults.batchBytesPreferred(), 1, OrdererConfig.ENVELOPE_BYTES_LIMIT),
                    tree.longValue("batch.absoluteMaxBytes", defaults.envelopeBytesMax(), 1, OrdererConfig.ENVELOPE_BYTES_LIMIT),
                    tree.duration("batch.timeout", Duration.ofMillis(defaults.batchTimeoutMillis()), Duration.ofMillis(1),
                            Duration.ofMillis(OrdererConfig.BATCH_TIMEOUT_MILLIS_LIMIT)).toMillis(),
                    tree.intValue("batch.pendingMax", defaults.pendingEnvelopesMax(), 1, Integer.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("batch: " + e.getMessage());
        }
        Duration window = tree.duration("timeWindow", TimeWindow.DEFAULT_WINDOW, Duration.ofSeconds(1), Duration.ofDays(1));
        Optional<IndexServerSettings> index = index(tree);
        tree.requireAllRead();
        return new OrdererProcessConfig(name, mspId, msp, cert, key, listen, data, genesis, batch, window, index);
    }

    private static Optional<IndexServerSettings> index(ConfigTree tree) {
        IndexServerSettings defaults = IndexServerSettings.defaults();
        boolean enabled = tree.bool("index.enabled", false);
        long lease = tree.duration("index.lease", Duration.ofMillis(defaults.leaseMillis()), Duration.ofMillis(100),
                Duration.ofHours(1)).toMillis();
        int entries = tree.intValue("index.entriesMax", defaults.entriesMax(), 1, 10_000_000);
        int peers = tree.intValue("index.peersMax", defaults.peersMax(), 1, 100_000);
        return enabled ? Optional.of(new IndexServerSettings(lease, entries, peers, defaults.requestBytesMax())) : Optional.empty();
    }
}
