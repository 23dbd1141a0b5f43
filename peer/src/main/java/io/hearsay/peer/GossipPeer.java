package io.hearsay.peer;

import io.grpc.ServerServiceDefinition;
import io.hearsay.discovery.auth.AuthenticatedChannel;
import io.hearsay.discovery.auth.IntegrityConfig;
import io.hearsay.gossip.block.BlockGossip;
import io.hearsay.gossip.block.BlockGossipConfig;
import io.hearsay.gossip.block.BlockGossipListener;
import io.hearsay.gossip.block.BlockLedger;
import io.hearsay.gossip.block.GossipCounters;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.PkiId;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.discovery.routing.RoutedDelivery;
import io.hearsay.ledger.Ledger;
import io.hearsay.peer.overlay.OverlaySettings;
import io.hearsay.peer.overlay.PeerOverlay;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.runtime.SerialExecutor;
import io.hearsay.peer.transport.GossipNetwork;
import io.hearsay.peer.transport.GossipTransportConfig;
import io.hearsay.peer.transport.TlsCredentials;
import io.hearsay.peer.transport.TransportCounters;
import io.hearsay.peer.wire.EnvelopeWire;
import io.hearsay.peer.wire.MalformedMessageException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's block gossip on the wire: a {@link GossipNetwork} (gRPC, mutual TLS) shared by the channels the node
 * serves, each a {@link ChannelGossip} — the same {@link BlockGossip} core the simulator drives, behind the same
 * {@link AuthenticatedChannel}, with a RocksDB {@link Ledger}, a real clock, and its own {@link SerialExecutor}
 * that runs its protocol events one at a time. Only adapters live here: the protocol code is unchanged.
 *
 * <pre>
 *   gRPC thread: frame ─▶ GossipConnection ─▶ EnvelopeWire.decode ─▶ channel's serial: AuthenticatedChannel ─▶ BlockGossip
 *                                                                                    (election messages ─▶ ChannelElection)
 *                                        overlay messages (no channel) ─▶ overlay's serial: PeerOverlay
 *   serial: BlockGossip ─▶ AuthenticatedChannel (sign) ─▶ BlockWire.encode ─▶ GossipNetwork.send ─▶ lanes ─▶ gRPC
 * </pre>
 *
 * Ledgers belong to the caller, who closes them after this peer.
 */
