package io.hearsay.peer.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.discovery.view.ViewConfig;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.PkiId;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.config.ConfigTree.HostPort;
import io.hearsay.peer.gateway.LoopbackTlsServer;
import io.hearsay.peer.node.OrdererProcess;
import io.hearsay.peer.node.OrdererProcessConfig;
import io.hearsay.peer.orderer.OrdererConfig;
import io.hearsay.peer.orderer.OrdererBlockIntake;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.runtime.NodeRuntime;
import io.hearsay.peer.transport.TlsCredentials;
import io.hearsay.proto.index.IndexedPeer;
import io.hearsay.proto.index.PeerIndexGrpc;
import io.hearsay.proto.index.RegisterRequest;
import io.hearsay.proto.index.RegisterResponse;
import io.hearsay.proto.index.Registration;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The central index on real gRPC with mutual TLS: what it accepts, what it refuses and why, and peers' views from it. */
class PeerIndexTest {
    private static final int PEERS = 5;
    @TempDir
    static Path directory;
    static SampleChannel channel;
    static MspDirectory msps;
    static NodeResources resources;

    private PeerIndexService service;
    private LoopbackTlsServer server;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeAll
    static void crypto() {
        channel = new SampleChannel(directory.resolve("channel"), 1, PEERS);
        msps = new MspDirectory(channel.crypto.msps(), InstantSource.system());
        resources = new NodeResources(2);
    }

    @AfterAll
    static void stopResources() {
        resources.close();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static CryptoMaterial.Member peer(String mspId, int index) {
        return channel.crypto.organization(mspId).nodes().get(index);
    }

    private static TlsCredentials tls(CryptoMaterial.Member member) {
        return TlsCredentials.of(member, channel.crypto.msps());
    }

    private void serve(IndexServerSettings settings) {
        service = new PeerIndexService(settings, msps, TimeWindow.defaults(), NodeRuntime.CLOCK, RandomSource.seeded(7));
        server = LoopbackTlsServer.start(tls(peer("Org1MSP", 0)), service.intercepted());
    }

    /** A blocking stub over {@code member}'s TLS; the channel is closed after the test. */
    private PeerIndexGrpc.PeerIndexBlockingStub stub(CryptoMaterial.Member member) {
        ManagedChannel dialled = OrdererBlockIntake.dial("127.0.0.1", server.port(), tls(member), 4 << 20);
        closing.add(dialled::shutdownNow);
        return PeerIndexGrpc.newBlockingStub(dialled).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static Registration.Builder registration(SigningIdentity identity, CryptoMaterial.Member tlsOf, int port) {
        Instant now = Instant.now();
        return Registration.newBuilder()
                .setIdentity(identity.identity().serialized())
                .setEndpoint("127.0.0.1:" + port)
                .setServerName("localhost")
                .setPeersWanted(100)
                .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setTlsCertHash(ByteString.copyFrom(tls(tlsOf).certificateHash()));
    }

    private static RegisterRequest signed(Registration.Builder registration, SigningIdentity signer) {
        ByteString bytes = registration.build().toByteString();
        return RegisterRequest.newBuilder().setRegistration(bytes)
                .setSignature(ByteString.copyFrom(signer.sign(bytes.toByteArray()))).build();
    }

    private RegisterResponse register(String mspId, int index) {
        CryptoMaterial.Member member = peer(mspId, index);
        return stub(member).register(signed(registration(member.signingIdentity(), member, 7000 + index), member.signingIdentity()));
    }

    private static List<PkiId> ids(RegisterResponse response) {
        return response.getPeersList().stream()
                .map(p -> io.hearsay.identity.Identity.parse(p.getIdentity()).pkiId()).toList();
    }

    @Test
    void aPeerLearnsTheLivePeersOfItsOwnOrganisationOnly() {
        serve(IndexServerSettings.defaults());
        register("Org1MSP", 0);
        register("Org2MSP", 0);

        RegisterResponse answer = register("Org1MSP", 1);

        assertThat(ids(answer)).containsExactly(peer("Org1MSP", 0).signingIdentity().pkiId());
        IndexedPeer first = answer.getPeers(0);
        assertThat(first.getEndpoint()).isEqualTo("127.0.0.1:7000");
        assertThat(first.getServerName()).isEqualTo("localhost");
        assertThat(answer.getLeaseMillis()).isEqualTo(IndexServerSettings.defaults().leaseMillis());
        assertThat(service.registered()).isEqualTo(3);
    }

    @Test
    void refusesWhatItCannotTrustWithTheReasonAndStoresNothing() {
        serve(IndexServerSettings.defaults());
        CryptoMaterial.Member member = peer("Org1MSP", 1);
        SigningIdentity identity = member.signingIdentity();
        PeerIndexGrpc.PeerIndexBlockingStub stub = stub(member);

        assertRefused(() -> stub.register(signed(registration(identity, member, 7001), peer("Org1MSP", 2).signingIdentity())),
                Status.Code.PERMISSION_DENIED, "signature");
        assertRefused(() -> stub.register(signed(registration(identity, peer("Org1MSP", 2), 7001), identity)),
                Status.Code.PERMISSION_DENIED, "another TLS certificate");
        SigningIdentity user = channel.client;
        assertRefused(() -> stub.register(signed(registration(user, member, 7001), user)),
                Status.Code.PERMISSION_DENIED, "only peers register");
        Instant old = Instant.now().minus(Duration.ofHours(1));
        assertRefused(() -> stub.register(signed(registration(identity, member, 7001)
                .setTimestamp(Timestamp.newBuilder().setSeconds(old.getEpochSecond())), identity)),
                Status.Code.INVALID_ARGUMENT, "timestamp");
        assertRefused(() -> stub.register(signed(registration(identity, member, 7001).setEndpoint("no port"), identity)),
                Status.Code.INVALID_ARGUMENT, "not host:port");
        assertRefused(() -> stub.register(RegisterRequest.newBuilder()
                        .setRegistration(ByteString.copyFrom(new byte[] {(byte) 0xff, 0x01})).build()),
                Status.Code.INVALID_ARGUMENT, "not a hearsay.index.Registration");
        assertRefused(() -> stub.register(signed(registration(identity, member, 7001)
                .setServerName("x".repeat(20_000)), identity)), Status.Code.INVALID_ARGUMENT, "exceeds");

        assertThat(service.registered()).isZero();
        assertThat(service.refusals()).isEqualTo(7);
        assertThat(ids(register("Org1MSP", 1))).isEmpty(); // and it still serves
    }

    @Test
    void anIndexTakenDownAnswersUnavailableAndStoresNothingUntilItServesAgain() {
        serve(IndexServerSettings.defaults());
        service.serving(false);
        assertRefused(() -> register("Org1MSP", 0), Status.Code.UNAVAILABLE, "not serving");
        assertThat(service.registered()).isZero();

        service.serving(true);
        register("Org1MSP", 0);
        assertThat(service.registered()).isEqualTo(1);
    }

    private static void assertRefused(Runnable call, Status.Code code, String reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(reason);
        });
    }

