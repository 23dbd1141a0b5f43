package io.hearsay.peer.index;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.discovery.view.NeighbourView;
import io.hearsay.identity.Identity;
import io.hearsay.identity.PkiId;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.peer.config.ConfigException;
import io.hearsay.peer.config.ConfigTree.HostPort;
import io.hearsay.peer.orderer.OrdererBlockIntake;
import io.hearsay.peer.runtime.NodeRuntime;
import io.hearsay.peer.runtime.SerialExecutor;
import io.hearsay.peer.transport.TlsCredentials;
import io.hearsay.peer.wire.OverlayWire;
import io.hearsay.proto.index.IndexedPeer;
import io.hearsay.proto.index.PeerIndexGrpc;
import io.hearsay.proto.index.RegisterRequest;
import io.hearsay.proto.index.RegisterResponse;
import io.hearsay.proto.index.Registration;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer in the central-index model: it registers with the index server every {@code refreshMillis}, and keeps
 * between minDegree and maxDegree gossip neighbours drawn at random ({@link NeighbourView}) from the peers the index
 * answers with — its organisation's peers whose leases are current — and a connection to each of those peers, as SWIM
 * membership keeps one to each member (the organisation's leader election counts connected peers). A neighbour the
 * index stops naming (its lease ran out: it crashed or left) is dropped and replaced at the next answer; from a sampled
 * answer (an organisation larger than the answer) only once no answer has named it for a lease.
 *
 * <pre>
 *   timer (serial) ─▶ sign Registration ─▶ PeerIndex.Register (gRPC, deadline) ─▶ answer (gRPC thread)
 *   serial: answer ─▶ NeighbourView.refresh(live = peers named) ─▶ Links.unlink(removed), Links.link(added)
 * </pre>
 *
 * While the index is unreachable the peer keeps the neighbours it has — and a peer that starts then finds nobody:
 * the central model's single point of failure, logged once per outage.
 *
 * <p>Thread-safe: everything runs on its serial executor.
 */
public final class IndexRegistration implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IndexRegistration.class);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

    /** What the view changes act on: the node's gossip neighbours. */
    public interface Links {
        /** Makes {@code peer} a gossip neighbour, reached at {@code host:port}, its TLS certificate named {@code serverName}. */
        void link(PkiId peer, String host, int port, String serverName);

        /** {@code peer} is no longer a neighbour this registration chose. */
        void unlink(PkiId peer);

        /**
         * Keep a connection to {@code peer}, a live peer of this organisation, whether or not it is a neighbour: the
         * organisation's leader election counts the peers it is connected to.
         */
        void keep(PkiId peer, String host, int port);

        /** {@code peer} is gone from the index: the connection {@link #keep} asked for is no longer needed. */
        void release(PkiId peer);
    }

    /**
     * What the registration holds now.
     *
     * @param registered whether the last registration was answered
     * @param known the live peers of this organisation as the index's answers say (a sample's missing peers kept for a lease)
     * @param neighbours the neighbours drawn from them
     * @param answers registrations answered so far
     * @param failures registrations that failed (unreachable, refused, timed out)
     */
    public record State(boolean registered, List<PkiId> known, List<PkiId> neighbours, long answers, long failures) {}

    private final IndexClientSettings settings;
    private final SigningIdentity identity;
    private final String endpoint;
    private final String serverName;
    private final ByteString tlsCertificateHash;
    private final ManagedChannel channel;
    private final SerialExecutor serial;
    private final Scheduler scheduler;
    private final InstantSource wallClock;
    private final NeighbourView view;
    private final Links links;
    private final String name;
    /** A peer of this organisation the index named, and when it last did. */
    private record Known(IndexedPeer peer, long namedAtMillis) {}

    /** The organisation's live peers as the index's answers say. */
    private final Map<PkiId, Known> known = new TreeMap<>();
    private Scheduler.Timer timer;
    private boolean inFlight;
    private boolean registered;
    private boolean outage;
    private long answers;
    private long failures;
    private volatile boolean closed;

    private IndexRegistration(String name, IndexClientSettings settings, SigningIdentity identity, String endpoint,
            String serverName, TlsCredentials tls, SerialExecutor serial, ScheduledExecutorService timers, RandomSource random,
            Links links) {
        this.name = name;
        this.settings = settings;
        this.identity = identity;
        this.endpoint = endpoint;
        this.serverName = serverName;
        this.tlsCertificateHash = ByteString.copyFrom(tls.certificateHash());
        // Requests are small; answers hold up to peersWanted identities (~1 KB each).
        this.channel = OrdererBlockIntake.dial(settings.host(), settings.port(), tls, Math.max(4 << 20, settings.peersWanted() * 2_048));
        this.serial = serial;
        this.scheduler = NodeRuntime.scheduler(serial, timers);
        this.wallClock = InstantSource.system();
        this.view = new NeighbourView(identity.pkiId(), settings.view(), random);
        this.links = links;
    }

    /**
     * Registers now and every {@code refreshMillis} from now on, until {@link #close}.
     *
     * @param endpoint where peers of this organisation reach this peer ({@code host:port})
     * @param serverName the name this peer's TLS certificate is checked against
     * @param serial the executor the registration's state lives on (its own: it may not block)
     */
    public static IndexRegistration start(String name, IndexClientSettings settings, SigningIdentity identity, String endpoint,
            String serverName, TlsCredentials tls, SerialExecutor serial, ScheduledExecutorService timers, RandomSource random,
            Links links) {
        if (!OverlayWire.isEndpoint(endpoint) || endpoint.isEmpty()) {
            throw new IllegalArgumentException("this peer's endpoint '" + endpoint + "' is not host:port");
        }
        IndexRegistration registration = new IndexRegistration(name, settings, identity, endpoint, serverName, tls, serial,
                timers, random, links);
        serial.execute(registration::tick);
        return registration;
    }

    private void tick() {
        if (closed) {
            return;
        }
        timer = scheduler.schedule(settings.refreshMillis(), this::tick);
        if (inFlight) {
            return; // the deadline is shorter than the refresh, so this is a slow answer being delivered: wait for it
        }
        inFlight = true;
        channel.resetConnectBackoff(); // our refresh decides when the index is tried again, not the channel's backoff
        PeerIndexGrpc.newStub(channel).withDeadlineAfter(settings.requestTimeoutMillis(), TimeUnit.MILLISECONDS)
                .register(request(), new StreamObserver<>() {
                    @Override
                    public void onNext(RegisterResponse response) {
                        serial.execute(() -> answered(response));
                    }

                    @Override
                    public void onError(Throwable error) {
                        serial.execute(() -> failed(Status.fromThrowable(error)));
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
    }

    private RegisterRequest request() {
        Instant now = wallClock.instant();
        ByteString registration = Registration.newBuilder()
                .setIdentity(identity.identity().serialized())
                .setEndpoint(endpoint)
                .setServerName(serverName)
                .setPeersWanted(settings.peersWanted())
                .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setTlsCertHash(tlsCertificateHash)
                .build().toByteString();
        return RegisterRequest.newBuilder().setRegistration(registration)
                .setSignature(ByteString.copyFrom(identity.sign(registration.toByteArray()))).build();
    }

    private void answered(RegisterResponse response) {
        inFlight = false;
        if (closed) {
            return;
        }
        answers++;
        registered = true;
        if (outage) {
            outage = false;
            LOG.info("{}: the index at {}:{} answers again", name, settings.host(), settings.port());
        }
        Map<PkiId, IndexedPeer> named = new TreeMap<>();
        for (IndexedPeer peer : response.getPeersList()) {
            try {
                Identity other = Identity.parse(peer.getIdentity());
                if (!other.mspId().equals(identity.mspId()) || other.pkiId().equals(identity.pkiId())
                        || peer.getEndpoint().isEmpty() || !OverlayWire.isEndpoint(peer.getEndpoint())) {
                    continue; // the index names only this organisation's other peers; anything else is ignored
                }
                named.put(other.pkiId(), peer);
            } catch (RuntimeException e) {
                LOG.debug("{}: the index named a peer whose identity does not parse: {}", name, e.getMessage());
            }
        }
        long now = NodeRuntime.CLOCK.nowMillis();
        named.forEach((peer, entry) -> known.put(peer, new Known(entry, now)));
        // A complete answer is the truth: a peer it does not name has no lease. A sample (a large organisation) is not:
        // a peer missing from it is dropped only once no answer has named it for a lease.
        long graceMillis = response.getComplete() ? 0 : response.getLeaseMillis();
        for (var it = known.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            PkiId peer = entry.getKey(); // read before remove(): a TreeMap may reuse the removed entry for its successor
            if (!named.containsKey(peer) && now - entry.getValue().namedAtMillis() >= graceMillis) {
                it.remove();
                links.release(peer);
            }
        }
        for (PkiId peer : named.keySet()) {
            HostPort address = address(named.get(peer));
            links.keep(peer, address.host(), address.port());
        }
        NeighbourView.ViewChange change = view.refresh(PeerSet.of(known.keySet()));
        change.removed().forEach(links::unlink);
        for (PkiId added : change.added()) {
            IndexedPeer peer = known.get(added).peer();
            HostPort address = address(peer);
            links.link(added, address.host(), address.port(), peer.getServerName().isEmpty() ? address.host() : peer.getServerName());
        }
        if (!change.isEmpty()) {
            LOG.debug("{}: neighbours from the index now {} (of {} named)", name, view.neighbours().size(), named.size());
        }
    }

    private static HostPort address(IndexedPeer peer) {
        return HostPort.parse(peer.getEndpoint(), ConfigException::new);
    }

    private void failed(Status status) {
        inFlight = false;
        if (closed) {
            return;
        }
        failures++;
        registered = false;
        if (status.getCode() == Status.Code.PERMISSION_DENIED || status.getCode() == Status.Code.INVALID_ARGUMENT
                || status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
            LOG.error("{}: the index refuses this peer's registration: {}", name, status.getDescription());
        } else if (!outage) {
            outage = true;
            LOG.warn("{}: the index at {}:{} does not answer ({}); keeping the {} neighbours this peer has and trying every {} ms",
                    name, settings.host(), settings.port(), status.getCode(), view.neighbours().size(), settings.refreshMillis());
        }
    }

    /** What the registration holds now, read on its executor. */
    public State state() {
        return serial.query(() -> new State(registered, List.copyOf(known.keySet()), view.neighbours().toList(), answers,
                failures), QUERY_TIMEOUT);
    }

    /** Stops registering; the index forgets this peer when its lease runs out. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        serial.stop(() -> {
            closed = true;
            if (timer != null) {
                timer.cancel();
            }
        }, QUERY_TIMEOUT);
        closed = true;
        channel.shutdownNow();
    }
}
