package io.hearsay.testnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.discovery.election.ElectionConfig;
import io.hearsay.discovery.runtime.RandomSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Leader election per organisation on simulated LAN links with the {@code lan()} preset, against the issue's
 * targets: after the leader's crash every live peer of the org agrees on a new acting leader within 3 s (p99 over
 * seeded trials); no peer ever becomes leader while a live peer of its org is ahead of it (the lowest PKI-ID is
 * always far behind); time with two leaders is measured and bounded. Every assertion names its seed.
 */
class ElectionSimulationTest {
    private static final int TRIALS = 30;

    private static String figures(long seed, ElectionSimulation.Result r) {
        return String.format(Locale.ROOT, "SEED=%d: failover p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d); handover p50 "
                + "%.0f ms, max %.0f ms (%d); unresolved %d; overlap %.1f ms in %d episodes; behind leaders %s; %.2f "
                + "messages per peer per second; %,d events", seed, r.failoverMillis().p50(), r.failoverMillis().p99(),
                r.failoverMillis().max(), r.failoverMillis().count(), r.handoverMillis().p50(), r.handoverMillis().max(),
                r.handoverMillis().count(), r.unresolved(), r.overlapMillis(), r.overlapEpisodes(), r.behindLeaders(),
                r.messagesPerPeerPerSecond(), r.events());
    }

    /** One org of 10–50 peers: settle, then three times kill the leader and once let a follower overtake it. */
    private static ElectionSimulation.Result organizationTrial(long seed) {
        return organizationTrial(seed, LinkModel.lan());
    }

    private static ElectionSimulation.Result organizationTrial(long seed, LinkModel link) {
        // The org size comes from the seed too, so a failure reproduces from SEED alone.
        int peers = 10 + RandomSource.seeded(seed ^ 0x5eed).nextInt(41);
        ElectionSimulation simulation = new ElectionSimulation(new ElectionSimulation.Scenario(1, peers,
                ElectionConfig.lan(), link, seed));
        simulation.advance(4_000);
        assertThat(simulation.agreed(0)).as("SEED=%d: an org of %d agrees on a leader after startup", seed, peers).isTrue();
        for (int kill = 0; kill < 3; kill++) {
            simulation.advance(simulation.random().nextLong(0, 1_000));
            simulation.killLeader(0);
            simulation.advance(4_000);
        }
        simulation.advance(simulation.random().nextLong(0, 1_000));
        simulation.overtake(0);
        simulation.advance(4_000);
        return simulation.result();
    }

    @Test
    void failoverWithinThreeSecondsAndNoBehindLeaderOverSeededTrials() {
        List<Double> failovers = new ArrayList<>();
        List<Double> handovers = new ArrayList<>();
        double overlapMillis = 0;
        int overlapEpisodes = 0;
        for (long seed = 1; seed <= TRIALS; seed++) {
            ElectionSimulation.Result result = organizationTrial(seed);
            String figures = figures(seed, result);
            assertThat(result.unresolved()).as(figures).isZero();
            assertThat(result.behindLeaders()).as(figures).isEmpty();
            assertThat(result.failoverMillis().count()).as(figures).isEqualTo(3);
            assertThat(result.handoverMillis().count()).as(figures).isEqualTo(1);
            assertThat(result.failoverMillis().max()).as(figures).isLessThanOrEqualTo(3_000);
            // Overlap comes only from a handover: the old leader steps down when the new one's declaration arrives.
            assertThat(result.overlapMillis()).as(figures).isLessThanOrEqualTo(10);
            failovers.addAll(result.failoverSamples());
            handovers.addAll(result.handoverSamples());
            overlapMillis += result.overlapMillis();
            overlapEpisodes += result.overlapEpisodes();
        }
        Percentiles failover = Percentiles.of(failovers);
        Percentiles handover = Percentiles.of(handovers);
        System.out.printf(Locale.ROOT, "Election, one org of 10-50 peers, LAN, seeds 1..%d, %d kills: failover p50 %.0f "
                + "ms, p99 %.0f ms, max %.0f ms; handover to an overtaking follower (%d) p50 %.0f ms, p99 %.0f ms; overlap "
                + "%.1f ms total in %d episodes, %.2f ms per trial%n", TRIALS, failover.count(), failover.p50(),
                failover.p99(), failover.max(), handover.count(), handover.p50(), handover.p99(), overlapMillis,
                overlapEpisodes, overlapMillis / TRIALS);
        assertThat(failover.p99()).as("p99 failover over seeds 1..%d", TRIALS).isLessThanOrEqualTo(3_000);
    }

