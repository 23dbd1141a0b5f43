package io.hearsay.testnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Routed delivery's promise at scale: across 40 seeds, with 5–20% message loss, a crashed anchor, crashed and
 * partitioned peers, every send's caller gets exactly one outcome, never later than hops × per-hop timeout.
 */
class RoutingSimulationTest {
    @Test
    void everySendGetsExactlyOneOutcomeWithinTheBoundAcrossSeeds() {
        for (long seed = 1; seed <= 40; seed++) {
            double loss = 0.05 + 0.15 * ((seed * 7) % 10) / 9.0;
            RoutingSimulation.Scenario scenario = new RoutingSimulation.Scenario(300, 3, 2, 300, loss, 1, 0.05, 0.05, seed);
            RoutingSimulation.Result result = RoutingSimulation.run(scenario);
            assertThat(result.none()).as("Failed on seed %d (loss %.2f): sends without an outcome, %s", seed, loss, result)
                    .isZero();
            assertThat(result.several()).as("Failed on seed %d: sends with several outcomes, %s", seed, result).isZero();
            assertThat(result.exactlyOne()).as("Failed on seed %d", seed).isEqualTo(result.sends());
            assertThat(result.outcomeMillisMax()).as("Failed on seed %d: %s", seed, result)
                    .isLessThanOrEqualTo(result.deadlineMillis());
            assertThat(result.delivered()).as("Failed on seed %d: some sends still arrive, %s", seed, result)
                    .isGreaterThan(result.sends() / 2);
        }
    }

    @Test
    void sameSeedSameRun() {
        RoutingSimulation.Scenario scenario = RoutingSimulation.Scenario.defaults(5);
        assertThat(RoutingSimulation.run(scenario)).isEqualTo(RoutingSimulation.run(scenario));
    }
}
