package io.hearsay.peer.node;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ServerServiceDefinition;
import io.hearsay.discovery.auth.IntegrityConfig;
import io.hearsay.discovery.routing.RoutedDelivery;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.gossip.block.BlockGossipListener;
import io.hearsay.gossip.block.BlockLedger;
import io.hearsay.identity.Identity;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.OrganizationMsp;
import io.hearsay.identity.Pem;
import io.hearsay.identity.PkiId;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.peer.ChannelGossip;
import io.hearsay.peer.GossipPeer;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.channel.ChannelContext;
import io.hearsay.peer.channel.ChannelRegistry;
import io.hearsay.peer.channel.CommitFeedConfig;
import io.hearsay.peer.channel.LedgerCommitFeed;
import io.hearsay.peer.config.ConfigException;
import io.hearsay.peer.config.ConfigTree.HostPort;
import io.hearsay.peer.contract.Contracts;
import io.hearsay.peer.deliver.DeliverConfig;
import io.hearsay.peer.deliver.DeliverService;
import io.hearsay.peer.election.LeaderDuty;
import io.hearsay.peer.endorse.EndorsementCollector;
import io.hearsay.peer.endorse.EndorsementConfig;
import io.hearsay.peer.endorse.EndorserDirectory;
import io.hearsay.peer.endorse.EndorserService;
import io.hearsay.peer.endorse.LocalEndorser;
import io.hearsay.peer.endorse.ProposalChecker;
import io.hearsay.peer.gateway.CommitGateway;
import io.hearsay.peer.gateway.GatewayService;
import io.hearsay.peer.gateway.ProposalGateway;
import io.hearsay.peer.gateway.ProposalGatewayConfig;
import io.hearsay.peer.orderer.GrpcOrdererClient;
import io.hearsay.peer.orderer.OrdererBlockIntake;
import io.hearsay.peer.orderer.OrdererClient;
import io.hearsay.peer.orderer.OrdererException;
import io.hearsay.peer.index.IndexRegistration;
import io.hearsay.peer.membership.MembershipSettings;
import io.hearsay.peer.membership.PeerMembership;
import io.hearsay.peer.overlay.AnchorSpec;
import io.hearsay.peer.overlay.OverlayRoster;
import io.hearsay.peer.overlay.PeerOverlay;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.runtime.NodeRuntime;
import io.hearsay.peer.transport.GossipTransportConfig;
import io.hearsay.peer.transport.TlsCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running peer: for each channel a RocksDB ledger, its gossip and its commit feed; one gRPC server (mutual TLS)
 * serving Gossip, Fabric's Gateway and Deliver, and the Endorser other organisations' peers call; the orderer
 * client for Submit; when it leads, the intake of the orderer's blocks; and the HTTP operations endpoint.
 * Whether it leads is per channel: elected among its organisation's peers ({@link PeerConfig.LeaderMode#ELECTED}, the
 * default: a {@link LeaderDuty} opens the intake when this peer wins and closes it when it loses), always, or never.
 *
 * <pre>
 *   client ─Gateway.Endorse─▶ ProposalGateway ─▶ contracts on the committed state, other orgs' Endorser
 *   client ─Gateway.Submit──▶ ProposalGateway ─▶ OrdererClient (Broadcast)
 *   ChannelElection ─▶ LeaderDuty ─(leader only)─▶ OrdererBlockIntake
 *   orderer ─Deliver─▶ OrdererBlockIntake (leader) ─▶ ChannelGossip ─▶ ledger.commit ─▶ gossip to neighbours
 *   ledger.commit ─▶ LedgerCommitFeed ─▶ CommitStatus, ChaincodeEvents, Deliver streams
 *   ledger.commit ─▶ LeaderDuty.onCommitted ─▶ OrdererBlockIntake asks the orderer for as many blocks more
 *   embedder ─send─▶ PeerOverlay ─▶ parent anchor ─▶ target's anchor ─▶ target's PeerOverlay ─▶ RoutedInbox ─▶ onRouted
 * </pre>
 *
 * With an {@code overlay:} section the node also runs the anchor overlay ({@link PeerOverlay}): an ordinary peer
 * attaches to two anchors, an anchor serves joins and makes the other organisations' anchors its block-gossip
 * neighbours, so blocks cross organisations through the anchors, as in Fabric.
 */
