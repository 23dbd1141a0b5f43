package io.hearsay.testnet.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A line chart of named series over two axes, drawn as a standalone SVG 1.1 file that any browser shows.
 * The same chart always gives the same bytes (no clock, no random ids, fixed number format), so tests can
 * compare files and committed pictures change only when the data does.
 *
 * @param steps draw each series as a step function (hold a value until the next point) rather than straight
 *     segments: right for counts that jump, like a peer's height or the number of peers holding a block
 */
public record LineChart(String title, Axis x, Axis y, List<Series> series, boolean steps) {
    public LineChart {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("a chart needs a title");
        }
        if (x == null || y == null) {
            throw new IllegalArgumentException("a chart needs both axes");
        }
        series = List.copyOf(series);
        if (series.isEmpty()) {
            throw new IllegalArgumentException("chart '" + title + "' has no series to draw");
        }
    }

    /** The chart as an SVG document. */
    public String toSvg() {
        return new LineChartRenderer(this).render();
    }

    /** Writes the SVG to {@code file}, creating its directory; says which file could not be written and why. */
    public void writeSvg(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, toSvg(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the chart to " + file + ": " + e
                    + "; check that the directory exists and is writable", e);
        }
    }
}
