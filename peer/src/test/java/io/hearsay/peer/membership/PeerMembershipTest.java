package io.hearsay.peer.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearsay.discovery.auth.AuthenticatedChannel;
import io.hearsay.discovery.auth.EcdsaAuthenticator;
import io.hearsay.discovery.auth.IntegrityConfig;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.discovery.membership.Membership;
import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.discovery.membership.StaticMembership;
import io.hearsay.discovery.swim.AliveRecord;
import io.hearsay.discovery.swim.MemberMetadata;
import io.hearsay.discovery.swim.MemberRole;
import io.hearsay.discovery.swim.SwimConfig;
import io.hearsay.discovery.swim.SwimCounters;
import io.hearsay.discovery.swim.SwimMessage;
import io.hearsay.discovery.view.ViewConfig;
import io.hearsay.identity.PkiId;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.GossipPeer;
import io.hearsay.peer.membership.MembershipCounters.Refusal;
import io.hearsay.peer.wire.MembershipWire;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * SWIM membership and minimum-degree views on real nodes (loopback gRPC, mutual TLS, RocksDB): one organisation of five
 * nodes, each seeded with only the first, learns itself whole; every node's view (minDegree 2, maxDegree 4) becomes its
 * block-gossip neighbours, over which a block committed at one node reaches all; a crashed node is declared dead by
 * every other within the bound, and the views that lost it are refilled. A peer of another organisation that speaks
 * membership is refused, counted, and never a member.
 */
class PeerMembershipTest {
    private static final ViewConfig VIEW = new ViewConfig(2, 4);
    private static final Duration CONVERGED = Duration.ofSeconds(10);
    /** The brief's bound at LAN defaults; the measured times are printed. */
    private static final Duration DETECTED = Duration.ofSeconds(15);

    @TempDir
    Path directory;
    private MembershipNodes nodes;
    private final List<GossipPeer> org1 = new ArrayList<>();

    /** LAN defaults, but a dead member is forgotten after 1 s (not 10 minutes), so a test sees its connection released. */
    private static final SwimConfig FORGETFUL = new SwimConfig(100, 40, 3, 4, 6, 3, true, 100, 3, 4, 16, 4_096, 256,
            100, 1_000, 30_000, 0.2, 4, 10_000);

    @BeforeEach
    void startOrganization(TestInfo test) {
        nodes = new MembershipNodes(directory);
        for (int i = 0; i < MembershipNodes.PEERS_PER_ORGANIZATION; i++) {
            org1.add(nodes.start("Org1MSP", i));
        }
        boolean forgetful = test.getTags().contains("forgetful");
        MembershipSettings.Seed first = MembershipNodes.seed(org1.get(0));
        // "silent": the last node runs no membership; the test speaks for it.
        int members = test.getTags().contains("silent") ? org1.size() - 1 : org1.size();
        for (GossipPeer peer : org1.subList(0, members)) {
            MembershipSettings settings = MembershipSettings.lan(List.of(first), MembershipNodes.endpoint(peer)).withView(VIEW);
            peer.startMembership(forgetful ? settings.withSwim(FORGETFUL) : settings);
        }
    }

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void everyNodeLearnsItsOrganizationAndGossipsBlocksOverItsView() {
        awaitConverged(org1);

        for (GossipPeer peer : org1) {
            PeerMembership.State state = membership(peer).state();
            assertThat(state.live()).as("%s's live members", peer.name()).hasSize(org1.size() - 1);
            // Members are reached at the internal endpoints their records give.
            for (GossipPeer other : org1) {
                if (other != peer) {
                    assertThat(state.live()).containsEntry(other.id(), MembershipNodes.endpoint(other));
                }
            }
            assertThat(state.dead()).isEmpty();
        }

        // Links are opened by the picker and accepted by the picked while its view has room (here always: maxDegree 4
        // holds all four others), so the views become symmetric.
        await().atMost(CONVERGED).until(() -> org1.stream().allMatch(peer -> membership(peer).state().view().stream()
                .allMatch(neighbour -> membership(byId(neighbour)).state().view().contains(peer.id()))));

        org1.get(2).onOrdererBlock(nodes.block(1));
        org1.get(2).onOrdererBlock(nodes.block(2));
        await().atMost(CONVERGED).until(() -> org1.stream().allMatch(peer -> peer.height() == 3));
    }

