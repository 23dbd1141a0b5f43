package io.hearsay.testnet.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * A {@link LineChart} is a well-formed SVG 1.1 document (the JDK's XML parser reads it back) with one path per
 * series, a legend naming each, nice ticks and titled axes; awkward names are escaped; the same chart is the
 * same bytes; and every series looks different from the others even without colour.
 */
class LineChartTest {
    private static final String AWKWARD_NAME = "peer <a> & \"b\" 'c'";

    private static LineChart threeSeries(boolean steps) {
        return new LineChart("Heights & <things>", Axis.linear("time", "ms"), Axis.linear("height", "blocks"), List.of(
                new Series("p1", List.of(new Point(0, 0), new Point(40, 3), new Point(97, 7))),
                new Series(AWKWARD_NAME, List.of(new Point(0, 1), new Point(50, 2))),
                new Series("p3", List.of(new Point(10, 0.5), new Point(90, 6.2)))), steps);
    }

    @Test
    void parsesAsSvgWithOnePathPerSeriesLegendNamesTicksAndAxisTitles() {
        SvgFile svg = SvgFile.parse(threeSeries(false).toSvg());

        assertThat(svg.root().getNamespaceURI()).isEqualTo(SvgFile.SVG_NAMESPACE);
        assertThat(svg.root().getLocalName()).isEqualTo("svg");
        assertThat(svg.root().getAttribute("version")).isEqualTo("1.1");
        assertThat(SvgFile.children(svg.root(), "title").get(0).getTextContent()).isEqualTo("Heights & <things>");
        assertThat(svg.seriesPaths()).hasSize(3);
        assertThat(svg.seriesPaths()).extracting(path -> path.getAttribute("data-name"))
                .containsExactly("p1", AWKWARD_NAME, "p3");
        assertThat(svg.legendNames()).containsExactly("p1", AWKWARD_NAME, "p3");
        assertThat(svg.tickLabels("x-axis")).containsExactly("0", "20", "40", "60", "80", "100");
        assertThat(svg.tickLabels("y-axis")).containsExactly("0", "2", "4", "6", "8");
        assertThat(svg.axisTitle("x-axis")).isEqualTo("time (ms)");
        assertThat(svg.axisTitle("y-axis")).isEqualTo("height (blocks)");
    }

    @Test
    void theSameChartIsTheSameBytesAndOtherDataIsNot() {
        assertThat(threeSeries(true).toSvg()).isEqualTo(threeSeries(true).toSvg());
        assertThat(threeSeries(true).toSvg()).isNotEqualTo(threeSeries(false).toSvg());
    }

    @Test
    void stepsHoldEachValueUntilTheNextPointWhileLinesJoinPointsDirectly() {
        String stepped = SvgFile.parse(threeSeries(true).toSvg()).seriesPaths().get(0).getAttribute("d");
        String straight = SvgFile.parse(threeSeries(false).toSvg()).seriesPaths().get(0).getAttribute("d");

        // x 0..100 over the frame, so the point at x=40 is at 40% of the width: horizontal to it, then up.
        assertThat(stepped).matches("M[\\d.]+ [\\d.]+ H[\\d.]+ V[\\d.]+ H[\\d.]+ V[\\d.]+");
        assertThat(straight).matches("M[\\d.]+ [\\d.]+ L[\\d.]+ [\\d.]+ L[\\d.]+ [\\d.]+");
    }

    @Test
    void everySeriesHasItsOwnColourAndDashPattern() {
        List<Series> many = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            many.add(new Series("s" + i, List.of(new Point(0, i), new Point(1, i + 1))));
        }
        SvgFile svg = SvgFile.parse(new LineChart("seven", Axis.linear("x", ""), Axis.linear("y", ""), many, false).toSvg());

        Set<String> colours = new HashSet<>();
        Set<String> dashes = new HashSet<>();
        for (Element path : svg.seriesPaths()) {
            colours.add(path.getAttribute("stroke"));
            dashes.add(path.getAttribute("stroke-dasharray"));
        }
        assertThat(colours).hasSize(7);
        // Five dash patterns (solid has no attribute): neighbours in the legend never share one.
        assertThat(dashes).hasSize(5);
        List<Element> legendLines = SvgFile.children(svg.group("legend"), "line");
        for (int i = 0; i < 7; i++) {
            assertThat(legendLines.get(i).getAttribute("stroke")).isEqualTo(svg.seriesPaths().get(i).getAttribute("stroke"));
            assertThat(legendLines.get(i).getAttribute("stroke-dasharray"))
                    .isEqualTo(svg.seriesPaths().get(i).getAttribute("stroke-dasharray"));
        }
    }

    @Test
    void aLogAxisTicksPowersOfTenAndLeavesOutWhatItCannotDraw() {
        LineChart chart = new LineChart("latency", Axis.log("time", "ms"), Axis.linear("peers", "%").range(0, 100),
                List.of(new Series("mode", List.of(new Point(0, 1), new Point(0.35, 10), new Point(4_000, 100)))), false);
        SvgFile svg = SvgFile.parse(chart.toSvg());

        assertThat(svg.tickLabels("x-axis")).containsExactly("0.1", "1", "10", "100", "1000", "10000");
        assertThat(svg.tickLabels("y-axis")).containsExactly("0", "20", "40", "60", "80", "100");
        // The point at time 0 has no place on a log axis: two of the three points are drawn.
        assertThat(svg.seriesPaths().get(0).getAttribute("d")).matches("M[\\d.]+ [\\d.]+ L[\\d.]+ [\\d.]+");
    }

    @Test
    void aChartWithoutTitleOrSeriesIsRefusedWithTheReason() {
        assertThatThrownBy(() -> new LineChart(" ", Axis.linear("x", ""), Axis.linear("y", ""),
                List.of(new Series("s", List.of())), false)).hasMessageContaining("title");
        assertThatThrownBy(() -> new LineChart("t", Axis.linear("x", ""), Axis.linear("y", ""), List.of(), false))
                .hasMessageContaining("no series");
        assertThatThrownBy(() -> new Point(Double.NaN, 1)).hasMessageContaining("finite");
        assertThatThrownBy(() -> Axis.log("time", "ms").range(0, 10)).hasMessageContaining("min > 0");
    }

    @Test
    void aSeriesWithoutPointsStillHasItsPathAndLegendEntry() {
        LineChart chart = new LineChart("empty", Axis.linear("x", ""), Axis.linear("y", ""),
                List.of(new Series("none yet", List.of())), true);
        SvgFile svg = SvgFile.parse(chart.toSvg());

        assertThat(svg.seriesPaths()).hasSize(1);
        assertThat(svg.legendNames()).containsExactly("none yet");
    }

    @Test
    void writesTheFileCreatingItsDirectoryAndNamesAFileItCannotWrite(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("charts/heights.svg");
        threeSeries(true).writeSvg(file);
        assertThat(Files.readString(file)).isEqualTo(threeSeries(true).toSvg());

        Path blocked = dir.resolve("a-file");
        Files.writeString(blocked, "not a directory");
        assertThatThrownBy(() -> threeSeries(true).writeSvg(blocked.resolve("chart.svg")))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot write the chart to " + blocked.resolve("chart.svg"));
    }
}