    /** Records each peer's links (its view) and the members it keeps connections to, as its registration sets them. */
    private final Map<PkiId, Set<PkiId>> links = new ConcurrentHashMap<>();
    private final Map<PkiId, Set<PkiId>> members = new ConcurrentHashMap<>();

    @Test
    void anOrdererServesTheIndexWhenItsConfigEnablesIt() throws Exception {
        Path genesis = directory.resolve("index-genesis.block");
        java.nio.file.Files.write(genesis, channel.genesis.toByteArray());
        CryptoMaterial.Member member = channel.crypto.organization("OrdererMSP").nodes().get(0);
        OrdererProcessConfig plain = new OrdererProcessConfig("orderer", "OrdererMSP", member.mspDirectory(),
                member.tlsCertificate(), member.tlsKey(), new HostPort("127.0.0.1", 0), directory.resolve("orderer"),
                List.of(genesis), OrdererConfig.defaults(), TimeWindow.DEFAULT_WINDOW);
        try (OrdererProcess withoutIndex = OrdererProcess.start(plain, resources)) {
            assertThat(withoutIndex.index()).isEmpty();
        }
        try (OrdererProcess orderer = OrdererProcess.start(plain.withIndex(IndexServerSettings.defaults()), resources)) {
            IndexClientSettings settings = IndexClientSettings.of("127.0.0.1", orderer.node().port())
                    .withRefresh(150, 100).withView(new ViewConfig(1, 2));
            startPeer(0, settings);
            startPeer(1, settings);

            await().atMost(Duration.ofSeconds(10)).until(() -> orderer.index().orElseThrow().registered() == 2
                    && links.get(peer("Org1MSP", 0).signingIdentity().pkiId())
                            .equals(Set.of(peer("Org1MSP", 1).signingIdentity().pkiId())));
        }
    }