    @Test
    void aCrashedNodeIsDeclaredDeadByEveryOtherAndTheViewsAreRefilled() {
        awaitConverged(org1);
        GossipPeer crashed = org1.get(4);
        List<GossipPeer> survivors = org1.subList(0, 4);

        int crashedPort = crashed.port();
        long crashedAt = System.nanoTime();
        nodes.crash(crashed);
        Map<String, Long> detectedMillis = new LinkedHashMap<>();
        await().atMost(DETECTED).pollInterval(Duration.ofMillis(20)).until(() -> {
            for (GossipPeer peer : survivors) {
                if (!detectedMillis.containsKey(peer.name()) && membership(peer).state().dead().contains(crashed.id())) {
                    detectedMillis.put(peer.name(), (System.nanoTime() - crashedAt) / 1_000_000);
                }
            }
            return detectedMillis.size() == survivors.size();
        });
        System.out.println("SWIM crash detection on loopback at LAN defaults, ms after the crash, per survivor: " + detectedMillis);

        for (GossipPeer peer : survivors) {
            assertThat(membership(peer).state().live()).doesNotContainKey(crashed.id());
        }
        awaitViews(survivors);
        for (GossipPeer peer : survivors) {
            assertThat(membership(peer).state().view()).doesNotContain(crashed.id());
            assertThat(channelNeighbours(peer)).doesNotContain(crashed.id());
        }
        // The refilled views still carry blocks to every survivor.
        survivors.get(1).onOrdererBlock(nodes.block(1));
        await().atMost(CONVERGED).until(() -> survivors.stream().allMatch(peer -> peer.height() == 2));

        // Restarted where it was, with a newer incarnation, it is taken back by every survivor and catches up.
        GossipPeer restarted = nodes.start("Org1MSP", 4, crashedPort);
        restarted.startMembership(MembershipSettings.lan(List.of(MembershipNodes.seed(org1.get(0))),
                MembershipNodes.endpoint(restarted)).withView(VIEW));
        List<GossipPeer> all = new ArrayList<>(survivors);
        all.add(restarted);
        awaitConverged(all);
        assertThat(membership(survivors.get(0)).state().swim().get(SwimCounters.Counter.REVIVALS)).isEqualTo(1);
        await().atMost(CONVERGED).until(() -> restarted.height() == 2);
    }

    @Test
    @Tag("forgetful")
    void aForgottenMemberIsDisconnectedUnlessItIsAStaticNeighbour() {
        GossipPeer crashed = org1.get(4);
        GossipPeer keeper = org1.get(0);
        // Static neighbours given to connect stay neighbours for ever, whatever membership says.
        keeper.connect(crashed.id(), "127.0.0.1", crashed.port());
        awaitConverged(org1);
        List<GossipPeer> survivors = org1.subList(0, 4);

        nodes.crash(crashed);
        await().atMost(DETECTED).until(() -> survivors.stream().allMatch(peer -> {
            PeerMembership.State state = membership(peer).state();
            return !state.live().containsKey(crashed.id()) && !state.dead().contains(crashed.id());
        }));

        await().atMost(CONVERGED).until(() -> survivors.subList(1, 4).stream()
                .noneMatch(peer -> peer.network().isDialing(crashed.id()) || channelNeighbours(peer).contains(crashed.id())));
        assertThat(keeper.network().isDialing(crashed.id())).isTrue();
        assertThat(channelNeighbours(keeper)).contains(crashed.id());
        awaitViews(survivors);
    }

    @Test
    void aPeerOfAnotherOrganizationIsRefusedAndNeverAMember() {
        awaitConverged(org1);
        GossipPeer target = org1.get(1);
        // A peer of Org2 (trusted by every node's TLS and MSPs: it serves the same channel) speaks membership to Org1.
        GossipPeer outsider = nodes.start("Org2MSP", 0);
        outsider.connect(target.id(), "127.0.0.1", target.port());
        await().atMost(CONVERGED).until(() -> outsider.network().isConnected(target.id()));
        SigningIdentity identity = nodes.member("Org2MSP", 0).signingIdentity();
        SignedMessage<SwimMessage> join = signedJoin(identity, MembershipNodes.endpoint(outsider));
        byte[] envelope = MembershipWire.encode(join, peer -> Optional.of(identity.identity().serialized()));
        assertThat(outsider.network().send(target.id(), envelope, false)).isTrue();

        await().atMost(CONVERGED).until(() -> membership(target).counters().refused(Refusal.FOREIGN_ORGANIZATION) >= 1);
        // And one that runs membership seeded with an Org1 node ignores that seed instead of joining another organisation.
        outsider.startMembership(MembershipSettings.lan(List.of(MembershipNodes.seed(target)), MembershipNodes.endpoint(outsider)));
        await().atMost(CONVERGED).until(() -> membership(outsider).counters().refused(Refusal.FOREIGN_SEED) == 1);

        for (GossipPeer peer : org1) {
            PeerMembership.State state = membership(peer).state();
            assertThat(state.live()).doesNotContainKey(outsider.id());
            assertThat(state.dead()).doesNotContain(outsider.id());
        }
        assertThat(membership(outsider).state().live()).isEmpty();
    }

