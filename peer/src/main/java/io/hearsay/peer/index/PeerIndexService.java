package io.hearsay.peer.index;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.hearsay.discovery.runtime.Clock;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.identity.Identity;
import io.hearsay.identity.IdentityException;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.Role;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.deliver.ClientTlsCertificate;
import io.hearsay.peer.wire.OverlayWire;
import io.hearsay.proto.index.IndexedPeer;
import io.hearsay.proto.index.PeerIndexGrpc;
import io.hearsay.proto.index.RegisterRequest;
import io.hearsay.proto.index.RegisterResponse;
import io.hearsay.proto.index.Registration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The central index server on a real node (DESIGN.md, "The classic story", stage 1): peers register where they are
 * reached and get their organisation's live peers back. What it answers decides who meets whom, so it checks what it
 * stores: the registration is signed by the identity it names (valid for its organisation's CA, a peer if the
 * certificate says a role), bound to the TLS certificate of the call, within the time window, with a well-formed
 * endpoint. A refused registration gets a gRPC status naming the reason and changes nothing.
 *
 * <p>Organisation visibility as in Fabric: a peer only ever learns peers of its own organisation here (their
 * endpoints are internal); other organisations are reached through anchors.
 *
 * <p>Thread-safe: each call takes the table's lock for a few map operations, never for I/O.
 */
public final class PeerIndexService extends PeerIndexGrpc.PeerIndexImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(PeerIndexService.class);
    static final int SERVER_NAME_CHARS_MAX = 255;

    private final IndexServerSettings settings;
    private final MspDirectory organizations;
    private final TimeWindow timeWindow;
    private final Clock clock;
    private final IndexTable table;
    private final AtomicLong registrations = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    /** False while the index is taken down (tests, {@code bench models}): registrations get UNAVAILABLE, nothing stored. */
    private volatile boolean serving = true;

    /**
     * @param organizations the organisations whose peers may register (their CAs)
     * @param clock the monotonic clock leases run on
     * @param random seeds the sampling of answers larger than {@code peersMax}
     */
    public PeerIndexService(IndexServerSettings settings, MspDirectory organizations, TimeWindow timeWindow, Clock clock,
            RandomSource random) {
        this.settings = settings;
        this.organizations = organizations;
        this.timeWindow = timeWindow;
        this.clock = clock;
        this.table = new IndexTable(settings.entriesMax(), settings.leaseMillis(), random);
    }

    /** The service with the interceptor that gives it the caller's TLS certificate; what a server adds. */
    public ServerServiceDefinition intercepted() {
        return ServerInterceptors.intercept(this, new ClientTlsCertificate());
    }

    /**
     * Stops answering registrations, or starts again, while the orderer serving it keeps ordering: the central model's
     * outage, which a network's tests and benchmarks stage without stopping the blocks.
     */
    public void serving(boolean serving) {
        this.serving = serving;
        LOG.info("index: {}", serving ? "serving again" : "taken down: registrations get UNAVAILABLE");
    }

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> responses) {
        if (!serving) {
            responses.onError(Status.UNAVAILABLE.withDescription("the index is not serving").asRuntimeException());
            return;
        }
        try {
            responses.onNext(answer(request));
            responses.onCompleted();
        } catch (Refused refused) {
            refusals.incrementAndGet();
            LOG.debug("index: refused a registration: {}", refused.getMessage());
            responses.onError(refused.status.withDescription(refused.getMessage()).asRuntimeException());
        }
    }

    private RegisterResponse answer(RegisterRequest request) throws Refused {
        if (request.getSerializedSize() > settings.requestBytesMax()) {
            throw new Refused(Status.INVALID_ARGUMENT, "a registration of " + request.getSerializedSize()
                    + " bytes exceeds the index's bound of " + settings.requestBytesMax());
        }
        Registration registration;
        try {
            registration = Registration.parseFrom(request.getRegistration());
        } catch (InvalidProtocolBufferException e) {
            throw new Refused(Status.INVALID_ARGUMENT, "the registration is not a hearsay.index.Registration: " + e.getMessage());
        }
        Identity identity;
        try {
            identity = organizations.verify(registration.getIdentity(), request.getRegistration(),
                    request.getSignature().toByteArray());
        } catch (IdentityException e) {
            throw new Refused(Status.PERMISSION_DENIED, "the registration's identity or signature is refused ("
                    + e.reason() + "): " + e.getMessage());
        }
        if (!identity.role().equals(Optional.of(Role.PEER))) {
            throw new Refused(Status.PERMISSION_DENIED, "only peers register with the index; " + identity.commonName()
                    + " is " + identity.role().map(role -> "a " + role.organizationalUnit()).orElse("of no role (no OU)"));
        }
        Optional<byte[]> tlsHash = ClientTlsCertificate.currentHash();
        if (tlsHash.isEmpty() || !Arrays.equals(tlsHash.get(), registration.getTlsCertHash().toByteArray())) {
            throw new Refused(Status.PERMISSION_DENIED,
                    "the registration is bound to another TLS certificate than this connection's (a replay?)");
        }
        Optional<String> late = timeWindow.violation(registration.getTimestamp());
        if (late.isPresent()) {
            throw new Refused(Status.INVALID_ARGUMENT, "the registration's timestamp " + late.get());
        }
        String endpoint = registration.getEndpoint();
        if (endpoint.isEmpty() || !OverlayWire.isEndpoint(endpoint)) {
            throw new Refused(Status.INVALID_ARGUMENT, "endpoint '" + abbreviate(endpoint) + "' is not host:port");
        }
        if (registration.getServerName().length() > SERVER_NAME_CHARS_MAX) {
            throw new Refused(Status.INVALID_ARGUMENT, "the server name is longer than " + SERVER_NAME_CHARS_MAX + " characters");
        }
        int wanted = Math.min(registration.getPeersWanted(), settings.peersMax());
        IndexTable.Answer peers;
        synchronized (table) {
            long now = clock.nowMillis();
            IndexTable.Outcome outcome = table.register(identity.pkiId(), identity.mspId(), identity.serialized(), endpoint,
                    registration.getServerName(), now);
            if (outcome == IndexTable.Outcome.FULL) {
                throw new Refused(Status.RESOURCE_EXHAUSTED, "the index holds " + settings.entriesMax()
                        + " peers (entriesMax); try again when leases expire");
            }
            if (outcome == IndexTable.Outcome.REGISTERED) {
                LOG.info("index: {} of {} registered at {}", identity.commonName(), identity.mspId(), endpoint);
            }
            peers = table.peersOf(identity.mspId(), identity.pkiId(), wanted, now);
        }
        registrations.incrementAndGet();
        RegisterResponse.Builder response = RegisterResponse.newBuilder().setLeaseMillis(settings.leaseMillis())
                .setComplete(peers.complete());
        for (IndexTable.Entry peer : peers.peers()) {
            response.addPeers(IndexedPeer.newBuilder().setIdentity(peer.identity()).setEndpoint(peer.endpoint())
                    .setServerName(peer.serverName()));
        }
        return response.build();
    }

    /** Live registered peers now. */
    public int registered() {
        synchronized (table) {
            return table.size(clock.nowMillis());
        }
    }

    /** Registrations answered (new and renewals). */
    public long registrations() {
        return registrations.get();
    }

    /** Registrations refused, for any reason. */
    public long refusals() {
        return refusals.get();
    }

    private static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }

    /** A registration refused with its gRPC status. */
    private static final class Refused extends Exception {
        final Status status;

        Refused(Status status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
