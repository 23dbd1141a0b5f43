package io.hearsay.testnet.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hearsay.testnet.sim.SimulationRunner;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;

/**
 * The coverage curve is the mean over blocks of the fraction of peers holding each block by time t, computed
 * exactly from commit delays; recorded from a real simulated run it starts at the leader alone, ends at every
 * peer, and never falls; the dissemination chart draws one such curve per mode on a log time axis.
 */
class CoverageCurveTest {
    @Test
    void theFractionAtATimeIsTheMeanOverBlocksOfPeersHoldingEach() {
        CoverageCurve curve = new CoverageCurve();
        curve.addBlock(new double[] {5, 0, 10, 20}, 4);
        curve.addBlock(new double[] {0, 30}, 4);

        assertThat(curve.blocks()).isEqualTo(2);
        assertThat(curve.fractionAt(0)).isCloseTo((1 / 4.0 + 1 / 4.0) / 2, within(1e-12));
        assertThat(curve.fractionAt(10)).isCloseTo((3 / 4.0 + 1 / 4.0) / 2, within(1e-12));
        assertThat(curve.fractionAt(1_000)).isCloseTo((4 / 4.0 + 2 / 4.0) / 2, within(1e-12));
        assertThat(curve.firstPositiveDelayMillis()).isEqualTo(5);
        assertThat(curve.lastDelayMillis()).isEqualTo(30);
    }

    @Test
    void impossibleBlocksAreRefused() {
        CoverageCurve curve = new CoverageCurve();
        assertThatThrownBy(() -> curve.addBlock(new double[] {0, 1, 2}, 2)).hasMessageContaining("held by 3 of 2 peers");
        assertThatThrownBy(() -> curve.addBlock(new double[] {-1}, 2)).hasMessageContaining("before its block was cut");
    }

    @Test
    void aRecordedRunStartsWithTheLeaderEndsWithEveryoneAndNeverFalls() {
        SimulationRunner.Options options = new SimulationRunner.Options(60, SimulationRunner.Mode.HEARSAY, 0, 1, 0, 3, 1,
                4, 512, 6, 1_000);
        CoverageRecorder recorder = new CoverageRecorder(options);
        SimulationRunner.Summary summary = SimulationRunner.run(options, recorder);
        CoverageCurve curve = recorder.curve();

        assertThat(summary.residueMean()).isZero();
        assertThat(curve.blocks()).isEqualTo(4);
        assertThat(curve.fractionAt(0)).isCloseTo(1 / 60.0, within(1e-12));
        assertThat(curve.fractionAt(curve.lastDelayMillis())).isEqualTo(1.0);
        double previous = 0;
        for (double t : DisseminationChart.logSpaced(0.01, 10_000)) {
            assertThat(curve.fractionAt(t)).isGreaterThanOrEqualTo(previous);
            previous = curve.fractionAt(t);
        }
        // The slowest block reached everyone when the runner's time-to-all says the last one did.
        assertThat(curve.lastDelayMillis()).isLessThanOrEqualTo(summary.virtualMsToAllP99() + 1e-9);
    }

    @Test
    void theDisseminationChartHasOneSeriesPerModeOnALogTimeAxis() {
        CoverageCurve fast = new CoverageCurve();
        fast.addBlock(new double[] {0, 0.4, 2, 8}, 4);
        CoverageCurve slow = new CoverageCurve();
        slow.addBlock(new double[] {0, 3, 9, 3_500}, 4);
        LinkedHashMap<String, CoverageCurve> curves = new LinkedHashMap<>();
        curves.put("fast", fast);
        curves.put("slow", slow);

        SvgFile svg = SvgFile.parse(DisseminationChart.of("two modes", curves).toSvg());

        assertThat(svg.legendNames()).containsExactly("fast", "slow");
        assertThat(svg.seriesPaths()).hasSize(2);
        assertThat(svg.tickLabels("x-axis")).containsExactly("0.1", "1", "10", "100", "1000", "10000");
        assertThat(svg.tickLabels("y-axis")).containsExactly("0", "20", "40", "60", "80", "100");
        assertThat(svg.axisTitle("y-axis")).isEqualTo("peers holding the block (%)");
    }
}