    @Test
    void underFivePercentLossFailoverHoldsAndOverlapStaysShort() {
        List<Double> failovers = new ArrayList<>();
        double overlapMillis = 0;
        int overlapEpisodes = 0;
        for (long seed = 301; seed < 301 + TRIALS; seed++) {
            ElectionSimulation.Result result = organizationTrial(seed, LinkModel.lan().withLoss(0.05));
            String figures = figures(seed, result);
            assertThat(result.unresolved()).as(figures).isZero();
            assertThat(result.behindLeaders()).as(figures).isEmpty();
            failovers.addAll(result.failoverSamples());
            overlapMillis += result.overlapMillis();
            overlapEpisodes += result.overlapEpisodes();
        }
        Percentiles failover = Percentiles.of(failovers);
        System.out.printf(Locale.ROOT, "Election, one org of 10-50 peers, LAN with 5%% loss, seeds 301..%d, %d kills: "
                + "failover p50 %.0f ms, p99 %.0f ms, max %.0f ms; overlap %.1f ms total in %d episodes%n",
                300 + TRIALS, failover.count(), failover.p50(), failover.p99(), failover.max(), overlapMillis,
                overlapEpisodes);
        assertThat(failover.p99()).as("p99 failover under 5%% loss, seeds 301..%d", 300 + TRIALS)
                .isLessThanOrEqualTo(3_000);
    }

    @Test
    void thousandPeersInTenOrganizationsFailOverIndependently() {
        List<Double> failovers = new ArrayList<>();
        for (long seed = 101; seed <= 105; seed++) {
            ElectionSimulation simulation = new ElectionSimulation(new ElectionSimulation.Scenario(10, 100,
                    ElectionConfig.lan(), LinkModel.lan(), seed));
            simulation.advance(4_000);
            for (int org = 0; org < 10; org++) {
                assertThat(simulation.agreed(org)).as("SEED=%d: org %d agrees after startup", seed, org).isTrue();
            }
            for (int org = 0; org < 10; org++) {
                simulation.advance(simulation.random().nextLong(0, 100));
                simulation.killLeader(org);
            }
            simulation.advance(5_000);
            ElectionSimulation.Result result = simulation.result();
            String figures = figures(seed, result);
            System.out.println("Election, 1,000 peers in 10 orgs, LAN: " + figures);
            assertThat(result.unresolved()).as(figures).isZero();
            assertThat(result.behindLeaders()).as(figures).isEmpty();
            assertThat(result.failoverMillis().count()).as(figures).isEqualTo(10);
            assertThat(result.failoverMillis().p99()).as(figures).isLessThanOrEqualTo(3_000);
            assertThat(result.overlapMillis()).as(figures).isZero();
            failovers.addAll(result.failoverSamples());
        }
        Percentiles failover = Percentiles.of(failovers);
        System.out.printf(Locale.ROOT, "Election, 1,000 peers in 10 orgs of 100, LAN, seeds 101..105, %d kills: failover "
                + "p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", failover.count(), failover.p50(), failover.p99(), failover.max());
        assertThat(failover.p99()).as("p99 failover at 1,000 peers, seeds 101..105").isLessThanOrEqualTo(3_000);
    }

    @Test
    void twoLeadersPerOrganizationFailOverToTheNextByHeight() {
        long seed = 201;
        ElectionSimulation simulation = new ElectionSimulation(new ElectionSimulation.Scenario(1, 30,
                ElectionConfig.lan().withLeadersPerOrganization(2), LinkModel.lan(), seed));
        simulation.advance(4_000);
        assertThat(simulation.leadersOf(0)).as("SEED=%d", seed).hasSize(2);
        simulation.killLeader(0);
        simulation.advance(4_000);
        ElectionSimulation.Result result = simulation.result();
        String figures = figures(seed, result);
        assertThat(result.unresolved()).as(figures).isZero();
        assertThat(result.behindLeaders()).as(figures).isEmpty();
        assertThat(result.failoverMillis().max()).as(figures).isLessThanOrEqualTo(3_000);
    }

    @Test
    void aSeedReplaysTheSameTrace() {
        assertThat(organizationTrial(7).traceHash()).as("SEED=7").isEqualTo(organizationTrial(7).traceHash());
    }
}
