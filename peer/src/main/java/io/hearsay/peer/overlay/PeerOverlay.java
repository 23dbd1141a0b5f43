package io.hearsay.peer.overlay;

import io.hearsay.discovery.anchor.Anchor;
import io.hearsay.discovery.anchor.AnchorAttachment;
import io.hearsay.discovery.anchor.AnchorCounters;
import io.hearsay.discovery.anchor.AnchorLoad;
import io.hearsay.discovery.anchor.AnchorMessage;
import io.hearsay.discovery.anchor.AttachmentListener;
import io.hearsay.discovery.auth.AuthenticatedChannel;
import io.hearsay.discovery.auth.EcdsaAuthenticator;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.discovery.membership.Membership;
import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.discovery.routing.AnchorRoutes;
import io.hearsay.discovery.routing.DeliveryOutcome;
import io.hearsay.discovery.routing.RouteMessage;
import io.hearsay.discovery.routing.RouteTable;
import io.hearsay.discovery.routing.RoutedDelivery;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.identity.Identity;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.PkiId;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.peer.overlay.OverlayCounters.Refusal;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.runtime.NodeRuntime;
import io.hearsay.peer.runtime.SerialExecutor;
import io.hearsay.peer.transport.GossipNetwork;
import io.hearsay.peer.wire.OverlayMessage;
import io.hearsay.peer.wire.OverlayWire;
import io.hearsay.peer.wire.PeerEndpoints;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's overlay of anchors (DESIGN.md, "Hybrid super-nodes") on the node's {@link GossipNetwork}: the simulator's
 * {@link Anchor} core on an anchor, its {@link AnchorAttachment} core on an ordinary peer (dual-homed), and {@link
 * RoutedDelivery} on both, behind an {@link AuthenticatedChannel} with the overlay's own {@link OverlayCodec}. All of
 * it runs on one {@link SerialExecutor}, so the cores stay single-threaded.
 *
 * <pre>
 *   gRPC thread: frame ─▶ EnvelopeWire.decode ─▶ overlay serial: OrganizationRules ─▶ AuthenticatedChannel ─▶ learn endpoints
 *                                                                                      ─▶ Anchor | AnchorAttachment | RoutedDelivery
 *   serial: core ─▶ add endpoints the receiver's organisation may see ─▶ sign ─▶ OverlayWire.encode ─▶ AnchorLinks
 *           (dials an anchor as needed, holds its messages meanwhile) ─▶ GossipNetwork.send (control lane)
 * </pre>
 *
 * Organisation visibility: a peer's endpoints go to a peer of another organisation as its external endpoint only (none:
 * it is not described at all, though anchors still route to it by PKI-ID); see {@link OrganizationRules} for what is
 * refused on arrival. Endpoints reach other peers on {@code Attach} (child → anchor) and on announcements (anchor →
 * anchor), which is what every anchor learns ({@link State#learnedEndpoints()}).
 *
 * <p>Thread-safe: public methods hand work to the serial executor.
 */
public final class PeerOverlay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerOverlay.class);
    /** How long another thread waits for the overlay's executor to answer or stop. */
    private static final java.time.Duration QUERY_TIMEOUT = java.time.Duration.ofSeconds(10);
    /** Children whose endpoints an anchor keeps from their attaches; beyond it new ones are not kept. */
    static final int CHILD_ENDPOINTS_MAX = 100_000;
    /** Distinct endpoint strings remembered as heard, for the status and tests; beyond it new ones are not kept. */
    static final int HEARD_ENDPOINTS_MAX = 10_000;

    /**
     * The node this overlay runs on, grouped so the constructor stays short.
     *
     * @param organizations the MSPs the node's connections are validated against (used to validate anchor specs)
     * @param drops told of each refused or dropped message with its reason (the node's rate-limited drop log)
     */
    public record Node(String name, SigningIdentity identity, GossipNetwork network, MspDirectory organizations,
            NodeResources resources, BiConsumer<PkiId, String> drops) {}

    /**
     * What the overlay holds now, copied so another thread may keep it.
     *
     * @param parents an ordinary peer's parent anchors; empty on an anchor
     * @param children an anchor's attached peers; empty on an ordinary peer
     * @param knownAnchors the live anchors an anchor knows, with their loads; empty on an ordinary peer
     * @param learnedEndpoints what this peer was told of other peers' endpoints (children's own, other anchors'
     *     children), as it keeps them
     * @param endpointsHeard every endpoint string that arrived here in an overlay message, kept or not
     * @param anchorCounters what the anchor or attachment core did (join requests served, attaches, parents lost …)
     * @param anchorRejections what the anchor or attachment core refused, by reason
     * @param refusals what the overlay refused before the cores, by reason
     * @param drops what the authentication layer dropped, by reason
     * @param routing routed delivery's counters
     */
    public record State(boolean anchor, List<PkiId> parents, List<PkiId> children, List<AnchorLoad> knownAnchors,
            SortedMap<PkiId, PeerEndpoints> learnedEndpoints, SortedSet<String> endpointsHeard,
            Map<AnchorCounters.Counter, Long> anchorCounters, Map<AnchorCounters.Rejection, Long> anchorRejections, Map<Refusal, Long> refusals,
            Map<AuthenticatedChannel.Drop, Long> drops, Map<RoutedDelivery.Counter, Long> routing) {}

    private final String name;
    private final PkiId self;
    private final SerialExecutor serial;
    private final GossipNetwork network;
    private final BiConsumer<PkiId, String> dropLog;
    private final OverlayRoster roster;
    private final OrganizationRules rules;
    private final PeerEndpoints ownEndpoints;
    private final OverlayCounters counters = new OverlayCounters();
    private final AnchorLinks links;
    private final AuthenticatedChannel<OverlayMessage> channel;
    private final Anchor anchor;
    private final AnchorAttachment attachment;
    private final RoutedDelivery delivery;
    /** An anchor's children's endpoints as they told them on attach; pruned to the children at each announcement. */
    private final TreeMap<PkiId, PeerEndpoints> childEndpoints = new TreeMap<>();
    /**
     * Other anchors' children's endpoints as each anchor last announced them (anchor → child → endpoints): replaced
     * whole by each announcement, so a child that left an anchor drops out, and one peer described by several anchors
     * (one of its organisation, which may tell its internal endpoint, one of another, which may not) keeps both.
     */
    private final TreeMap<PkiId, SortedMap<PkiId, PeerEndpoints>> learned = new TreeMap<>();
    private final TreeSet<String> heard = new TreeSet<>();
    /** This peer's own sends not yet completed: failed at close, so no caller waits forever. */
    private final Set<CompletableFuture<DeliveryOutcome>> sending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private PeerOverlay(Node node, OverlaySettings settings, Consumer<RoutedDelivery.Received> inbox) {
        this.name = node.name() + "/overlay";
        this.self = node.identity().pkiId();
        this.serial = node.resources().serialExecutor(name);
        this.network = node.network();
        this.dropLog = node.drops();
        PeerRuntime runtime = NodeRuntime.of(serial, node.resources().timers(), NodeRuntime.newSeed());
        this.roster = OverlayRoster.build(settings.anchors(), node.organizations(), settings.channelOrganizations());
        for (String refusal : roster.refusals()) {
            counters.refuse(Refusal.ANCHOR_SPEC_REFUSED);
            LOG.warn("{}: {}", name, refusal);
        }
        String organization = node.identity().mspId();
        boolean isAnchor = roster.roster().isAnchorOf(organization, self);
        this.rules = new OrganizationRules(organization, isAnchor, !settings.externalEndpoint().isEmpty(),
                settings.channelOrganizations());
        String external = isAnchor ? roster.spec(self).orElseThrow().endpoint() : settings.externalEndpoint();
        this.ownEndpoints = new PeerEndpoints(self, organization, settings.internalEndpoint(), external);
        this.links = new AnchorLinks(network, roster, runtime.clock(), runtime.scheduler(), counters,
                settings.heldPerPeerMax(), settings.connectWaitMillis());
        Set<String> known = settings.channelOrganizations();
        Membership membership = new Membership() {
            @Override
            public PkiId self() {
                return self;
            }

            @Override
            public PeerSet neighbours() {
                return PeerSet.empty();
            }

            @Override
            public Optional<String> organization(PkiId peer) {
                return network.identity(peer).map(Identity::mspId).filter(known::contains);
            }
        };
        // Sequence numbers must exceed every one a previous incarnation used: start at the wall clock in microseconds.
        long firstSequence = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        this.channel = new AuthenticatedChannel<>(self, new EcdsaAuthenticator(node.identity(), network::identity),
                new OverlayCodec(), membership, runtime.clock(), settings.integrity(),
                (to, signed) -> links.send(to, OverlayWire.encode(signed)), this::onAuthenticated, dropLog, firstSequence);
        Transport<AnchorMessage> anchorTransport = (to, message) -> channel.transport().send(to, withEndpoints(to, message));
        Transport<RouteMessage> routeTransport = (to, message) -> channel.transport().send(to, new OverlayMessage.Routing(message));
        RouteTable table;
        if (isAnchor) {
            this.anchor = new Anchor(self, organization, Instant.now().toEpochMilli(), roster.roster(), settings.join(),
                    new Anchor.Collaborators(runtime.fork(), anchorTransport,
                            (from, reason, detail) -> dropLog.accept(from, "anchor refused (" + reason + "): " + detail)));
            this.attachment = null;
            table = AnchorRoutes.of(anchor);
        } else {
            this.anchor = null;
            this.attachment = new AnchorAttachment(self, roster.roster(), settings.join(), new AnchorAttachment.Collaborators(
                    runtime.fork(), anchorTransport, new AttachmentListener() {
                        @Override
                        public void onParentsChanged(List<PkiId> parents) {
                            LOG.debug("{}: parents now {}", name, parents);
                        }

                        @Override
                        public void onJoinRoundFailed() {
                            LOG.warn("{}: no anchor answered a join request; trying again after the rejoin backoff", name);
                        }

                        @Override
                        public void rejected(PkiId from, AnchorCounters.Rejection reason, String detail) {
                            dropLog.accept(from, "attachment refused (" + reason + "): " + detail);
                        }
                    }));
            table = AnchorRoutes.of(attachment);
        }
        this.delivery = new RoutedDelivery(self, settings.routing(), new RoutedDelivery.Collaborators(runtime.fork(),
                routeTransport, table, inbox));
    }

    /**
     * Starts the overlay on {@code node}: an anchor starts announcing, an ordinary peer joins. {@code inbox} gets each
     * payload routed to this peer, once, on the overlay's serial executor; it must not block.
     *
     * @throws IllegalArgumentException if the settings name no usable anchor
     */
    public static PeerOverlay start(Node node, OverlaySettings settings, Consumer<RoutedDelivery.Received> inbox) {
        PeerOverlay overlay = new PeerOverlay(node, settings, inbox);
        overlay.serial.execute(() -> {
            if (overlay.anchor != null) {
                overlay.anchor.start();
            } else {
                overlay.attachment.start();
            }
        });
        LOG.info("{}: overlay started as {} with {} anchors", overlay.name, overlay.isAnchor() ? "an anchor" : "an ordinary peer",
                overlay.roster.specs().size());
        return overlay;
    }

    /**
     * A decoded, not yet authenticated overlay message from {@code from} (its handshake identity); handled on the
     * serial executor, then {@code done} runs so the connection reads on.
     */
    public void onEnvelope(PkiId from, SignedMessage<OverlayMessage> signed, Runnable done) {
        if (closed) {
            done.run();
            return;
        }
        serial.handle(() -> {
            if (closed) {
                return;
            }
            Optional<String> organization = network.identity(from).map(Identity::mspId);
            Optional<Refusal> refusal = rules.refusal(organization, signed.message());
            if (refusal.isPresent()) {
                counters.refuse(refusal.get());
                dropLog.accept(from, "overlay refused a message from " + organization.orElse("an unknown organisation")
                        + " (" + refusal.get() + ")");
                return;
            }
            channel.onMessage(from, signed);
        }, done);
    }

    /**
     * Routes {@code payload} to {@code target}: the future completes with {@code Delivered} or {@code Failed(hop, reason)}
     * within the routing deadline (hops × per-hop timeout), and with {@code Failed(0, …)} if the overlay closes first.
     */
    public CompletableFuture<DeliveryOutcome> send(PkiId target, byte[] payload) {
        CompletableFuture<DeliveryOutcome> result = new CompletableFuture<>();
        if (closed) {
            result.complete(new DeliveryOutcome.Failed(0, "the overlay of " + name + " is closed"));
            return result;
        }
        // Added before the task is queued: a close that drops the queued task still finds and fails this send.
        sending.add(result);
        serial.execute(() -> {
            if (closed) {
                result.complete(new DeliveryOutcome.Failed(0, "the overlay of " + name + " is closed"));
                return;
            }
            delivery.send(target, payload.clone(), outcome -> {
                sending.remove(result);
                result.complete(outcome);
            });
        });
        return result;
    }

    // ---- inbound, authenticated ----

    private void onAuthenticated(PkiId from, OverlayMessage message) {
        if (message instanceof OverlayMessage.Routing routing) {
            delivery.onMessage(from, routing.message());
            return;
        }
        OverlayMessage.Anchoring anchoring = (OverlayMessage.Anchoring) message;
        learn(from, anchoring);
        if (anchor != null) {
            anchor.onMessage(from, anchoring.message());
        } else {
            attachment.onMessage(from, anchoring.message());
        }
    }

    /** Keeps what an anchor may know of endpoints: a child's own on attach, other anchors' children's on announcements. */
    private void learn(PkiId from, OverlayMessage.Anchoring anchoring) {
        anchoring.endpoints().forEach(endpoints -> {
            hear(endpoints.internalEndpoint());
            hear(endpoints.externalEndpoint());
        });
        if (anchor == null) {
            return;
        }
        if (anchoring.message() instanceof AnchorMessage.Attach) {
            String organization = network.identity(from).map(Identity::mspId).orElseThrow();
            for (PeerEndpoints told : anchoring.endpoints()) {
                // The child's organisation is the one its handshake proved, whatever the message says.
                PeerEndpoints own = new PeerEndpoints(from, organization, told.internalEndpoint(), told.externalEndpoint());
                if (childEndpoints.containsKey(from) || childEndpoints.size() < CHILD_ENDPOINTS_MAX) {
                    childEndpoints.put(from, admit(from, own, organization));
                }
            }
        } else if (anchoring.message() instanceof AnchorMessage.Announcement announcement
                && announcement.anchor().equals(from)
                && roster.roster().isAnchorOf(announcement.organization(), from)) {
            // Bounded: the roster's anchors, each announcing at most the wire's bound of children.
            SortedMap<PkiId, PeerEndpoints> children = new TreeMap<>();
            for (PeerEndpoints told : anchoring.endpoints()) {
                children.put(told.peer(), admit(from, told, announcement.organization()));
            }
            learned.put(from, children);
        }
    }

    private PeerEndpoints admit(PkiId from, PeerEndpoints told, String senderOrganization) {
        if (rules.leaksInternal(told, senderOrganization)) {
            counters.refuse(Refusal.FOREIGN_INTERNAL_ENDPOINT);
            dropLog.accept(from, "sent the internal endpoint of " + told.peer() + " of " + told.organization()
                    + " across an organisation's border; discarded");
        }
        return rules.admit(told, senderOrganization);
    }

    private void hear(String endpoint) {
        if (!endpoint.isEmpty() && heard.size() < HEARD_ENDPOINTS_MAX) {
            heard.add(endpoint);
        }
    }

    /**
     * What this anchor knows of other peers' endpoints: its own children's, then those live anchors announced; of
     * two descriptions of one peer the fuller (with the internal endpoint) wins, so a peer of this organisation
     * attached to an anchor of another is still known by its internal endpoint here.
     */
    private SortedMap<PkiId, PeerEndpoints> learnedEndpoints() {
        SortedMap<PkiId, PeerEndpoints> endpoints = new TreeMap<>(childEndpoints);
        learned.forEach((announcer, children) -> {
            if (anchor != null && anchor.isLiveAnchor(announcer)) {
                children.forEach((peer, told) -> endpoints.merge(peer, told,
                        (held, other) -> held.internalEndpoint().isEmpty() && !other.internalEndpoint().isEmpty() ? other : held));
            }
        });
        return endpoints;
    }

    // ---- outbound ----

    /** The core's message with the endpoints {@code to}'s organisation may see. */
    private OverlayMessage withEndpoints(PkiId to, AnchorMessage message) {
        // Only anchors receive endpoints (attaches and announcements go to anchors); their organisation is the roster's.
        String receiver = roster.organization(to).orElse("");
        if (message instanceof AnchorMessage.Attach) {
            return new OverlayMessage.Anchoring(message, ownEndpoints.isVisibleTo(receiver)
                    ? List.of(ownEndpoints.visibleTo(receiver)) : List.of());
        }
        if (message instanceof AnchorMessage.Announcement announcement) {
            childEndpoints.keySet().retainAll(new HashSet<>(announcement.children()));
            List<PeerEndpoints> visible = new ArrayList<>();
            for (PkiId child : announcement.children()) {
                PeerEndpoints endpoints = childEndpoints.get(child);
                if (endpoints != null && endpoints.isVisibleTo(receiver)) {
                    visible.add(endpoints.visibleTo(receiver));
                }
            }
            return new OverlayMessage.Anchoring(message, visible);
        }
        return new OverlayMessage.Anchoring(message);
    }

    // ---- queries ----

    public boolean isAnchor() {
        return anchor != null;
    }

    public PkiId self() {
        return self;
    }

    public OverlayRoster roster() {
        return roster;
    }

    /** Refusals and link counters; any thread. */
    public OverlayCounters counters() {
        return counters;
    }

    /**
     * On an anchor: the live anchors {@code peer} is attached to as this anchor knows it (itself included if {@code peer}
     * is its child), in PKI-ID order — where a route to {@code peer} would go. Empty on an ordinary peer.
     */
    public List<PkiId> anchorsOf(PkiId peer) {
        return onSerial(() -> {
            if (anchor == null) {
                return List.<PkiId>of();
            }
            TreeSet<PkiId> anchors = new TreeSet<>(anchor.anchorsOf(peer));
            if (anchor.isChild(peer)) {
                anchors.add(self);
            }
            return List.copyOf(anchors);
        });
    }

    /** A copy of what the overlay holds now, taken on the serial executor. */
    public State state() {
        return onSerial(() -> {
            Map<RoutedDelivery.Counter, Long> routing = new EnumMap<>(RoutedDelivery.Counter.class);
            for (RoutedDelivery.Counter counter : RoutedDelivery.Counter.values()) {
                routing.put(counter, delivery.get(counter));
            }
            SortedMap<PkiId, PeerEndpoints> endpoints = learnedEndpoints();
            AnchorCounters core = anchor != null ? anchor.counters() : attachment.counters();
            Map<AnchorCounters.Counter, Long> coreCounters = new EnumMap<>(AnchorCounters.Counter.class);
            for (AnchorCounters.Counter counter : AnchorCounters.Counter.values()) {
                coreCounters.put(counter, core.get(counter));
            }
            return new State(anchor != null, attachment != null ? attachment.parents() : List.of(),
                    anchor != null ? anchor.children() : List.of(), anchor != null ? anchor.knownAnchors() : List.of(),
                    endpoints, new TreeSet<>(heard), coreCounters, core.rejections(), counters.refusals(), channel.drops(), routing);
        });
    }

    private <T> T onSerial(Supplier<T> query) {
        return serial.query(query, QUERY_TIMEOUT);
    }

    /** Leaves politely: an ordinary peer tells its parents it detaches, then the overlay closes. */
    public void leave() {
        if (attachment != null && !closed) {
            CompletableFuture<Void> detached = new CompletableFuture<>();
            serial.execute(() -> {
                attachment.stop();
                detached.complete(null);
            });
            detached.completeOnTimeout(null, 5, TimeUnit.SECONDS).join();
        }
        close();
    }

    /**
     * Stops as a crash would (no word to parents or children), fails this peer's sends still in flight, and stops the
     * serial executor.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        serial.stop(() -> {
            closed = true;
            if (anchor != null) {
                anchor.stop();
            } else {
                attachment.halt();
            }
            links.close();
        }, QUERY_TIMEOUT);
        closed = true;
        for (CompletableFuture<DeliveryOutcome> pending : List.copyOf(sending)) {
            pending.complete(new DeliveryOutcome.Failed(0, "the overlay of " + name + " closed"));
        }
        sending.clear();
    }
}
