package io.hearsay.testnet.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The catch-up chart draws one step line per peer in name order whatever order the samples came in, and the
 * recorder keeps only height changes, extending every line to the end time.
 */
class HeightChartTest {
    @Test
    void onePeerPerSeriesInNameOrderWithSamplesInTimeOrder() {
        Map<String, List<HeightSample>> samples = new LinkedHashMap<>();
        samples.put("peer1.org2", List.of(new HeightSample(2_000, 9), new HeightSample(0, 3), new HeightSample(1_000, 3)));
        samples.put("peer0.org1", List.of(new HeightSample(0, 3), new HeightSample(2_000, 9)));
        LineChart chart = HeightChart.of("Catch-up", samples);

        assertThat(chart.series()).extracting(Series::name).containsExactly("peer0.org1", "peer1.org2");
        assertThat(chart.series().get(1).points()).extracting(Point::x).containsExactly(0.0, 1_000.0, 2_000.0);
        assertThat(chart.steps()).isTrue();
        SvgFile svg = SvgFile.parse(chart.toSvg());
        assertThat(svg.legendNames()).containsExactly("peer0.org1", "peer1.org2");
        assertThat(svg.axisTitle("y-axis")).isEqualTo("ledger height (blocks)");
        assertThat(svg.tickLabels("y-axis")).containsExactly("2", "4", "6", "8", "10");
        // The same samples in another map order draw the same bytes.
        Map<String, List<HeightSample>> reversed = new LinkedHashMap<>();
        reversed.put("peer0.org1", samples.get("peer0.org1"));
        reversed.put("peer1.org2", samples.get("peer1.org2"));
        assertThat(HeightChart.of("Catch-up", reversed).toSvg()).isEqualTo(chart.toSvg());
    }

    @Test
    void theRecorderKeepsChangesAndExtendsEachLineToTheEnd() {
        HeightRecorder recorder = new HeightRecorder();
        recorder.record("a", 0, 1);
        recorder.record("a", 100, 1);
        recorder.record("a", 200, 4);
        recorder.record("b", 50, 4);

        LineChart chart = recorder.chart("heights", 1_000);

        assertThat(chart.series().get(0).points()).containsExactly(new Point(0, 1), new Point(200, 4), new Point(1_000, 4));
        assertThat(chart.series().get(1).points()).containsExactly(new Point(50, 4), new Point(1_000, 4));
    }
}