public final class GossipPeer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GossipPeer.class);

    /**
     * @param name for logs and thread names
     * @param listen where to accept neighbours (port 0: any free port)
     */
    public record Settings(String name, InetSocketAddress listen, BlockGossipConfig gossip, GossipTransportConfig transport,
            IntegrityConfig integrity) {
        public static Settings lan(String name) {
            return new Settings(name, new InetSocketAddress("127.0.0.1", 0), BlockGossipConfig.lan(),
                    GossipTransportConfig.defaults(), IntegrityConfig.defaults());
        }

        public Settings withGossip(BlockGossipConfig config) {
            return new Settings(name, listen, config, transport, integrity);
        }

        public Settings withTransport(GossipTransportConfig config) {
            return new Settings(name, listen, gossip, config, integrity);
        }

        public Settings withIntegrity(IntegrityConfig config) {
            return new Settings(name, listen, gossip, transport, config);
        }
    }

    private final Settings settings;
    private final SigningIdentity identity;
    private final PkiId self;
    private final NodeResources resources;
    private final GossipNetwork network;
    private final DropLog dropLog;
    private final Map<String, ChannelGossip> channels = new ConcurrentHashMap<>();
    private final Set<PkiId> neighbours = ConcurrentHashMap.newKeySet();
    private final MspDirectory organizations;
    /** The node-level overlay (anchors, routed delivery), once {@link #startOverlay} ran. */
    private volatile PeerOverlay overlay;

    private GossipPeer(Settings settings, SigningIdentity identity, TlsCredentials tls, MspDirectory organizations,
            NodeResources resources) {
        this.settings = settings;
        this.identity = identity;
        this.self = identity.pkiId();
        this.resources = resources;
        this.organizations = organizations;
        this.dropLog = new DropLog(LOG, settings.name());
        this.network = new GossipNetwork(settings.transport(), identity, tls, organizations, resources.timers(), this::onEnvelope);
    }

    /**
     * Starts a node's gossip with no channel yet: its server listens, serving {@code services} (Gateway, Deliver,
     * Endorser) on the same port. Add channels with {@link #join}, neighbours with {@link #connect}.
     *
     * @param inboundBytesMax the largest request the other services accept
     */
    public static GossipPeer start(Settings settings, SigningIdentity identity, TlsCredentials tls, MspDirectory organizations,
            NodeResources resources, List<ServerServiceDefinition> services, int inboundBytesMax) {
        GossipPeer peer = new GossipPeer(settings, identity, tls, organizations, resources);
        peer.network.start(settings.listen(), services, inboundBytesMax);
        LOG.info("{}: listening on port {}", settings.name(), peer.network.port());
        return peer;
    }

    /** Starts a one-channel peer: its server listens, its protocol timers run. Connect it to neighbours with {@link #connect}. */
    public static GossipPeer start(Settings settings, SigningIdentity identity, TlsCredentials tls, MspDirectory organizations,
            Ledger ledger, NodeResources resources, BlockGossipListener listener) {
        GossipPeer peer = new GossipPeer(settings, identity, tls, organizations, resources);
        peer.join(ledger, listener);
        peer.network.start(settings.listen());
        LOG.info("{}: gossip listening on port {}", settings.name(), peer.network.port());
        return peer;
    }

    /** Starts gossiping {@code ledger}'s channel with every neighbour; the ledger stays the caller's. */
    public ChannelGossip join(Ledger ledger, BlockGossipListener listener) {
        return join(ledger.channelId(), BlockLedger.of(ledger), listener);
    }

    /** Starts gossiping {@code channelId}, whose blocks {@code ledger} holds (a node may wrap its ledger, e.g. to time commits). */
    public ChannelGossip join(String channelId, BlockLedger ledger, BlockGossipListener listener) {
        ChannelGossip channel = new ChannelGossip(settings, identity, network, channelId, ledger, resources, listener, dropLog);
        if (channels.putIfAbsent(channel.channelId(), channel) != null) {
            channel.close();
            throw new IllegalStateException(name() + " already serves channel " + channel.channelId());
        }
        neighbours.forEach(channel::addNeighbour);
        channel.start();
        return channel;
    }

    /**
     * Starts the node's overlay: anchors, joining and routed delivery over this peer's connections. {@code inbox} gets
     * each payload routed to this peer, on the overlay's executor; it must not block. At most once.
     */
    public synchronized PeerOverlay startOverlay(OverlaySettings overlaySettings, Consumer<RoutedDelivery.Received> inbox) {
        if (overlay != null) {
            throw new IllegalStateException(name() + " already runs its overlay");
        }
        overlay = PeerOverlay.start(new PeerOverlay.Node(name(), identity, network, organizations, resources,
                dropLog::dropped), overlaySettings, inbox);
        return overlay;
    }

    /** The node's overlay, if {@link #startOverlay} started it. */
    public Optional<PeerOverlay> overlay() {
        return Optional.ofNullable(overlay);
    }

    /**
     * Decodes on the gRPC thread (parallel to the protocol), then authenticates and handles on the executor of the
     * channel the message names, or of the overlay for a node-level message.
     */
    private void onEnvelope(PkiId from, com.google.protobuf.ByteString bytes, Runnable done) throws MalformedMessageException {
        EnvelopeWire.Decoded decoded = EnvelopeWire.decode(bytes);
        if (decoded instanceof EnvelopeWire.Overlay message) {
            PeerOverlay running = overlay;
            if (running == null) {
                done.run();
                dropLog.dropped(from, "an overlay message, but this peer runs no overlay");
            } else {
                running.onEnvelope(from, message.signed(), done);
            }
            return;
        }
        ChannelGossip channel = channels.get(decoded.channel());
        if (channel == null) {
            done.run();
            dropLog.dropped(from, "a message for channel '" + decoded.channel() + "', which this peer does not serve");
            return;
        }
        if (decoded instanceof EnvelopeWire.Election election) {
            channel.onElectionMessage(from, election.routed().signed(), done);
        } else {
            channel.onMessage(from, ((EnvelopeWire.Blocks) decoded).routed().signed(), done);
        }
    }

    /** Makes {@code peer} at {@code host:port} a neighbour: keeps a connection to it and gossips every channel with it. */
    public void connect(PkiId peer, String host, int port) {
        network.connect(peer, host, port);
        if (neighbours.add(peer)) {
            channels.values().forEach(channel -> channel.addNeighbour(peer));
        }
    }

    public Optional<ChannelGossip> channel(String channelId) {
        return Optional.ofNullable(channels.get(channelId));
    }

    /** The only channel of a one-channel peer. */
    private ChannelGossip onlyChannel() {
        if (channels.size() != 1) {
            throw new IllegalStateException(name() + " serves " + channels.size() + " channels; name one");
        }
        return channels.values().iterator().next();
    }

    /** A block from the orderer for a one-channel peer: this peer is its organisation's leader; commit it and spread it. */
    public void onOrdererBlock(Block block) {
        onlyChannel().onOrdererBlock(block);
    }

    public String name() {
        return settings.name();
    }

    public PkiId id() {
        return self;
    }

    public int port() {
        return network.port();
    }

    public long height() {
        return onlyChannel().height();
    }

    public GossipCounters gossipCounters() {
        return onlyChannel().counters();
    }

    public TransportCounters transportCounters() {
        return network.counters();
    }

    public GossipNetwork network() {
        return network;
    }

    /** Messages the authentication layer of a one-channel peer dropped, by reason. */
    public Map<AuthenticatedChannel.Drop, Long> drops() {
        return onlyChannel().drops();
    }

    /** Stops every channel's protocol, closes every connection and the server. Ledgers stay open (their owners'). */
    @Override
    public void close() {
        PeerOverlay running = overlay;
        if (running != null) {
            running.close();
        }
        channels.values().forEach(ChannelGossip::close);
        network.close();
    }
}