    private IndexRegistration startPeer(int index, IndexClientSettings settings) {
        CryptoMaterial.Member member = peer("Org1MSP", index);
        PkiId self = member.signingIdentity().pkiId();
        Set<PkiId> mine = links.computeIfAbsent(self, id -> ConcurrentHashMap.newKeySet());
        IndexRegistration registration = IndexRegistration.start("peer" + index, settings, member.signingIdentity(),
                "127.0.0.1:" + (7000 + index), "localhost", tls(member), resources.serialExecutor("index-" + index),
                resources.timers(), RandomSource.seeded(index), new IndexRegistration.Links() {
                    @Override
                    public void link(PkiId peer, String host, int port, String serverName) {
                        mine.add(peer);
                    }

                    @Override
                    public void unlink(PkiId peer) {
                        mine.remove(peer);
                    }

                    @Override
                    public void keep(PkiId peer, String host, int port) {
                        members.computeIfAbsent(self, id -> ConcurrentHashMap.newKeySet()).add(peer);
                    }

                    @Override
                    public void release(PkiId peer) {
                        members.computeIfAbsent(self, id -> ConcurrentHashMap.newKeySet()).remove(peer);
                    }
                });
        closing.add(registration);
        return registration;
    }

    @Test
    void peersKeepMinDegreeNeighboursFromTheIndexAndReplaceOneWhoseLeaseRanOut() {
        serve(IndexServerSettings.defaults().withLeaseMillis(600));
        IndexClientSettings settings = IndexClientSettings.of("127.0.0.1", server.port())
                .withRefresh(150, 100).withView(new ViewConfig(2, 4));
        List<IndexRegistration> registrations = new ArrayList<>();
        for (int i = 0; i < PEERS; i++) {
            registrations.add(startPeer(i, settings));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(links.values())
                .hasSize(PEERS).allSatisfy(neighbours -> assertThat(neighbours).hasSize(2)));

        PkiId crashed = peer("Org1MSP", PEERS - 1).signingIdentity().pkiId();
        registrations.get(PEERS - 1).close();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (int i = 0; i < PEERS - 1; i++) {
                Set<PkiId> neighbours = links.get(peer("Org1MSP", i).signingIdentity().pkiId());
                assertThat(neighbours).hasSize(2).doesNotContain(crashed);
                assertThat(members.get(peer("Org1MSP", i).signingIdentity().pkiId()))
                        .as("a connection kept to every live member, none to the crashed one").hasSize(PEERS - 2)
                        .doesNotContain(crashed);
            }
            assertThat(service.registered()).isEqualTo(PEERS - 1);
        });
    }

    @Test
    void whileTheIndexIsDownPeersKeepTheirNeighboursButANewcomerFindsNobody() throws Exception {
        serve(IndexServerSettings.defaults());
        IndexClientSettings settings = IndexClientSettings.of("127.0.0.1", server.port())
                .withRefresh(150, 100).withView(new ViewConfig(2, 4));
        IndexRegistration first = startPeer(0, settings);
        startPeer(1, settings);
        startPeer(2, settings);
        PkiId self = peer("Org1MSP", 0).signingIdentity().pkiId();
        await().atMost(Duration.ofSeconds(10)).until(() -> links.get(self).size() == 2);
        Set<PkiId> before = Set.copyOf(links.get(self));

        server.close();
        server = null;
        long failures = first.state().failures();
        await().atMost(Duration.ofSeconds(10)).until(() -> first.state().failures() >= failures + 3);

        assertThat(first.state().registered()).isFalse();
        assertThat(links.get(self)).isEqualTo(before);

        // A peer that starts now finds nobody: the central model's single point of failure.
        IndexRegistration late = startPeer(3, settings);
        await().atMost(Duration.ofSeconds(10)).until(() -> late.state().failures() >= 3);
        assertThat(late.state().known()).isEmpty();
        assertThat(links.get(peer("Org1MSP", 3).signingIdentity().pkiId())).isEmpty();
    }
}
