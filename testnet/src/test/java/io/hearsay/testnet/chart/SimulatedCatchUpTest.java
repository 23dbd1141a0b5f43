package io.hearsay.testnet.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The catch-up picture shows a real simulated catch-up: the crashed peer's line is flat while it is down and
 * below the others at its restart, then reaches their height; the chart is the same bytes from the same seed.
 */
class SimulatedCatchUpTest {
    @Test
    void theCrashedPeerFallsBehindThenCatchesUp() {
        LineChart chart = SimulatedCatchUp.chart(1);
        List<Point> crashed = chart.series().get(SimulatedCatchUp.CRASHED_PEER).points();
        List<Point> leader = chart.series().get(0).points();

        assertThat(chart.series()).hasSize(SimulatedCatchUp.PEERS);
        double topAtRestart = heightAt(leader, SimulatedCatchUp.RESTART_AT_MILLIS);
        double crashedAtRestart = heightAt(crashed, SimulatedCatchUp.RESTART_AT_MILLIS);
        assertThat(crashedAtRestart).isEqualTo(heightAt(crashed, SimulatedCatchUp.CRASH_AT_MILLIS + 1));
        assertThat(crashedAtRestart).isLessThan(topAtRestart - 5);
        assertThat(heightAt(crashed, SimulatedCatchUp.END_MILLIS)).isEqualTo(heightAt(leader, SimulatedCatchUp.END_MILLIS));
        assertThat(SimulatedCatchUp.chart(1).toSvg()).isEqualTo(chart.toSvg());
    }

    /** A step line's value at {@code millis}: the last point at or before it. */
    private static double heightAt(List<Point> points, long millis) {
        double height = Double.NaN;
        for (Point point : points) {
            if (point.x() <= millis) {
                height = point.y();
            }
        }
        return height;
    }
}