public final class PeerNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerNode.class);

    private final PeerConfig config;
    private final SigningIdentity identity;
    private final NodeResources resources;
    private final boolean ownsResources;
    private final ExecutorService serviceExecutor;
    private final NodeMetrics metrics = new NodeMetrics();
    private final Map<String, Ledger> ledgers = new TreeMap<>();
    private final Map<String, LedgerCommitFeed> feeds = new TreeMap<>();
    private final Map<String, ChannelGossip> channels = new TreeMap<>();
    /** Per channel, whether and how this peer takes the orderer's blocks; filled before anything can lead. */
    private final Map<String, LeaderDuty> duties = new TreeMap<>();
    private final List<ManagedChannel> ordererChannels = new ArrayList<>();
    private final Map<PkiId, String> neighbourNames = new ConcurrentHashMap<>();
    private final Map<String, List<EndorserDirectory.Endpoint>> endorsers = new ConcurrentHashMap<>();
    private OrdererClient orderer;
    private ManagedChannel ordererChannel;
    private EndorsementCollector collector;
    private GossipPeer gossip;
    private OperationsServer operations;
    /** The overlay's view for status and metrics, and its inbox; null when the node runs no overlay. */
    private OverlayReport overlay;
    /** The central index registration, in the {@code index} discovery mode; null otherwise. */
    private IndexRegistration index;

    private PeerNode(PeerConfig config, NodeResources resources, boolean ownsResources) {
        this.config = config;
        this.resources = resources;
        this.ownsResources = ownsResources;
        this.identity = SigningIdentity.load(config.msp(), config.mspId());
        AtomicInteger threads = new AtomicInteger();
        this.serviceExecutor = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread thread = new Thread(r, config.name() + "-services-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts a peer with its own threads (the process's only node). */
    public static PeerNode start(PeerConfig config) {
        return start(config, NodeResources.forCores(), true);
    }

    /** Starts a peer on shared threads (several nodes in one JVM, as the testnet runs them). */
    public static PeerNode start(PeerConfig config, NodeResources resources) {
        return start(config, resources, false);
    }

    private static PeerNode start(PeerConfig config, NodeResources resources, boolean ownsResources) {
        PeerNode node = new PeerNode(config, resources, ownsResources);
        try {
            node.open();
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    private void open() {
        TimeWindow timeWindow = new TimeWindow(config.timeWindow(), InstantSource.system());
        List<ChannelContext> contexts = new ArrayList<>();
        for (PeerConfig.ChannelEntry entry : config.channels()) {
            Ledger ledger = openLedger(entry);
            if (!ledger.channelId().equals(entry.name())) {
                ledger.close();
                throw new IllegalArgumentException("channels: " + entry.genesis() + " is the genesis block of channel '"
                        + ledger.channelId() + "', not '" + entry.name() + "'");
            }
            ledgers.put(entry.name(), ledger);
            LedgerCommitFeed feed = new LedgerCommitFeed(ledger, serviceExecutor, CommitFeedConfig.defaults());
            feeds.put(entry.name(), feed);
            contexts.add(new ChannelContext(entry.name(), ledger, feed));
        }
        ChannelRegistry registry = ChannelRegistry.of(contexts);
        Map<String, OrganizationMsp> organizations = new TreeMap<>();
        ledgers.values().forEach(l -> organizations.putAll(l.organizations().organizations()));
        MspDirectory msps = new MspDirectory(List.copyOf(organizations.values()), InstantSource.system());
        TlsCredentials tls = new TlsCredentials(Pem.decodePrivateKey(read(config.tlsKey(), "tls.key")),
                Pem.decodeCertificate(read(config.tlsCertificate(), "tls.cert")),
                organizations.values().stream().map(OrganizationMsp::tlsCaCertificate).toList());

        orderer = config.orderer()
                .<OrdererClient>map(o -> new GrpcOrdererClient(GrpcOrdererClient.Settings.of(o.host(), o.port()), tls,
                        resources.timers()))
                .orElse(envelope -> CompletableFuture.failedFuture(
                        OrdererException.unreachable("this peer has no orderer configured (option orderer)")));
        Contracts contracts = Contracts.builtIn();
        ProposalChecker checker = new ProposalChecker(registry, contracts, timeWindow);
        LocalEndorser local = new LocalEndorser(identity, config.listen().toString());
        collector = new EndorsementCollector(local, mspId -> endorsers.getOrDefault(mspId, List.of()), tls, new EndorsementConfig(config.endorsementTimeout()),
                serviceExecutor);
        ProposalGateway proposals = new ProposalGateway(registry, checker, collector, orderer, serviceExecutor,
                ProposalGatewayConfig.defaults());
        // Every client presents a TLS certificate (mutual TLS is required), so, as Fabric does then, every seek must
        // name it: a seek envelope captured from one connection cannot be replayed on another.
        List<ServerServiceDefinition> services = List.of(
                new GatewayService(proposals, new CommitGateway(registry)).bindService(),
                new DeliverService(registry, timeWindow, DeliverConfig.defaults().withTlsBindingRequired(true)).intercepted(),
                new EndorserService(checker, local, serviceExecutor).bindService());

        Optional<OverlayRoster> roster = config.overlay().map(o -> checkedRoster(o.anchorSpecs(), msps));

        GossipPeer.Settings settings = new GossipPeer.Settings(config.name(),
                new InetSocketAddress(config.listen().host(), config.listen().port()), config.gossipConfig(),
                GossipTransportConfig.defaults(), IntegrityConfig.defaults());
        gossip = GossipPeer.start(settings, identity, tls, msps, resources, services, config.requestBytesMax());
        for (Map.Entry<String, Ledger> entry : ledgers.entrySet()) {
            String channelId = entry.getKey();
            Ledger ledger = entry.getValue();
            LedgerCommitFeed feed = feeds.get(channelId);
            // Set before any intake exists (startLeading, below): commits before it have no intake to tell.
            AtomicReference<LeaderDuty> dutyOfChannel = new AtomicReference<>();
            // Only the channel's organisations are heard on its gossip, even if this node trusts others for other channels.
            ChannelGossip channel = gossip.join(channelId,
                    new TimedBlockLedger(BlockLedger.of(ledger), metrics.commitTimer(channelId)),
                    ledger.organizations().organizations().keySet(),
                    new BlockGossipListener() {
                        @Override
                        public void onBlockCommitted(long number, PkiId from) {
                            long height = ledger.height();
                            feed.onCommitted(height);
                            // The leader's intake asks the orderer for as many blocks more: its backpressure.
                            LeaderDuty duty = dutyOfChannel.get();
                            if (duty != null) {
                                duty.onCommitted(height);
                            }
                        }
                    });
            channels.put(channelId, channel);
            LeaderDuty duty = leaderDuty(channelId, channel, tls);
            dutyOfChannel.set(duty);
            duties.put(channelId, duty);
            metrics.channel(channelId, ledger::height, channel, duty::leading);
        }
        metrics.transport(gossip.transportCounters(), () -> gossip.network().connectedPeers().size());
        config.neighbours().forEach(this::connect);
        roster.ifPresent(this::startOverlay);
        startDiscovery(tls); // after the overlay: an anchor's alive record says it is one
        startLeading();
        operations = new OperationsServer(new InetSocketAddress(config.operations().host(), config.operations().port()),
                metrics.registry(), this::healthFailures, this::status);
        LOG.info("{} ({}) serving {} on port {}, operations on port {}", config.name(), config.mspId(), ledgers.keySet(),
                gossip.port(), operations.port());
    }

    private Ledger openLedger(PeerConfig.ChannelEntry entry) {
        Block genesis;
        try {
            genesis = Block.parseFrom(read(entry.genesis(), "channels[].genesis"));
        } catch (IOException e) {
            throw new IllegalArgumentException("channels: " + entry.genesis() + " is not a block: " + e.getMessage(), e);
        }
        try {
            return Ledgers.rocks(config.dataDirectory().resolve("ledgers").resolve(entry.name()), genesis,
                    LedgerOptions.defaults());
        } catch (BlockRejectedException e) {
            throw new IllegalStateException("channel " + entry.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes {@code neighbour} a gossip neighbour of every channel and, when it is of another organisation, an
     * endorser to ask. Neighbours may be added while the node runs (a network started on free ports links its
     * peers once they listen).
     */
    public void connect(PeerConfig.Neighbour neighbour) {
        X509Certificate certificate = Pem.decodeCertificate(read(neighbour.certificate(), "neighbours[].cert"));
        PkiId id = Identity.of(neighbour.mspId(), certificate).pkiId();
        connectGossip(id, neighbour.endpoint());
        if (!neighbour.mspId().equals(config.mspId())) {
            // Its own check, not the gossip one's: an anchor may already be a gossip neighbour when it is configured.
            EndorserDirectory.Endpoint endorser = new EndorserDirectory.Endpoint(neighbour.endpoint().toString(),
                    neighbour.serverName());
            endorsers.compute(neighbour.mspId(), (mspId, known) -> {
                List<EndorserDirectory.Endpoint> updated = new ArrayList<>(known == null ? List.of() : known);
                if (!updated.contains(endorser)) {
                    updated.add(endorser);
                }
                return List.copyOf(updated);
            });
        }
    }

    /**
     * The channels' peer organisations: every organisation of every channel this node serves but the orderers'. The
     * overlay is the node's, not a channel's, so it serves the union; an organisation none of its channels knows is
     * refused.
     */
    private SortedSet<String> channelOrganizations() {
        SortedSet<String> organizations = new TreeSet<>();
        ledgers.values().forEach(ledger -> ledger.organizations().organizations().keySet().stream()
                .filter(mspId -> !mspId.equals(ledger.config().getOrdererMspId())).forEach(organizations::add));
        return organizations;
    }

    /**
     * The configured anchors as the overlay will believe them, checked before anything starts: an entry the overlay
     * would leave out (a certificate not of the organisation it claims, an organisation the channels do not know, a
     * duplicate) is a configuration error here, not a warning at run time.
     */
    private OverlayRoster checkedRoster(List<AnchorSpec> anchors, MspDirectory msps) {
        OverlayRoster roster;
        try {
            roster = OverlayRoster.build(anchors, msps, channelOrganizations());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("overlay.anchors: " + e.getMessage());
        }
        if (!roster.refusals().isEmpty()) {
            throw new ConfigException("overlay.anchors: " + String.join("; ", roster.refusals())
                    + "; fix or remove these entries (an anchor's cert must be its own signing certificate, issued by its "
                    + "organisation's CA)");
        }
        return roster;
    }

    /**
     * Starts the overlay on the listening gossip; an anchor then makes the other organisations' anchors its block
     * gossip neighbours, so the organisations' blocks meet at the anchors.
     */
    private void startOverlay(OverlayRoster roster) {
        OverlayConfig overlayConfig = config.overlay().orElseThrow();
        RoutedInbox inbox = new RoutedInbox(config.name(), resources.serialExecutor(config.name() + "/routed-inbox"),
                RoutedInbox.PENDING_MAX);
        HostPort bound = new HostPort(config.listen().host(), gossip.port());
        PeerOverlay started = gossip.startOverlay(overlayConfig.settings(bound, channelOrganizations(),
                List.copyOf(roster.specs().values())), inbox::offer);
        overlay = new OverlayReport(started, this::peerName, inbox);
        metrics.overlay(overlay);
        if (started.isAnchor()) {
            roster.specs().forEach((anchor, spec) -> {
                if (!spec.mspId().equals(config.mspId())) {
                    connectGossip(anchor, new HostPort(spec.host(), spec.port()));
                }
            });
        }
    }

    /**
     * Starts finding this organisation's neighbours as {@code discovery:} says: SWIM membership with a view, or the
     * central index with a view; nothing more for {@code static}.
     */
    private void startDiscovery(TlsCredentials tls) {
        DiscoveryConfig discovery = config.discovery();
        HostPort endpoint = discovery.endpointOr(new HostPort(config.listen().host(), gossip.port()));
        switch (discovery.mode()) {
            case STATIC -> { }
            case MEMBERSHIP -> startMembership(discovery, endpoint);
            case INDEX -> startIndexRegistration(discovery, endpoint, tls);
        }
    }

    /** SWIM within the organisation, joined through the seeds; its view's members become gossip neighbours. */
    private void startMembership(DiscoveryConfig discovery, HostPort endpoint) {
        List<MembershipSettings.Seed> seeds = new ArrayList<>();
        for (DiscoveryConfig.Seed seed : discovery.seeds()) {
            X509Certificate certificate = Pem.decodeCertificate(read(seed.certificate(), "discovery.seeds[].cert"));
            PkiId id = Identity.of(config.mspId(), certificate).pkiId();
            neighbourNames.putIfAbsent(id, seed.endpoint().toString());
            seeds.add(new MembershipSettings.Seed(id, seed.endpoint().host(), seed.endpoint().port()));
        }
        PeerMembership membership = gossip.startMembership(MembershipSettings.lan(seeds, endpoint.toString())
                .withView(discovery.view()));
        metrics.membership(new StateCache<>(membership::state));
    }

    /** Registration with the central index; the view drawn from its answers are the gossip neighbours. */
    private void startIndexRegistration(DiscoveryConfig discovery, HostPort endpoint, TlsCredentials tls) {
        index = IndexRegistration.start(config.name(), discovery.indexSettings(), identity, endpoint.toString(),
                endpoint.host(), tls, resources.serialExecutor(config.name() + "/index"), resources.timers(),
                RandomSource.seeded(NodeRuntime.newSeed()), new IndexRegistration.Links() {
                    @Override
                    public void link(PkiId peer, String host, int port, String serverName) {
                        neighbourNames.putIfAbsent(peer, host + ":" + port);
                        gossip.addViewNeighbour(peer, host, port);
                    }

                    @Override
                    public void unlink(PkiId peer) {
                        gossip.removeViewNeighbour(peer);
                    }

                    @Override
                    public void keep(PkiId peer, String host, int port) {
                        neighbourNames.putIfAbsent(peer, host + ":" + port);
                        gossip.keepMember(peer, host, port);
                    }

                    @Override
                    public void release(PkiId peer) {
                        gossip.releaseMember(peer);
                    }
                });
        metrics.index(new StateCache<>(index::state));
    }

    /** What {@code /status} shows of discovery: the mode, and the membership's or the index's view. */
    private Map<String, Object> discoveryStatus() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("mode", config.discovery().mode().name().toLowerCase(Locale.ROOT));
        gossip.membership().ifPresent(membership -> {
            PeerMembership.State state = membership.state();
            status.put("members", state.live().size());
            status.put("dead", state.dead().size());
            status.put("view", names(state.view()));
        });
        if (index != null) {
            IndexRegistration.State state = index.state();
            status.put("registered", state.registered());
            status.put("known", state.known().size());
            status.put("view", names(state.neighbours()));
        }
        return status;
    }

    private List<String> names(List<PkiId> peers) {
        return peers.stream().map(id -> peerName(id).orElse(neighbourNames.getOrDefault(id, id.toString()))).sorted().toList();
    }

    /** A peer's name where this node knows it: the common name its handshake or its anchor entry proved. */
    private Optional<String> peerName(PkiId peer) {
        return gossip.network().identity(peer).map(Identity::commonName)
                .or(() -> overlay == null ? Optional.empty()
                        : overlay.overlay().roster().spec(peer).map(spec -> spec.identity().commonName()))
                .filter(name -> !name.isEmpty());
    }

    /** Keeps a gossip connection to {@code peer}, once, and names it by {@code endpoint} in the status. */
    private void connectGossip(PkiId peer, HostPort endpoint) {
        if (neighbourNames.putIfAbsent(peer, endpoint.toString()) == null) {
            gossip.connect(peer, endpoint.host(), endpoint.port());
        }
    }

    /** The node's overlay, if its config has an {@code overlay:} section: {@code send(target, payload)} goes there. */
    public Optional<PeerOverlay> overlay() {
        return Optional.ofNullable(overlay).map(OverlayReport::overlay);
    }

    /**
     * Hands every payload routed to this node to {@code subscriber}, on the inbox's own executor, in arrival order;
     * closing the result unsubscribes. A subscriber that is slow costs its own payloads (counted as dropped once
     * {@value RoutedInbox#PENDING_MAX} wait), never the overlay's progress.
     *
     * @throws IllegalStateException if the node runs no overlay
     */
    public AutoCloseable onRouted(Consumer<RoutedDelivery.Received> subscriber) {
        if (overlay == null) {
            throw new IllegalStateException(config.name() + " runs no overlay: add an overlay section to its config");
        }
        return overlay.inbox().subscribe(subscriber);
    }

    /** The duty of leading {@code channelId}: a fresh intake of the orderer's blocks for each term as leader. */
    private LeaderDuty leaderDuty(String channelId, ChannelGossip channel, TlsCredentials tls) {
        if (!config.leader().mayLead()) {
            return new LeaderDuty(() -> {
                throw new IllegalStateException(config.name() + " is configured never to lead (leader: none)");
            });
        }
        if (ordererChannel == null) {
            // One channel to the orderer for every channel's intake; gRPC connects it lazily, at the first stream.
            var address = config.orderer().orElseThrow();
            ordererChannel = OrdererBlockIntake.dial(address.host(), address.port(), tls, config.requestBytesMax());
            ordererChannels.add(ordererChannel);
        }
        ManagedChannel toOrderer = ordererChannel;
        Ledger ledger = ledgers.get(channelId);
        return new LeaderDuty(() -> new OrdererBlockIntake(
                OrdererBlockIntake.Settings.forGossip(channelId, config.gossipConfig()), identity,
                ByteString.copyFrom(tls.certificateHash()), OrdererBlockIntake.grpc(toOrderer), ledger::height,
                channel::onOrdererBlock,
                NodeRuntime.scheduler(resources.serialExecutor(config.name() + "/intake/" + channelId), resources.timers()),
                RandomSource.seeded(NodeRuntime.newSeed()), InstantSource.system()));
    }

    /** A static leader leads every channel from now on; an elected one starts its elections, once it has neighbours. */
    private void startLeading() {
        switch (config.leader()) {
            case STATIC -> duties.values().forEach(LeaderDuty::onBecameLeader);
            case ELECTED -> channels.forEach((channelId, channel) ->
                    channel.elect(config.election().settings(), duties.get(channelId)));
            case NONE -> { }
        }
    }

    /** Whether this peer takes {@code channelId}'s blocks from the orderer now. */
    public boolean leads(String channelId) {
        LeaderDuty duty = duties.get(channelId);
        if (duty == null) {
            throw new IllegalArgumentException(config.name() + " does not serve channel " + channelId);
        }
        return duty.leading();
    }

    /** Whether a Deliver stream to the orderer is open for {@code channelId} now (only while leading). */
    public boolean streamsFromOrderer(String channelId) {
        LeaderDuty duty = duties.get(channelId);
        return duty != null && duty.streaming();
    }

    private static byte[] read(Path file, String option) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(option + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private Map<String, String> healthFailures() {
        Map<String, String> failures = new TreeMap<>();
        ledgers.forEach((channel, ledger) -> {
            try {
                ledger.height();
            } catch (RuntimeException e) {
                failures.put("ledger/" + channel, e.getMessage());
            }
        });
        boolean ordererReachable = duties.values().stream().anyMatch(LeaderDuty::streaming);
        boolean neighbourReachable = !gossip.network().connectedPeers().isEmpty();
        if (!ordererReachable && !neighbourReachable) {
            failures.put("network", "neither the orderer nor any neighbour is reachable");
        }
        return failures;
    }

    /** What {@code /status} shows: the node, and per channel its height, head hash and state hash. */
    public Map<String, Object> status() {
        HexFormat hex = HexFormat.of();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("name", config.name());
        status.put("mspId", config.mspId());
        status.put("endpoint", config.listen().host() + ":" + gossip.port());
        // Live: whether this peer leads any channel now; each channel's entry says which.
        status.put("leader", duties.values().stream().anyMatch(LeaderDuty::leading));
        status.put("leaderMode", config.leader().name().toLowerCase(Locale.ROOT));
        List<String> neighbours = gossip.network().connectedPeers().stream()
                .map(id -> neighbourNames.getOrDefault(id, id.toString())).sorted().toList();
        status.put("neighbours", neighbours);
        Map<String, Object> channelStatus = new TreeMap<>();
        ledgers.forEach((channel, ledger) -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("height", ledger.height());
            c.put("leader", duties.get(channel) != null && duties.get(channel).leading());
            c.put("headHash", hex.formatHex(ledger.headHash()));
            c.put("stateHash", hex.formatHex(ledger.stateHash()));
            channelStatus.put(channel, c);
        });
        status.put("channels", channelStatus);
        status.put("discovery", discoveryStatus());
        if (overlay != null) {
            status.put("overlay", overlay.status());
        }
        return status;
    }

    public String name() {
        return config.name();
    }

    public int port() {
        return gossip.port();
    }

    public int operationsPort() {
        return operations.port();
    }

    public PkiId id() {
        return identity.pkiId();
    }

    public Ledger ledger(String channelId) {
        Ledger ledger = ledgers.get(channelId);
        if (ledger == null) {
            throw new IllegalArgumentException(config.name() + " does not serve channel " + channelId);
        }
        return ledger;
    }

    public GossipPeer gossip() {
        return gossip;
    }

    /** Stops serving and closes everything in reverse order of opening; the ledgers stay on disk for a restart. */
    @Override
    public void close() {
        closeQuietly(operations);
        // The overlay before gossip: it sends over gossip's connections, and fails its callers' sends in flight.
        if (overlay != null) {
            closeQuietly(overlay.overlay());
            overlay.inbox().close();
        }
        closeQuietly(index);
        duties.values().forEach(PeerNode::closeQuietly);
        ordererChannels.forEach(ManagedChannel::shutdownNow);
        closeQuietly(gossip);
        closeQuietly(collector);
        closeQuietly(orderer);
        feeds.values().forEach(PeerNode::closeQuietly);
        serviceExecutor.shutdownNow();
        ledgers.values().forEach(PeerNode::closeQuietly);
        if (ownsResources) {
            resources.close();
        }
        LOG.info("{} stopped", config.name());
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
}
