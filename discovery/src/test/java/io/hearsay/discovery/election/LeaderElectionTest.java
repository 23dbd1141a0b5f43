package io.hearsay.discovery.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearsay.identity.PkiId;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The election rule on one organisation with 1 ms links and the LAN preset: the highest ledger wins, ties go to
 * the lowest PKI-ID, a peer behind never leads while a live peer ahead exists, a leader steps down for a better
 * candidate, static leaders need no election, and a crashed leader is replaced within the timeout.
 */
class LeaderElectionTest {
    private static final ElectionConfig LAN = ElectionConfig.lan();

    private static ElectionCluster cluster(long[] heights, ElectionConfig config) {
        ElectionCluster cluster = new ElectionCluster(heights.length, config, 7);
        System.arraycopy(heights, 0, cluster.heights, 0, heights.length);
        cluster.start();
        return cluster;
    }

    /** After every event: no leading peer is behind a live peer, unless fewer than k are ahead of it. */
    private static Runnable noBehindLeader(ElectionCluster cluster, int k) {
        return () -> {
            for (int leader : cluster.leaders()) {
                int ahead = 0;
                for (int j = 0; j < cluster.heights.length; j++) {
                    if (!cluster.crashed[j] && cluster.heights[j] > cluster.heights[leader]) {
                        ahead++;
                    }
                }
                assertThat(ahead).as("peer %d leads at height %d with %d live peers ahead", leader,
                        cluster.heights[leader], ahead).isLessThan(k);
            }
        };
    }

    @Test
    void highestHeightWinsEvenAgainstALowerPkiId() {
        ElectionCluster cluster = cluster(new long[] {10, 90, 100, 50, 100 - 1}, LAN);
        cluster.advance(5_000, noBehindLeader(cluster, 1));
        assertThat(cluster.leaders()).containsExactly(2);
        assertThat(cluster.becameLeader).containsExactly(2);
        for (int i = 0; i < 5; i++) {
            assertThat(cluster.elections[i].leaders()).containsExactly(ElectionCluster.id(2));
        }
    }

    @Test
    void tiesGoToTheLowestPkiId() {
        ElectionCluster cluster = cluster(new long[] {5, 100, 100, 100, 7}, LAN);
        cluster.advance(5_000);
        assertThat(cluster.leaders()).containsExactly(1);
    }

    @Test
    void aBehindPeerNeverLeadsWhileALivePeerAheadExistsThroughFailovers() {
        // Peer 0 has the lowest PKI-ID and is far behind: Fabric's rule would make it lead everyone.
        ElectionCluster cluster = cluster(new long[] {1, 100, 99, 98, 97, 96}, LAN);
        Runnable invariant = noBehindLeader(cluster, 1);
        cluster.advance(4_000, invariant);
        assertThat(cluster.leaders()).containsExactly(1);
        for (int expected = 2; expected <= 5; expected++) {
            cluster.crash(expected - 1);
            cluster.advance(3_000, invariant);
            assertThat(cluster.leaders()).as("after crashing peer %d", expected - 1).containsExactly(expected);
        }
        cluster.crash(5);
        cluster.advance(3_000, invariant);
        assertThat(cluster.leaders()).as("only the behind peer is left").containsExactly(0);
    }

    @Test
    void failoverAfterALeaderCrashTakesAtMostTheTimeoutPlusADelay() {
        ElectionCluster cluster = cluster(new long[] {100, 100, 100, 100}, LAN);
        cluster.advance(4_000);
        assertThat(cluster.leaders()).containsExactly(0);
        cluster.crash(0);
        long crashedAt = cluster.nowMillis();
        long agreedAt = -1;
        while (cluster.nowMillis() - crashedAt <= 3_000 && agreedAt < 0) {
            cluster.advance(1);
            boolean agreed = cluster.leaders().equals(new TreeSet<>(List.of(1)));
            for (int i = 1; i < 4; i++) {
                agreed &= cluster.elections[i].leaders().equals(new TreeSet<>(List.of(ElectionCluster.id(1))));
            }
            if (agreed) {
                agreedAt = cluster.nowMillis();
            }
        }
        assertThat(agreedAt).as("a new leader agreed by all").isPositive();
        assertThat(agreedAt - crashedAt).isLessThanOrEqualTo(LAN.leaderTimeoutMillis() + 10);
    }

    @Test
    void aLeaderStepsDownForACandidateThatGetsAhead() {
        ElectionCluster cluster = cluster(new long[] {100, 100, 100}, LAN);
        cluster.advance(4_000);
        assertThat(cluster.leaders()).containsExactly(0);
        cluster.heights[2] = 150;
        cluster.advance(2_000);
        assertThat(cluster.leaders()).containsExactly(2);
        assertThat(cluster.elections[0].isLeader()).isFalse();
    }

