package io.hearsay.testnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.discovery.view.ViewConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Random views of minDegree neighbours keep the survivors in one component when peers die, provided lost
 * neighbours are replaced: measured over the real {@code NeighbourView} at 1,000 and 10,000 peers, for
 * minDegree 2, 4 and 8 and 0-90% of the peers killed at once; prints the table. Every assertion names its seed.
 */
class ViewConnectivityTest {
    private static final long SEED = 2026;
    private static final List<Double> FRACTIONS = List.of(0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9);

    @Test
    void defaultViewsKeepSurvivorsConnectedWhenHalfThePeersDie() {
        ViewConnectivity.Result result = ViewConnectivity.run(
                new ViewConnectivity.Scenario(10_000, ViewConfig.defaults(), 0.5, SEED));
        assertThat(result.largestWithReplacement()).as("SEED=%d, 10,000 peers, minDegree 4, 50%% killed: %s", SEED, result)
                .isGreaterThanOrEqualTo(0.99);
        assertThat(result.survivorsBelowMinDegree()).as("SEED=%d %s", SEED, result).isZero();
        assertThat(result.largestWithReplacement()).as("SEED=%d replacement never hurts: %s", SEED, result)
                .isGreaterThanOrEqualTo(result.largestWithoutReplacement());
    }

    @Test
    void sameSeedSameFigures() {
        ViewConnectivity.Scenario scenario = new ViewConnectivity.Scenario(1_000, ViewConfig.defaults(), 0.3, SEED);
        assertThat(ViewConnectivity.run(scenario)).as("SEED=%d twice", SEED).isEqualTo(ViewConnectivity.run(scenario));
    }

    @Test
    void table() {
        long start = System.nanoTime();
        List<ViewConnectivity.Result> results =
                ViewConnectivity.grid(List.of(1_000, 10_000), List.of(2, 4, 8), FRACTIONS, SEED);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("View connectivity, SEED=" + SEED + " (" + elapsedMillis + " ms):\n"
                + ViewConnectivity.table(results));
        for (ViewConnectivity.Result result : results) {
            int minDegree = result.scenario().config().minDegree();
            assertThat(result.largestWithReplacement()).as("SEED=%d %s", SEED, result)
                    .isGreaterThanOrEqualTo(result.largestWithoutReplacement());
            if (result.scenario().killedFraction() == 0) {
                assertThat(result.largestWithReplacement()).as("SEED=%d nothing killed: one component, %s", SEED, result)
                        .isEqualTo(1.0);
            }
            if (minDegree >= 4) {
                assertThat(result.largestWithReplacement()).as("SEED=%d with replacement: %s", SEED, result)
                        .isGreaterThanOrEqualTo(0.99);
            }
        }
    }
}
