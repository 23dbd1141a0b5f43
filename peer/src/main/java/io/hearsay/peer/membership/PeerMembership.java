package io.hearsay.peer.membership;

import io.hearsay.discovery.auth.AuthenticatedChannel;
import io.hearsay.discovery.auth.EcdsaAuthenticator;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.swim.AliveRecord;
import io.hearsay.discovery.swim.MemberMetadata;
import io.hearsay.discovery.swim.MemberRole;
import io.hearsay.discovery.swim.MemberStatus;
import io.hearsay.discovery.swim.MembershipListener;
import io.hearsay.discovery.swim.SwimCounters;
import io.hearsay.discovery.swim.SwimMembership;
import io.hearsay.discovery.swim.SwimMessage;
import io.hearsay.discovery.view.NeighbourView;
import io.hearsay.identity.Identity;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.PkiId;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.peer.membership.MembershipCounters.Counter;
import io.hearsay.peer.membership.MembershipCounters.Refusal;
import io.hearsay.peer.membership.MembershipSettings.Seed;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.runtime.NodeRuntime;
import io.hearsay.peer.runtime.SerialExecutor;
import io.hearsay.peer.transport.GossipNetwork;
import io.hearsay.peer.transport.HeldSends;
import io.hearsay.peer.wire.MembershipWire;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's membership of its own organisation on the node's {@link GossipNetwork}: the simulator's {@link
 * SwimMembership} (failure detection, dissemination) and {@link NeighbourView} (minimum-degree views) behind an {@link
 * AuthenticatedChannel} with the {@link MembershipCodec}, all on one {@link SerialExecutor}, so the cores stay
 * single-threaded. Within an organisation every peer may know every peer (DESIGN.md, "Discovery"): a membership
 * message from a peer of another organisation is refused before SWIM sees it, and only identities of this
 * organisation's members are kept, so a record of another organisation's peer never enters the membership.
 *
 * <pre>
 *   gRPC thread: frame ─▶ EnvelopeWire.decode ─▶ membership serial: same organisation? ─▶ learn carried identities
 *                                                 ─▶ AuthenticatedChannel ─▶ SwimMembership
 *   serial: SWIM ─▶ sign ─▶ MembershipWire.encode (+ identities) ─▶ HeldSends (dials a member, holds meanwhile)
 *           ─▶ GossipNetwork.send (control lane)
 *   SWIM listener: alive ─▶ keep a connection to the member's internal endpoint; dead / alive / forgotten ─▶
 *           NeighbourView.refresh ─▶ added: a block-gossip neighbour of every channel; removed: no longer one
 *   a block-gossip message from a live member not in the view (it picked this node) ─▶ NeighbourView.accept
 * </pre>
 *
 * Joining: each seed is dialled; once its connection is up and its handshake shows it is of this organisation, it gets
 * SWIM's join (this node's table, reply wanted), repeated every {@value #JOIN_RETRY_MILLIS} ms until some member is
 * known. A seed of another organisation is ignored with a warning. A member that speaks to this node before this node
 * knows it is asked for its table at once (an introduction), so a record lost at start is not missed for a whole
 * sync interval.
 *
 * <p>Thread-safe: public methods hand work to the serial executor.
 */
public final class PeerMembership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerMembership.class);
    /** How long another thread waits for the membership's executor to answer or stop. */
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);
    /** Identities learned from alive records; an organisation larger than this is not one SWIM table serves. */
    public static final int IDENTITIES_MAX = 10_000;
    /** While no member is known, the seeds are asked again this often: a few probe periods, a dial's time. */
    static final long JOIN_RETRY_MILLIS = 500;
    /** Messages held for one member while it is dialled: a ping, an ack, a ping-request, gossip and a sync, with room. */
    static final int HELD_PER_MEMBER_MAX = 32;
    /**
     * How long held messages wait for a member's connection: a loopback or LAN dial with TLS and the handshake takes tens
     * of ms; longer than a few probe periods (100 ms on a LAN) no held probe still helps, SWIM has moved on.
     */
    static final long CONNECT_WAIT_MILLIS = 1_000;
    /** Unknown members being introduced at once; beyond it, more wait for the periodic sync. */
    static final int INTRODUCTIONS_MAX = 1_024;

    /**
     * The node this membership runs on, grouped so the constructor stays short.
     *
     * @param organizations the MSPs identities carried with alive records are validated against
     * @param drops told of each refused or dropped message with its reason (the node's rate-limited drop log)
     * @param links the node's connections and channels, which membership asks to keep members and view neighbours
     * @param role what this node says it is in its alive record (an anchor, if the overlay made it one)
     */
    public record Node(String name, SigningIdentity identity, GossipNetwork network, MspDirectory organizations,
            NodeResources resources, BiConsumer<PkiId, String> drops, GossipLinks links, MemberRole role) {}

    /**
     * What the membership holds now, copied so another thread may keep it.
     *
     * @param live live members (alive or suspect), self excluded, with their internal endpoints
     * @param dead members declared dead and not yet forgotten
     * @param view this node's view: the members it gossips blocks with, its own picks and those it accepted
     * @param swim what SWIM did (probes, suspicions, deaths …)
     * @param rejections updates SWIM refused, by reason
     * @param refusals what the membership refused before SWIM, by reason
     * @param links what the membership's links did (held, dropped, joins)
     * @param drops what the authentication layer dropped, by reason
     */
    public record State(SortedMap<PkiId, String> live, SortedSet<PkiId> dead, List<PkiId> view,
            Map<SwimCounters.Counter, Long> swim, Map<SwimCounters.Rejection, Long> rejections, Map<Refusal, Long> refusals,
            Map<Counter, Long> links, Map<AuthenticatedChannel.Drop, Long> drops) {}

    private final String name;
    private final PkiId self;
    private final String organization;
    private final SerialExecutor serial;
    private final PeerRuntime runtime;
    private final GossipNetwork network;
    private final GossipLinks links;
    private final BiConsumer<PkiId, String> dropLog;
    private final MembershipCounters counters = new MembershipCounters();
    private final MemberIdentities identities;
    private final HeldSends sends;
    private final AuthenticatedChannel<SwimMessage> channel;
    private final SwimMembership swim;
    private final NeighbourView view;
    /** Seeds not yet found to be of another organisation, in PKI-ID order. */
    private final TreeMap<PkiId, Seed> seeds = new TreeMap<>();
    private final TreeSet<PkiId> dead = new TreeSet<>();
    /** Unknown members that spoke to this node, with when they were last asked for their table (introductions). */
    private final TreeMap<PkiId, Long> introductions = new TreeMap<>();
    /** Peers whose request to be a neighbour (a gossip link to us) was decided: accepted, or refused at maxDegree. */
    private final TreeSet<PkiId> offersDecided = new TreeSet<>();
    /** Peers with an offer queued on the serial executor: at most one each, however many messages they send. */
    private final Set<PkiId> offersQueued = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private PeerMembership(Node node, MembershipSettings settings) {
        this.name = node.name() + "/membership";
        this.self = node.identity().pkiId();
        this.organization = node.identity().mspId();
        this.serial = node.resources().serialExecutor(name);
        this.runtime = NodeRuntime.of(serial, node.resources().timers(), NodeRuntime.newSeed());
        this.network = node.network();
        this.links = node.links();
        this.dropLog = node.drops();
        this.identities = new MemberIdentities(node.identity().identity(), node.organizations(), network::identity,
                counters, dropLog, IDENTITIES_MAX);
        this.sends = new HeldSends(network, runtime.clock(), runtime.scheduler(), event -> counters.increment(switch (event) {
            case HELD -> Counter.HELD_FOR_CONNECTION;
            case HELD_DROPPED -> Counter.HELD_DROPPED;
            case NOT_CONNECTED -> Counter.NOT_CONNECTED;
        }), this::dial, HELD_PER_MEMBER_MAX, CONNECT_WAIT_MILLIS);
        for (Seed seed : settings.seeds()) {
            if (!seed.id().equals(self)) {
                seeds.put(seed.id(), seed);
            }
        }
        EcdsaAuthenticator authenticator = new EcdsaAuthenticator(node.identity(), identities::of);
        // Sequence numbers must exceed every one a previous incarnation used: start at the wall clock in microseconds.
        long firstSequence = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        this.channel = new AuthenticatedChannel<>(self, authenticator, new MembershipCodec(), identities, runtime.clock(),
                settings.integrity(), (to, signed) -> sends.send(to, MembershipWire.encode(signed, identities::serialized)),
                this::onAuthenticated, dropLog, firstSequence);
        // The first incarnation must exceed every one an earlier run used: the wall clock in milliseconds.
        SwimMembership.LocalMember local = new SwimMembership.LocalMember(self, organization, settings.internalEndpoint(), "",
                MemberMetadata.of(node.role()), Instant.now().toEpochMilli());
        this.swim = new SwimMembership(settings.swim(), local, new SwimMembership.Collaborators(runtime.fork(),
                channel.transport(), authenticator, identities::organization, new Listener()));
        this.view = new NeighbourView(self, settings.view(), runtime.fork().random());
    }

    /**
     * Starts the membership on {@code node}: SWIM probes and gossips, the seeds are dialled and joined through.
     *
     * @throws IllegalArgumentException if the settings are not usable
     */
    public static PeerMembership start(Node node, MembershipSettings settings) {
        PeerMembership membership = new PeerMembership(node, settings);
        membership.serial.execute(membership::begin);
        LOG.info("{}: membership of {} started with {} seeds", membership.name, membership.organization,
                membership.seeds.size());
        return membership;
    }

    private void begin() {
        swim.start();
        // Queues this node's own record (there is no seed to send it to yet), so its first pings and acks announce it:
        // a node with no seeds, or one restarted while others hold it dead, is found by whoever probes it.
        swim.join(List.of());
        seeds.values().forEach(seed -> links.keepMember(seed.id(), seed.host(), seed.port()));
        if (!seeds.isEmpty()) {
            joinRound();
        }
    }

    /** Joins through every seed whose connection is up, until some member is known; then stops asking. */
    private void joinRound() {
        if (closed || swim.liveMembers() > 0) {
            return;
        }
        for (Seed seed : List.copyOf(seeds.values())) {
            Optional<Identity> proved = network.identity(seed.id());
            if (!network.isConnected(seed.id()) || proved.isEmpty()) {
                continue;
            }
            if (!proved.get().mspId().equals(organization)) {
                seeds.remove(seed.id());
                counters.refuse(Refusal.FOREIGN_SEED);
                LOG.warn("{}: seed {} at {}:{} belongs to {}, not {}; ignored: membership stays within one organisation",
                        name, seed.id(), seed.host(), seed.port(), proved.get().mspId(), organization);
                links.releaseMember(seed.id());
                continue;
            }
            counters.increment(Counter.JOINS);
            swim.join(List.of(seed.id()));
        }
        if (!seeds.isEmpty()) {
            runtime.scheduler().schedule(JOIN_RETRY_MILLIS, this::joinRound);
        } else {
            LOG.warn("{}: no seed of {} is left to join through; waiting to be found", name, organization);
        }
    }

    // ---- inbound ----

    /**
     * A decoded, not yet authenticated membership message from {@code from} (its handshake identity); handled on the
     * serial executor, then {@code done} runs so the connection reads on.
     */
    public void onEnvelope(PkiId from, MembershipWire.Received received, Runnable done) {
        if (closed) {
            done.run();
            return;
        }
        serial.handle(() -> {
            if (closed) {
                return;
            }
            Optional<String> senderOrganization = network.identity(from).map(Identity::mspId);
            if (!senderOrganization.equals(Optional.of(organization))) {
                counters.refuse(Refusal.FOREIGN_ORGANIZATION);
                dropLog.accept(from, "a membership request from a peer that may not know us is refused: the sender is of "
                        + senderOrganization.orElse("an unknown organisation") + ", membership is within " + organization);
                return;
            }
            identities.learn(from, received.identities());
            channel.onMessage(from, received.signed());
        }, done);
    }

    private void onAuthenticated(PkiId from, SwimMessage message) {
        swim.onMessage(from, message);
        if (swim.status(from).isEmpty()) {
            introduce(from);
        }
    }

    /**
     * A member of this organisation spoke to this node before this node knew it: it learned this node from someone, but
     * its own record did not reach here (piggybacked updates are sent a bounded number of times, and a message can be
     * lost when two dials cross). Exchanging tables with it (SWIM's join, to it) repairs that now rather than at the
     * next periodic sync; at most once per {@value #JOIN_RETRY_MILLIS} ms per peer.
     */
    private void introduce(PkiId peer) {
        long now = runtime.clock().nowMillis();
        Long last = introductions.get(peer);
        if ((last != null && now - last < JOIN_RETRY_MILLIS) || (last == null && introductions.size() >= INTRODUCTIONS_MAX)) {
            return;
        }
        introductions.put(peer, now);
        counters.increment(Counter.INTRODUCTIONS);
        swim.join(List.of(peer));
    }

    /**
     * A block-gossip message arrived from {@code peer}, which is not a gossip neighbour of this node: a member that
     * picked this node opened its link. Accepted into the view while the view has room ({@link NeighbourView#accept}).
     * Any thread; cheap when repeated.
     */
    public void onGossipFrom(PkiId peer) {
        if (closed || !offersQueued.add(peer)) {
            return;
        }
        serial.execute(() -> {
            try {
                if (closed || offersDecided.contains(peer) || !swim.status(peer).map(MemberStatus::isLive).orElse(false)) {
                    // Not (yet) a live member: undecided, so its next message asks again once SWIM knows it.
                    return;
                }
                offersDecided.add(peer);
                if (view.accept(peer)) {
                    LOG.debug("{}: accepted {} into the view (it picked this node)", name, peer);
                    endpoint(peer).ifPresent(endpoint -> links.addViewNeighbour(peer, endpoint.host(), endpoint.port()));
                }
            } finally {
                offersQueued.remove(peer);
            }
        });
    }

    // ---- SWIM's events ----

    private final class Listener implements MembershipListener {
        @Override
        public void memberAlive(AliveRecord record) {
            dead.remove(record.peer());
            introductions.remove(record.peer());
            endpoint(record.peer()).ifPresent(endpoint -> links.keepMember(record.peer(), endpoint.host(), endpoint.port()));
            refreshView();
        }

        @Override
        public void memberDead(PkiId member, long incarnation, PkiId accuser) {
            LOG.info("{}: {} is dead (incarnation {}, declared by {})", name, member, incarnation,
                    accuser.equals(self) ? "this node" : accuser);
            dead.add(member);
            offersDecided.remove(member);
            refreshView();
        }

        @Override
        public void memberForgotten(PkiId member) {
            dead.remove(member);
            introductions.remove(member);
            identities.forget(member);
            links.releaseMember(member);
            refreshView();
        }

        @Override
        public void updateRejected(PkiId from, SwimCounters.Rejection reason, String detail) {
            if (reason == SwimCounters.Rejection.STALE) {
                // Routine in epidemic dissemination: late copies of superseded updates keep arriving. Counted by SWIM.
                LOG.debug("{}: membership update from {} refused ({}): {}", name, from, reason, detail);
                return;
            }
            dropLog.accept(from, "membership update refused (" + reason + "): " + detail);
        }
    }

    /** Reconciles the view with SWIM's live members and applies what changed to the node's gossip neighbours. */
    private void refreshView() {
        NeighbourView.ViewChange change = view.refresh(swim.neighbours());
        for (PkiId removed : change.removed()) {
            offersDecided.remove(removed);
            links.removeViewNeighbour(removed);
        }
        for (PkiId added : change.added()) {
            endpoint(added).ifPresent(endpoint -> links.addViewNeighbour(added, endpoint.host(), endpoint.port()));
        }
        if (!change.isEmpty()) {
            LOG.debug("{}: view now {} (removed {}, added {})", name, view.neighbours().toList(), change.removed(), change.added());
        }
    }

    // ---- lookups for the links and the authenticator ----

    /**
     * A member's internal endpoint, as its alive record (or its seed entry) gives it; also where membership messages to
     * it are dialled, dead members included, so one wrongly declared dead (or restarted) hears of it and refutes.
     */
    private Optional<Endpoint> endpoint(PkiId peer) {
        Optional<Endpoint> recorded = swim.record(peer).flatMap(record -> Endpoint.parse(record.internalEndpoint()));
        if (recorded.isPresent()) {
            return recorded;
        }
        Seed seed = seeds.get(peer);
        return seed == null ? Optional.empty() : Optional.of(new Endpoint(seed.host(), seed.port()));
    }

    /** How to dial {@code peer} if a message to it finds no connection: at its endpoint, kept as a member's. */
    private Optional<Runnable> dial(PkiId peer) {
        return endpoint(peer).map(endpoint -> () -> links.keepMember(peer, endpoint.host(), endpoint.port()));
    }

    // ---- queries ----

    public PkiId self() {
        return self;
    }

    public String organization() {
        return organization;
    }

    /** Refusals and link counters; any thread. */
    public MembershipCounters counters() {
        return counters;
    }

    /** A copy of what the membership holds now, taken on the serial executor. */
    public State state() {
        return onSerial(() -> {
            SortedMap<PkiId, String> live = new TreeMap<>();
            for (PkiId member : swim.neighbours().toList()) {
                live.put(member, swim.record(member).map(AliveRecord::internalEndpoint).orElse(""));
            }
            return new State(live, new TreeSet<>(dead), new ArrayList<>(view.neighbours().toList()),
                    swim.counters().snapshot(), swim.counters().rejections(), counters.refusals(), counters.counters(),
                    channel.drops());
        });
    }

    private <T> T onSerial(Supplier<T> query) {
        return serial.query(query, QUERY_TIMEOUT);
    }

    /** Stops as a crash would (no word to the members; they find out by probing), and stops the serial executor. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        serial.stop(() -> {
            closed = true;
            swim.stop();
            sends.close();
        }, QUERY_TIMEOUT);
        closed = true;
    }
}
