package io.hearsay.peer.election;

import static io.hearsay.peer.election.ElectedNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearsay.discovery.auth.AuthenticatedChannel;
import io.hearsay.discovery.auth.EcdsaAuthenticator;
import io.hearsay.discovery.auth.IntegrityConfig;
import io.hearsay.discovery.election.ElectionConfig;
import io.hearsay.discovery.election.ElectionMessage;
import io.hearsay.discovery.membership.Membership;
import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.identity.PkiId;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.peer.election.ElectedNetwork.PeerSpec;
import io.hearsay.peer.node.PeerConfig.LeaderMode;
import io.hearsay.peer.node.PeerNode;
import io.hearsay.peer.runtime.NodeRuntime;
import io.hearsay.peer.transport.GossipNetwork;
import io.hearsay.peer.wire.ElectionWire;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leader election on real nodes: peers of one organisation on loopback, mutual TLS, RocksDB, the solo orderer, each
 * electing with {@link ElectionConfig#lan()}. It proves that exactly one leader emerges and stays, that another takes
 * over within the failover bound when it stops, that a peer of another organisation — even one declaring itself a
 * leader far ahead — never counts in this organisation's election, that a {@code none} peer never leads, and that
 * only the leader streams from the orderer while blocks keep reaching every peer across a failover.
 */
class ElectionOnNodesTest {
    private static final ElectionConfig LAN = ElectionConfig.lan();
    /**
     * Failover after a leader's crash: followers presume it gone a leader timeout after its last declaration at the
     * latest, and the best of them declares at its next tick, one heartbeat interval later at most (ElectionConfig's
     * own analysis); a second on top for a loaded test machine. A dropped connection usually makes it far faster.
     */
    private static final Duration FAILOVER = Duration.ofMillis(LAN.leaderTimeoutMillis() + LAN.heartbeatIntervalMillis() + 1_000);
    /**
     * The first election: peers listen for the startup grace, and a vacancy the best-ranked candidate does not fill
     * (a {@code none} peer) is passed over after a leader timeout; generous, as nodes start one after another.
     */
    private static final Duration FIRST_ELECTION = Duration.ofMillis(LAN.startupGraceMillis() + 2 * LAN.leaderTimeoutMillis() + 5_000);
    /** How long a settled election is watched to stay settled: several leader timeouts. */
    private static final Duration SETTLED = Duration.ofMillis(3 * LAN.leaderTimeoutMillis());

    @TempDir
    Path directory;

    private ElectedNetwork network;

    @AfterEach
    void stop() {
        if (network != null) {
            network.close();
        }
    }

    private static List<PeerSpec> org1(int peers) {
        return IntStream.range(0, peers).mapToObj(i -> new PeerSpec("Org1MSP", i, LeaderMode.ELECTED)).toList();
    }

    private static ChannelElection.State state(PeerNode peer) {
        return peer.gossip().channel(CHANNEL).orElseThrow().electionState().orElseThrow();
    }

    /** Waits for exactly one leader of {@code mspId} that every running peer of it believes in, and returns it. */
    private PeerNode awaitOneAgreedLeader(String mspId, Duration bound) {
        await().atMost(bound).until(() -> network.leaders(mspId).size() == 1 && network.running(mspId).stream()
                .allMatch(p -> state(p).leaders().equals(Set.of(network.leaders(mspId).get(0).id()))));
        return network.leaders(mspId).get(0);
    }

    @Test
    void exactlyOneLeaderEmergesStaysAndIsReportedLive() throws Exception {
        network = new ElectedNetwork(directory, org1(3));

        PeerNode leader = awaitOneAgreedLeader("Org1MSP", FIRST_ELECTION);

        await().during(SETTLED).atMost(SETTLED.plusSeconds(5)).until(() -> network.leaders("Org1MSP").equals(List.of(leader)));
        for (PeerNode peer : network.running()) {
            boolean leads = peer == leader;
            assertThat(peer.status()).as(peer.name()).containsEntry("leader", leads).containsEntry("leaderMode", "elected");
            assertThat(metrics(peer)).as(peer.name())
                    .contains("gossip_leader_election_leader{channel=\"testchannel\"} " + (leads ? "1.0" : "0.0"));
            // Every other peer of the organisation is in its view, nobody else.
            assertThat(state(peer).organizationPeers().keySet()).as(peer.name())
                    .containsExactlyInAnyOrderElementsOf(network.running().stream().filter(p -> p != peer).map(PeerNode::id).toList());
        }
    }

    @Test
    void whenTheLeaderStopsAnotherTakesOverWithinTheFailoverBound() throws Exception {
        network = new ElectedNetwork(directory, org1(3));
        PeerNode first = awaitOneAgreedLeader("Org1MSP", FIRST_ELECTION);

        network.stop(first);
        long stoppedAt = System.nanoTime();
        PeerNode second = awaitOneAgreedLeader("Org1MSP", FAILOVER);
        Duration failover = Duration.ofNanos(System.nanoTime() - stoppedAt);

        assertThat(second).isNotSameAs(first);
        assertThat(failover).isLessThanOrEqualTo(FAILOVER);
        await().during(SETTLED).atMost(SETTLED.plusSeconds(5)).until(() -> network.leaders("Org1MSP").equals(List.of(second)));
    }

    @Test
    void aPeerOfAnotherOrganisationNeverCountsInThisOrganisationsElection() throws Exception {
        network = new ElectedNetwork(directory, List.of(new PeerSpec("Org1MSP", 0, LeaderMode.ELECTED),
                new PeerSpec("Org1MSP", 1, LeaderMode.ELECTED), new PeerSpec("Org2MSP", 0, LeaderMode.ELECTED)));
        PeerNode org1Leader = awaitOneAgreedLeader("Org1MSP", FIRST_ELECTION);
        PeerNode org2 = network.peer("Org2MSP", 0);
        // Org2's only peer leads Org2: each organisation has its own leader.
        await().atMost(FIRST_ELECTION).until(() -> org2.leads(CHANNEL));

        // Org2's peer now claims, correctly signed, to lead far ahead: were it counted, Org1's leader would step down.
        ScheduledExecutorService forger = Executors.newSingleThreadScheduledExecutor();
        try {
            Transport<ElectionMessage> declarations = signedDeclarations(org2,
                    network.channel.crypto.organization("Org2MSP").nodes().get(0).signingIdentity());
            List<PkiId> org1Peers = network.running("Org1MSP").stream().map(PeerNode::id).toList();
            forger.scheduleAtFixedRate(() -> org1Peers.forEach(p -> declarations.send(p, new ElectionMessage(true, 1_000))),
                    0, LAN.heartbeatIntervalMillis() / 2, TimeUnit.MILLISECONDS);

            await().atMost(Duration.ofSeconds(10)).until(() -> network.running("Org1MSP").stream()
                    .allMatch(p -> state(p).ignoredMessages() > 0));
            await().during(SETTLED).atMost(SETTLED.plusSeconds(5))
                    .until(() -> network.leaders("Org1MSP").equals(List.of(org1Leader)) && org2.leads(CHANNEL));
        } finally {
            forger.shutdownNow();
        }
        for (PeerNode peer : network.running("Org1MSP")) {
            ChannelElection.State state = state(peer);
            assertThat(state.organizationPeers()).as(peer.name()).doesNotContainKey(org2.id());
            assertThat(state.leaders()).as(peer.name()).containsExactly(org1Leader.id());
            // Authenticated, not refused as forged: ignored by the election because of the sender's organisation.
            assertThat(state.drops()).as(peer.name()).doesNotContainKey(AuthenticatedChannel.Drop.BAD_SIGNATURE);
        }
        assertThat(state(org2).organizationPeers()).isEmpty();
    }

    @Test
    void aPeerConfiguredNeverToLeadNeverLeadsAndTheOthersElectWithoutIt() throws Exception {
        network = new ElectedNetwork(directory, List.of(new PeerSpec("Org1MSP", 0, LeaderMode.NONE),
                new PeerSpec("Org1MSP", 1, LeaderMode.ELECTED), new PeerSpec("Org1MSP", 2, LeaderMode.ELECTED)));
        PeerNode never = network.peer("Org1MSP", 0);

        await().atMost(FIRST_ELECTION).until(() -> network.leaders("Org1MSP").size() == 1);
        PeerNode leader = network.leaders("Org1MSP").get(0);
        assertThat(leader).isNotSameAs(never);
        await().during(SETTLED).atMost(SETTLED.plusSeconds(5)).until(() -> network.leaders("Org1MSP").equals(List.of(leader)));
        assertThat(never.gossip().channel(CHANNEL).orElseThrow().electionState()).isEmpty();
        assertThat(never.status()).containsEntry("leader", false).containsEntry("leaderMode", "none");
    }

    @Test
    void onlyTheLeaderStreamsFromTheOrdererAndBlocksReachEveryPeerAcrossAFailover() throws Exception {
        network = new ElectedNetwork(directory, org1(3));
        PeerNode first = awaitOneAgreedLeader("Org1MSP", FIRST_ELECTION);
        awaitOnlyLeaderStreams(first);

        network.submit("before", "failover");
        awaitEveryPeerAt(2);

        network.stop(first);
        PeerNode second = awaitOneAgreedLeader("Org1MSP", FAILOVER);
        awaitOnlyLeaderStreams(second);

        network.submit("after", "failover");
        network.submit("and", "again");
        await().atMost(ElectedNetwork.CALL).until(() -> network.running().stream()
                .allMatch(p -> p.ledger(CHANNEL).height() >= 3));
        awaitEveryPeerAt(network.running().stream().mapToLong(p -> p.ledger(CHANNEL).height()).max().orElseThrow());
        assertThat(network.running().stream().map(p -> HexFormat.of().formatHex(p.ledger(CHANNEL).stateHash()))
                .distinct()).hasSize(1);
    }

    private void awaitOnlyLeaderStreams(PeerNode leader) {
        await().atMost(ElectedNetwork.CALL).until(() -> network.running().stream()
                .allMatch(p -> p.streamsFromOrderer(CHANNEL) == (p == leader)));
    }

    private void awaitEveryPeerAt(long height) {
        await().atMost(ElectedNetwork.CALL).until(() -> network.running().stream()
                .allMatch(p -> p.ledger(CHANNEL).height() == height));
        assertThat(network.running().stream().map(p -> HexFormat.of().formatHex(p.ledger(CHANNEL).headHash()))
                .distinct()).hasSize(1);
    }

    /** Election messages signed by {@code identity} and sent over {@code peer}'s own gossip connections. */
    private static Transport<ElectionMessage> signedDeclarations(PeerNode peer, SigningIdentity identity) {
        GossipNetwork gossip = peer.gossip().network();
        Membership nobody = new Membership() {
            @Override
            public PkiId self() {
                return identity.pkiId();
            }

            @Override
            public PeerSet neighbours() {
                return PeerSet.empty();
            }

            @Override
            public Optional<String> organization(PkiId other) {
                return Optional.empty();
            }
        };
        AuthenticatedChannel<ElectionMessage> channel = new AuthenticatedChannel<>(identity.pkiId(),
                new EcdsaAuthenticator(identity, gossip::identity), ElectionCodec.forChannel(CHANNEL), nobody,
                NodeRuntime.CLOCK, IntegrityConfig.defaults(),
                (to, signed) -> gossip.send(to, ElectionWire.encode(CHANNEL, signed), false),
                (from, message) -> { }, (from, reason) -> { },
                // Above the peer's own election sequences (it never sends to the other organisation anyway).
                ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()) + 1_000_000_000L);
        return channel.transport();
    }

    private static String metrics(PeerNode peer) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + peer.operationsPort() + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