    @Test
    @Tag("silent")
    void aMemberThatSpeaksBeforeItIsKnownIsAskedForItsTable() {
        List<GossipPeer> members = org1.subList(0, 4);
        awaitConverged(members);
        GossipPeer stranger = org1.get(4);
        GossipPeer target = org1.get(1);
        stranger.connect(target.id(), "127.0.0.1", target.port());
        await().atMost(CONVERGED).until(() -> stranger.network().isConnected(target.id()));
        long before = membership(target).counters().get(MembershipCounters.Counter.INTRODUCTIONS);

        // A ping carrying no record: the target cannot learn the stranger from it, so it asks for its table.
        SigningIdentity identity = nodes.member("Org1MSP", 4).signingIdentity();
        byte[] ping = MembershipWire.encode(signed(identity, new SwimMessage.Ping(1, List.of())), peer -> Optional.empty());
        assertThat(stranger.network().send(target.id(), ping, false)).isTrue();

        await().atMost(CONVERGED).until(() -> membership(target).counters().get(MembershipCounters.Counter.INTRODUCTIONS) == before + 1);
        assertThat(membership(target).state().live()).doesNotContainKey(stranger.id());
    }

    /** A Sync of the outsider's own alive record, signed as a node signs membership messages. */
    private static SignedMessage<SwimMessage> signedJoin(SigningIdentity identity, String endpoint) {
        AliveRecord record = AliveRecord.sign(identity.pkiId(), identity.mspId(), endpoint, "", 1, 0,
                MemberMetadata.of(MemberRole.PEER), new EcdsaAuthenticator(identity, peer -> Optional.empty()));
        return signed(identity, new SwimMessage.Sync(List.of(record), true));
    }

    /** {@code message} signed by {@code identity} as a node signs membership messages. */
    private static SignedMessage<SwimMessage> signed(SigningIdentity identity, SwimMessage message) {
        PkiId self = identity.pkiId();
        EcdsaAuthenticator authenticator = new EcdsaAuthenticator(identity, peer -> Optional.empty());
        List<SignedMessage<SwimMessage>> captured = new ArrayList<>();
        Membership nobody = new StaticMembership(self, PeerSet.empty(), Map.of(self, identity.mspId()));
        AuthenticatedChannel<SwimMessage> channel = new AuthenticatedChannel<>(self, authenticator, new MembershipCodec(),
                nobody, () -> 0, IntegrityConfig.defaults(), (to, signed) -> captured.add(signed), (from, received) -> { },
                (from, reason) -> { }, 1);
        channel.transport().send(self, message);
        return captured.get(0);
    }

    private void awaitConverged(List<GossipPeer> peers) {
        try {
            await().atMost(CONVERGED).until(() -> peers.stream()
                    .allMatch(peer -> membership(peer).state().live().size() == peers.size() - 1));
        } catch (ConditionTimeoutException e) {
            // What each node knows, so a failure says who missed whom and what SWIM and the links did meanwhile.
            for (GossipPeer peer : peers) {
                PeerMembership.State state = membership(peer).state();
                System.out.println(peer.name() + " " + peer.id() + ": live " + state.live().keySet() + ", dead " + state.dead()
                        + ", swim " + state.swim() + ", rejections " + state.rejections() + ", refusals " + state.refusals()
                        + ", links " + state.links() + ", drops " + state.drops());
            }
            throw e;
        }
        awaitViews(peers);
    }

    /** Every node has at least minDegree neighbours in its view, and each of them is a gossip neighbour of its channel. */
    private static void awaitViews(List<GossipPeer> peers) {
        await().atMost(CONVERGED).until(() -> peers.stream().allMatch(peer -> {
            List<PkiId> view = membership(peer).state().view();
            return view.size() >= VIEW.minDegree() && view.size() <= VIEW.maxDegree()
                    && channelNeighbours(peer).containsAll(view);
        }));
    }

    private GossipPeer byId(PkiId id) {
        return org1.stream().filter(peer -> peer.id().equals(id)).findFirst().orElseThrow();
    }

    private static List<PkiId> channelNeighbours(GossipPeer peer) {
        return peer.channel(SampleChannel.CHANNEL).orElseThrow().neighbours();
    }

    private static PeerMembership membership(GossipPeer peer) {
        return peer.membership().orElseThrow();
    }
}