    @Test
    void anIncumbentIsNotDisplacedByAnEqualPeerWithALowerId() {
        ElectionCluster cluster = cluster(new long[] {90, 100, 100}, LAN);
        cluster.advance(4_000);
        assertThat(cluster.leaders()).containsExactly(1);
        cluster.heights[1] = 110;
        cluster.heights[0] = 110;
        cluster.advance(4_000);
        assertThat(cluster.leaders()).containsExactly(1);
        assertThat(cluster.becameLeader).containsExactly(1);
    }

    @Test
    void severalLeadersPerOrganizationAreTheTopByHeight() {
        ElectionCluster cluster = cluster(new long[] {1, 50, 100, 80, 100, 20}, LAN.withLeadersPerOrganization(2));
        cluster.advance(5_000, noBehindLeader(cluster, 2));
        assertThat(cluster.leaders()).containsExactly(2, 4);
        cluster.crash(4);
        cluster.advance(3_000, noBehindLeader(cluster, 2));
        assertThat(cluster.leaders()).containsExactly(2, 3);
    }

    @Test
    void staticLeadersLeadWithoutElectionAndSendNothing() {
        TreeSet<PkiId> named = new TreeSet<>(List.of(ElectionCluster.id(0), ElectionCluster.id(3)));
        ElectionCluster cluster = cluster(new long[] {1, 100, 100, 100}, ElectionConfig.staticLeaders(named));
        cluster.advance(5_000);
        assertThat(cluster.leaders()).containsExactly(0, 3);
        assertThat(cluster.elections[1].leaders()).isEqualTo(named);
        cluster.crash(0);
        cluster.advance(5_000);
        assertThat(cluster.leaders()).containsExactly(3);
    }

    @Test
    void aDeclarationFromOutsideTheOrganizationIsIgnored() {
        ElectionCluster cluster = cluster(new long[] {100, 90}, LAN);
        cluster.advance(4_000);
        cluster.elections[1].onMessage(ElectionCluster.id(99), new ElectionMessage(true, 1_000));
        assertThat(cluster.elections[1].leaders()).containsExactly(ElectionCluster.id(0));
        assertThat(cluster.elections[1].ignoredMessages()).isEqualTo(1);
    }

    @Test
    void membershipDeathTriggersFailoverWithoutWaitingForTheTimeout() {
        ElectionCluster cluster = cluster(new long[] {100, 90, 80}, LAN);
        cluster.advance(4_000);
        cluster.crash(0);
        cluster.elections[1].onPeerDead(ElectionCluster.id(0));
        cluster.elections[2].onPeerDead(ElectionCluster.id(0));
        cluster.advance(5);
        assertThat(cluster.leaders()).containsExactly(1);
        assertThat(cluster.elections[2].leaders()).containsExactly(ElectionCluster.id(1));
    }

    @Test
    void aCandidateThatCrashedBeforeDeclaringIsPassedOverAfterATimeout() {
        ElectionCluster cluster = cluster(new long[] {100, 90, 80, 70}, LAN);
        cluster.viewHidesCrashed = false;
        cluster.advance(4_000);
        assertThat(cluster.leaders()).containsExactly(0);
        cluster.crash(0);
        cluster.crash(1);
        // Peer 0's silence is noticed after the timeout; peer 1 never declares, so after another timeout (plus a
        // tick) peer 2 takes over.
        cluster.advance(LAN.leaderTimeoutMillis() * 2 + LAN.heartbeatIntervalMillis() * 2, noBehindLeader(cluster, 1));
        assertThat(cluster.leaders()).containsExactly(2);
        assertThat(cluster.elections[3].leaders()).containsExactly(ElectionCluster.id(2));
    }

    @Test
    void configRelationsAreValidated() {
        assertThatThrownBy(() -> new ElectionConfig(500, 900, 1_500, 1, new TreeSet<>()))
                .hasMessageContaining("2 × heartbeatIntervalMillis");
        assertThatThrownBy(() -> new ElectionConfig(500, 1_500, 100, 1, new TreeSet<>()))
                .hasMessageContaining("startupGraceMillis");
        assertThatThrownBy(() -> new ElectionConfig(500, 1_500, 1_500, 0, new TreeSet<>()))
                .hasMessageContaining("leadersPerOrganization");
        assertThatThrownBy(() -> ElectionConfig.staticLeaders(new TreeSet<>())).hasMessageContaining("named leader");
    }
}
