package io.hearsay.testnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.testnet.sim.ItemSimulation.Mode;
import org.junit.jupiter.api.Test;

/**
 * The simulator reproduces the epidemic literature on 1,000 peers, averaged over seeds: anti-entropy in
 * O(log n) rounds with push/pull fastest (Karp et al.: log₃ n + O(ln ln n)), and rumor mongering's residue
 * following Demers et al.'s s = e^{-(k+1)(1-s)} and their blind/coin table. Same seed, same trace.
 */
class ItemSimulationTest {
    private static final int PEERS = 1000;
    private static final int RUNS = 5;

    private record Mean(double rounds, double residue, double copies, double tLast) {}

    private static Mean mean(Mode mode, int k) {
        double rounds = 0;
        double residue = 0;
        double copies = 0;
        double tLast = 0;
        for (int run = 0; run < RUNS; run++) {
            ItemSimulation.Result result = new ItemSimulation(new ItemSimulation.Scenario(PEERS, mode, 1, k, 0, 1000 + run)).run();
            assertThat(result.finished()).as("SEED=%d %s finished", 1000 + run, mode).isTrue();
            rounds += result.rounds();
            residue += result.residue();
            copies += result.copiesPerPeer();
            tLast += result.tLast();
        }
        return new Mean(rounds / RUNS, residue / RUNS, copies / RUNS, tLast / RUNS);
    }

    @Test
    void antiEntropyConvergesInLogarithmicRoundsWithPushPullFastest() {
        double log2 = Math.log(PEERS) / Math.log(2);
        Mean push = mean(Mode.PUSH, 1);
        Mean pull = mean(Mode.PULL, 1);
        Mean pushPull = mean(Mode.PUSH_PULL, 1);
        // Push: log2 n + ln n ≈ 16.9 (slow end game); pull: log2 n + O(ln ln n); push/pull: log3 n + O(ln ln n) ≈ 8.2.
        assertThat(push.rounds()).as("SEEDS=1000..1004 push rounds").isBetween(log2 + Math.log(PEERS) - 3, log2 + Math.log(PEERS) + 3);
        assertThat(pull.rounds()).as("pull rounds").isBetween(log2, log2 + 5);
        double karp = Math.log(PEERS) / Math.log(3) + Math.log(Math.log(PEERS));
        assertThat(pushPull.rounds()).as("push/pull rounds vs Karp's bound %.1f", karp).isBetween(karp - 2, karp + 2);
        assertThat(pushPull.rounds()).isLessThan(pull.rounds()).isLessThan(push.rounds());
        assertThat(push.residue() + pull.residue() + pushPull.residue()).isZero();
    }

    @Test
    void feedbackCounterResidueFollowsDemersClosedForm() {
        for (int k = 1; k <= 3; k++) {
            double expected = closedFormResidue(k);
            Mean measured = mean(Mode.RUMOR_FEEDBACK_COUNTER, k);
            assertThat(measured.residue()).as("k=%d residue vs e^{-(k+1)(1-s)} = %.4f", k, expected)
                    .isBetween(expected * 0.6, expected * 1.4);
        }
    }

    @Test
    void blindCoinMatchesDemersTable() {
        // Demers et al. 1987, Table 2 (n = 1000): residue 0.960 / 0.205 / 0.060 and traffic 0.04 / 1.59 / 2.82 for k = 1..3.
        double[] residue = {0.960, 0.205, 0.060};
        double[] traffic = {0.04, 1.59, 2.82};
        for (int k = 1; k <= 3; k++) {
            Mean measured = mean(Mode.RUMOR_BLIND_COIN, k);
            assertThat(measured.residue()).as("k=%d residue", k).isBetween(residue[k - 1] * 0.8, residue[k - 1] * 1.2);
            assertThat(measured.copies()).as("k=%d traffic", k).isBetween(traffic[k - 1] * 0.8 - 0.02, traffic[k - 1] * 1.2 + 0.02);
        }
    }

    @Test
    void sameSeedSameTraceHash() {
        ItemSimulation.Scenario scenario = new ItemSimulation.Scenario(300, Mode.PUSH_PULL, 2, 1, 0.05, 77);
        long first = new ItemSimulation(scenario).run().traceHash();
        assertThat(new ItemSimulation(scenario).run().traceHash()).as("SEED=77").isEqualTo(first);
        assertThat(new ItemSimulation(new ItemSimulation.Scenario(300, Mode.PUSH_PULL, 2, 1, 0.05, 78)).run().traceHash())
                .isNotEqualTo(first);
    }

    @Test
    void lossSlowsAntiEntropyButItStillConverges() {
        ItemSimulation.Result lossy = new ItemSimulation(new ItemSimulation.Scenario(500, Mode.PUSH_PULL, 1, 1, 0.3, 5)).run();
        ItemSimulation.Result clean = new ItemSimulation(new ItemSimulation.Scenario(500, Mode.PUSH_PULL, 1, 1, 0, 5)).run();
        assertThat(lossy.finished()).as("SEED=5").isTrue();
        assertThat(lossy.residue()).isZero();
        assertThat(lossy.rounds()).isGreaterThan(clean.rounds());
    }

    /** Solves s = e^{-(k+1)(1-s)} for the root below 1 by fixed-point iteration. */
    static double closedFormResidue(int k) {
        double s = 0.5;
        for (int i = 0; i < 200; i++) {
            s = Math.exp(-(k + 1) * (1 - s));
        }
        return s;
    }
}
