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
import io.hearsay.discovery.swim.MemberRole;
import io.hearsay.ledger.Ledger;
import io.hearsay.peer.membership.GossipLinks;
import io.hearsay.peer.membership.MembershipSettings;
import io.hearsay.peer.membership.PeerMembership;
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
import java.util.EnumSet;
import java.util.HashMap;
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
 *                                        membership messages (no channel) ─▶ membership's serial: PeerMembership
 *   serial: BlockGossip ─▶ AuthenticatedChannel (sign) ─▶ BlockWire.encode ─▶ GossipNetwork.send ─▶ lanes ─▶ gRPC
 * </pre>
 *
 * <p>Why each connection exists is kept here (its needs): a static neighbour given to {@link #connect} (for ever),
 * a live member of the organisation ({@link PeerMembership} probes it), a neighbour its view picked or accepted; and
 * the overlay dials its anchors itself. A peer is a block-gossip neighbour of every channel while it is a static or a
 * view neighbour; its connection is closed only when no need is left and it is not an anchor of the overlay.
 *
 * <p>Ledgers belong to the caller, who closes them after this peer.
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
    /** Static and view neighbours: the peers every channel gossips with. */
    private final Set<PkiId> neighbours = ConcurrentHashMap.newKeySet();
    /** Why each connection this peer asked for exists; guarded by itself, as are changes to {@link #neighbours}. */
    private final Map<PkiId, EnumSet<Need>> needs = new HashMap<>();
    private final MspDirectory organizations;
    /** The node-level overlay (anchors, routed delivery), once {@link #startOverlay} ran. */
    private volatile PeerOverlay overlay;
    /** The node's membership of its organisation (SWIM, views), once {@link #startMembership} ran. */
    private volatile PeerMembership membership;

    /** Why this peer keeps a connection to another. */
    private enum Need {
        /** Given to {@link #connect}: a neighbour for ever. */
        STATIC,
        /** A live (or recently dead) member of the organisation, which membership probes. */
        MEMBER,
        /** In this peer's view: a block-gossip neighbour while it stays there. */
        VIEW
    }

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

    /**
     * Starts gossiping {@code ledger}'s channel with every neighbour; only peers of the channel's organisations (its
     * configuration's) are heard. The ledger stays the caller's.
     */
    public ChannelGossip join(Ledger ledger, BlockGossipListener listener) {
        return join(ledger.channelId(), BlockLedger.of(ledger), ledger.organizations().organizations().keySet(), listener);
    }

    /**
     * Starts gossiping {@code channelId}, whose blocks {@code ledger} holds, hearing peers of any organisation this
     * node's MSP directory trusts. Prefer {@link #join(String, BlockLedger, Set, BlockGossipListener)} with the
     * channel's organisations: a node trusting organisations of other channels hears them on this one too.
     */
    public ChannelGossip join(String channelId, BlockLedger ledger, BlockGossipListener listener) {
        return join(channelId, ledger, organizations.organizations().keySet(), listener);
    }

    /**
     * Starts gossiping {@code channelId}, whose blocks {@code ledger} holds (a node may wrap its ledger, e.g. to time
     * commits), with the peers of {@code channelOrganizations} (MSP ids, the channel configuration's): messages from a
     * peer of any other organisation are dropped by the authentication layer, counted as of an unknown organisation.
     */
    public ChannelGossip join(String channelId, BlockLedger ledger, Set<String> channelOrganizations,
            BlockGossipListener listener) {
        if (channelOrganizations.isEmpty()) {
            throw new IllegalArgumentException("channel " + channelId + " names no organisation; give the channel's MSP ids");
        }
        ChannelGossip channel = new ChannelGossip(settings, identity, network, channelId, ledger, channelOrganizations,
                resources, listener, dropLog);
        boolean added;
        synchronized (needs) {
            added = channels.putIfAbsent(channel.channelId(), channel) == null;
            if (added) {
                neighbours.forEach(channel::addNeighbour);
            }
        }
        if (!added) {
            channel.close();
            throw new IllegalStateException(name() + " already serves channel " + channel.channelId());
        }
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
     * Starts the node's membership of its organisation: SWIM over this peer's connections, joining through the seeds,
     * and a view whose members become block-gossip neighbours of every channel. Start the overlay first if the node has
     * one, so its alive record says whether it is an anchor. At most once.
     */
    public synchronized PeerMembership startMembership(MembershipSettings membershipSettings) {
        if (membership != null) {
            throw new IllegalStateException(name() + " already runs its membership");
        }
        PeerOverlay running = overlay;
        MemberRole role = running != null && running.isAnchor() ? MemberRole.ANCHOR : MemberRole.PEER;
        membership = PeerMembership.start(new PeerMembership.Node(name(), identity, network, organizations, resources,
                dropLog::dropped, new Links(), role), membershipSettings);
        return membership;
    }

    /** The node's membership, if {@link #startMembership} started it. */
    public Optional<PeerMembership> membership() {
        return Optional.ofNullable(membership);
    }

    /**
     * Decodes on the gRPC thread (parallel to the protocol), then authenticates and handles on the executor of the
     * channel the message names, or of the overlay for a node-level message.
     */
    private void onEnvelope(PkiId from, com.google.protobuf.ByteString bytes, Runnable done) throws MalformedMessageException {
        EnvelopeWire.Decoded decoded = EnvelopeWire.decode(bytes, from);
        if (decoded instanceof EnvelopeWire.Overlay message) {
            PeerOverlay running = overlay;
            toNodeLevel(from, running != null, "an overlay message, but this peer runs no overlay", done,
                    () -> running.onEnvelope(from, message.signed(), done));
            return;
        }
        if (decoded instanceof EnvelopeWire.Membership message) {
            PeerMembership running = membership;
            toNodeLevel(from, running != null, "a membership message, but this peer runs no membership", done,
                    () -> running.onEnvelope(from, message.received(), done));
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
            PeerMembership running = membership;
            if (running != null && !neighbours.contains(from)) {
                // A member that picked this peer for its view gossips with it: ask the view to take it too.
                running.onGossipFrom(from);
            }
            channel.onMessage(from, ((EnvelopeWire.Blocks) decoded).routed().signed(), done);
        }
    }

    /** Hands a node-level message to its protocol if this peer runs it ({@code handle} then runs {@code done}), else drops it. */
    private void toNodeLevel(PkiId from, boolean running, String refusal, Runnable done, Runnable handle) {
        if (running) {
            handle.run();
        } else {
            done.run();
            dropLog.dropped(from, refusal);
        }
    }

    /** Makes {@code peer} at {@code host:port} a neighbour for ever: keeps a connection to it and gossips every channel with it. */
    public void connect(PkiId peer, String host, int port) {
        need(peer, Need.STATIC, host, port);
    }

    /** Records {@code need} for {@code peer}, keeps a connection to it, and makes it a gossip neighbour if the need is one. */
    private void need(PkiId peer, Need need, String host, int port) {
        // One lock around the decision and its effects (which only queue work: dialling, channel tasks), so a concurrent
        // release cannot undo a need recorded after it decided.
        synchronized (needs) {
            needs.computeIfAbsent(peer, p -> EnumSet.noneOf(Need.class)).add(need);
            network.connect(peer, host, port);
            if (need != Need.MEMBER && neighbours.add(peer)) {
                channels.values().forEach(channel -> channel.addNeighbour(peer));
            }
        }
    }

    /**
     * Drops {@code need} for {@code peer}: it stops being a gossip neighbour when neither a static nor a view need is
     * left, and its connection closes when no need is left and the overlay does not dial it as an anchor.
     */
    private void release(PkiId peer, Need need) {
        synchronized (needs) {
            EnumSet<Need> left = needs.get(peer);
            if (left == null || !left.remove(need)) {
                return;
            }
            boolean neighbour = left.contains(Need.STATIC) || left.contains(Need.VIEW);
            if (!neighbour && neighbours.remove(peer)) {
                channels.values().forEach(channel -> channel.removeNeighbour(peer));
            }
            if (left.isEmpty()) {
                needs.remove(peer);
                PeerOverlay running = overlay;
                if (running == null || running.roster().spec(peer).isEmpty()) {
                    network.disconnect(peer);
                }
            }
        }
    }

    /**
     * Makes {@code peer} a gossip neighbour for as long as a view keeps it (a discovery other than SWIM's, e.g. the
     * central index's): released by {@link #removeViewNeighbour}, unlike {@link #connect}'s for-ever neighbours.
     */
    public void addViewNeighbour(PkiId peer, String host, int port) {
        need(peer, Need.VIEW, host, port);
    }

    /** {@code peer} left the view {@link #addViewNeighbour} put it in; static neighbours and members stay linked. */
    public void removeViewNeighbour(PkiId peer) {
        release(peer, Need.VIEW);
    }

    /**
     * Keeps a connection to {@code peer}, a live member of this organisation, without making it a gossip neighbour: how
     * a discovery other than SWIM's (the central index's) lets the election see every member. Released by
     * {@link #releaseMember}.
     */
    public void keepMember(PkiId peer, String host, int port) {
        need(peer, Need.MEMBER, host, port);
    }

    /** {@code peer} is no longer a live member {@link #keepMember} kept a connection to. */
    public void releaseMember(PkiId peer) {
        release(peer, Need.MEMBER);
    }

    /** Membership's hold on this peer's connections and channels. */
    private final class Links implements GossipLinks {
        @Override
        public void keepMember(PkiId peer, String host, int port) {
            GossipPeer.this.keepMember(peer, host, port);
        }

        @Override
        public void releaseMember(PkiId peer) {
            GossipPeer.this.releaseMember(peer);
        }

        @Override
        public void addViewNeighbour(PkiId peer, String host, int port) {
            GossipPeer.this.addViewNeighbour(peer, host, port);
        }

        @Override
        public void removeViewNeighbour(PkiId peer) {
            GossipPeer.this.removeViewNeighbour(peer);
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
        PeerMembership members = membership;
        if (members != null) {
            members.close();
        }
        PeerOverlay running = overlay;
        if (running != null) {
            running.close();
        }
        channels.values().forEach(ChannelGossip::close);
        network.close();
    }
}
