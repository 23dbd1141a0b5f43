package io.hearsay.peer.election;

import io.hearsay.discovery.auth.AuthenticatedChannel;
import io.hearsay.discovery.auth.EcdsaAuthenticator;
import io.hearsay.discovery.auth.IntegrityConfig;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.discovery.election.ElectionConfig;
import io.hearsay.discovery.election.ElectionListener;
import io.hearsay.discovery.election.ElectionMessage;
import io.hearsay.discovery.election.LeaderElection;
import io.hearsay.discovery.membership.Membership;
import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.identity.Identity;
import io.hearsay.identity.PkiId;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.peer.metrics.MessageType;
import io.hearsay.peer.metrics.WireCounters;
import io.hearsay.peer.transport.GossipNetwork;
import io.hearsay.peer.wire.ElectionWire;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * One channel's leader election on a node: the simulator's {@link LeaderElection} core behind an
 * {@link AuthenticatedChannel} whose signatures are bound to the channel ({@link ElectionCodec}), over the node's
 * {@link GossipNetwork}, with a {@link ConnectedOrganizationView} of the organisation. It runs on the channel's
 * serial executor, beside block gossip, so heartbeat heights reach the view without locks.
 *
 * <pre>
 *   gRPC thread: frame ─▶ EnvelopeWire.decode ─▶ channel's serial: AuthenticatedChannel ─▶ LeaderElection
 *   serial: LeaderElection ─▶ AuthenticatedChannel (sign) ─▶ ElectionWire.encode ─▶ GossipNetwork.send (control lane)
 *   serial, every viewRefreshMillis: ConnectedOrganizationView.refresh ─▶ onPeerAlive / onPeerDead
 *   serial: LeaderElection ─▶ ElectionListener (start / stop taking the orderer's blocks)
 * </pre>
 *
 * <p>Every method but {@link #isLeader} and {@link #settings} must run on the serial executor whose scheduler
 * {@code runtime} holds.
 */
public final class ChannelElection {
    /**
     * @param election the protocol's timing (default {@link ElectionConfig#lan()}: declarations every 500 ms, a
     *     leader presumed gone after 1.5 s)
     * @param viewRefreshMillis how often the organisation view polls the open connections (default a fifth of the
     *     heartbeat interval, 100 ms on a LAN): a leader whose connections dropped is replaced this long after, far
     *     inside the leader timeout; polling costs one sorted copy of the connected peers
     */
    public record Settings(ElectionConfig election, long viewRefreshMillis) {
        public Settings {
            Objects.requireNonNull(election, "election");
            if (election.isStatic()) {
                throw new IllegalArgumentException("a static leader needs no election; start its duty directly");
            }
            if (viewRefreshMillis < 1 || viewRefreshMillis > election.heartbeatIntervalMillis()) {
                throw new IllegalArgumentException("viewRefreshMillis is " + viewRefreshMillis + "; it must be between 1 and "
                        + "the heartbeat interval (" + election.heartbeatIntervalMillis() + " ms), or a lost connection "
                        + "is noticed later than a silent leader");
            }
        }

        public static Settings of(ElectionConfig election) {
            return new Settings(election, Math.max(1, election.heartbeatIntervalMillis() / 5));
        }

        public static Settings lan() {
            return of(ElectionConfig.lan());
        }
    }

    private final Settings settings;
    private final String channelId;
    private final ConnectedOrganizationView view;
    private final AuthenticatedChannel<ElectionMessage> channel;
    private final LeaderElection election;
    private final Scheduler scheduler;
    private Scheduler.Timer refreshTimer;
    private boolean running;
    /** Read from other threads (metrics, status); written on the serial executor. */
    private volatile boolean leading;

    /**
     * @param localHeight this peer's ledger height on the channel
     * @param listener told on the serial executor when this peer starts or stops leading; must not block
     * @param drops told of each message the authentication layer refused, with the reason
     * @param wireCounters the channel's, where each election message this peer sends is counted (on the serial executor)
     */
    public ChannelElection(Settings settings, String channelId, SigningIdentity identity, GossipNetwork network,
            PeerRuntime runtime, LongSupplier localHeight, IntegrityConfig integrity, ElectionListener listener,
            BiConsumer<PkiId, String> drops, WireCounters wireCounters) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.channelId = Objects.requireNonNull(channelId, "channelId");
        this.scheduler = runtime.scheduler();
        PkiId self = identity.pkiId();
        this.view = new ConnectedOrganizationView(self, identity.mspId(), new ConnectedOrganizationView.Neighbours() {
            @Override
            public List<PkiId> connected() {
                return network.connectedPeers();
            }

            @Override
            public Optional<String> organization(PkiId peer) {
                return network.identity(peer).map(Identity::mspId);
            }
        }, localHeight);
        Membership membership = new Membership() {
            @Override
            public PkiId self() {
                return self;
            }

            @Override
            public PeerSet neighbours() {
                return PeerSet.of(view.livePeerHeights().keySet());
            }

            @Override
            public Optional<String> organization(PkiId peer) {
                return network.identity(peer).map(Identity::mspId);
            }
        };
        Transport<SignedMessage<ElectionMessage>> wire = (to, signed) -> {
            byte[] envelope = ElectionWire.encode(channelId, signed);
            if (network.send(to, envelope, false)) {
                wireCounters.sent(MessageType.ELECTION, envelope.length);
            }
        };
        // Sequence numbers must exceed every one a previous incarnation used: start at the wall clock in microseconds.
        long firstSequence = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        this.channel = new AuthenticatedChannel<>(self, new EcdsaAuthenticator(identity, network::identity),
                ElectionCodec.forChannel(channelId), membership, runtime.clock(), integrity, wire, this::toElection,
                drops, firstSequence);
        this.election = new LeaderElection(settings.election(), self, new LeaderElection.Collaborators(runtime,
                channel.transport(), view, new ElectionListener() {
                    @Override
                    public void onBecameLeader() {
                        leading = true;
                        listener.onBecameLeader();
                    }

                    @Override
                    public void onLostLeadership() {
                        leading = false;
                        listener.onLostLeadership();
                    }
                }));
        view.attach(election);
    }

    /** Starts polling the organisation and electing. */
    public void start() {
        running = true;
        view.refresh();
        election.start();
        scheduleRefresh();
    }

    /** Stops; a leader stops leading (its listener hears it) without telling its organisation, as a crash would. */
    public void stop() {
        running = false;
        if (refreshTimer != null) {
            refreshTimer.cancel();
            refreshTimer = null;
        }
        election.stop();
    }

    /** An election message from a neighbour, not yet authenticated. */
    public void onMessage(PkiId from, SignedMessage<ElectionMessage> signed) {
        if (!running) {
            return;
        }
        if (!view.livePeerHeights().containsKey(from)) {
            // A peer whose connection opened since the last poll counts at once rather than at the next refresh.
            view.refresh();
        }
        channel.onMessage(from, signed);
    }

    /** An authenticated block-gossip heartbeat told this peer {@code from}'s ledger height. */
    public void onHeightObserved(PkiId from, long height) {
        if (running) {
            view.onHeightObserved(from, height);
        }
    }

    private void toElection(PkiId from, ElectionMessage message) {
        election.onMessage(from, message);
    }

    private void scheduleRefresh() {
        refreshTimer = scheduler.schedule(settings.viewRefreshMillis(), () -> {
            if (running) {
                view.refresh();
                scheduleRefresh();
            }
        });
    }

    /** Election signatures verified and found valid; any thread (may lag by a few messages). */
    public long verificationsPassed() {
        return channel.verificationsPassed();
    }

    /** Election signatures refused; any thread (may lag by a few messages). */
    public long verificationsFailed() {
        return channel.verificationsFailed();
    }

    /** Whether this peer leads its organisation on this channel now; any thread. */
    public boolean isLeader() {
        return leading;
    }

    public Settings settings() {
        return settings;
    }

    public String channelId() {
        return channelId;
    }

    /**
     * What the election believes now, copied so another thread may keep it.
     *
     * @param leader whether this peer leads
     * @param leaders the leaders this peer believes in: itself if it leads, and every peer whose declaration is fresh
     * @param organizationPeers the other live peers of this peer's organisation and their heights, as the view has them
     * @param ignoredMessages declarations ignored because their sender is not a live peer of this organisation
     * @param drops messages the authentication layer refused, by reason
     */
    public record State(boolean leader, SortedSet<PkiId> leaders, SortedMap<PkiId, Long> organizationPeers,
            long ignoredMessages, Map<AuthenticatedChannel.Drop, Long> drops) {}

    /** A copy of the election's state; call on the serial executor. */
    public State state() {
        return new State(election.isLeader(), new TreeSet<>(election.leaders()), new TreeMap<>(view.livePeerHeights()),
                election.ignoredMessages(), channel.drops()); // drops() is a copy already
    }
}
