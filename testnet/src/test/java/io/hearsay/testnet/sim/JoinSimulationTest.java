package io.hearsay.testnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.discovery.anchor.JoinConfig;
import org.junit.jupiter.api.Test;

/**
 * At 1,000 peers with one of 8 anchors dead from the start: every peer is dual-homed, the random tie-break and
 * least-loaded choice spread the load over the live anchors, and when the most loaded anchor is killed every
 * orphan is dual-homed again within parent timeout + a few heartbeats. Prints the figures.
 */
class JoinSimulationTest {
    private static final long SEED = 2026;

    @Test
    void joinsAndReattachesAtOneThousandPeers() {
        JoinSimulation.Result result = JoinSimulation.run(JoinSimulation.Scenario.defaults(SEED));
        System.out.println("Joining through anchors, 1,000 peers, 4 orgs × 2 anchors, 1 down, SEED=" + SEED + "\n"
                + result.table());
        assertThat(result.notDualHomed()).as("SEED=%d %s", SEED, result).isZero();
        assertThat(result.loadMax()).as("SEED=%d load spreads: %s", SEED, result)
                .isLessThanOrEqualTo((int) Math.ceil(result.loadMean() * 1.25));
        assertThat(result.orphans()).as("SEED=%d", SEED).isPositive();
        assertThat(result.orphansNotReattached()).as("SEED=%d %s", SEED, result).isZero();
        JoinConfig config = JoinConfig.defaults();
        assertThat(result.reattachMillis().max()).as("SEED=%d %s", SEED, result)
                .isLessThanOrEqualTo(config.parentTimeoutMillis() + 2 * config.heartbeatIntervalMillis()
                        + 2 * config.requestTimeoutMillis());
    }

    @Test
    void sameSeedSameRun() {
        JoinSimulation.Scenario scenario = new JoinSimulation.Scenario(200, 2, 2, 1, LinkModel.lan().withLoss(0.01), SEED);
        assertThat(JoinSimulation.run(scenario)).isEqualTo(JoinSimulation.run(scenario));
    }
}
