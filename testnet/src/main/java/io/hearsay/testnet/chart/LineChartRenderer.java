package io.hearsay.testnet.chart;

import static io.hearsay.testnet.chart.SvgDocument.number;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays out and draws one {@link LineChart}: title on top, plot frame with grid and ticks, axis titles,
 * the series clipped to the frame, and the legend to the right of the frame (so it never hides a line).
 */
final class LineChartRenderer {
    private static final int WIDTH = 880;
    private static final int HEIGHT = 500;
    private static final int MARGIN_LEFT = 84;
    private static final int MARGIN_TOP = 52;
    private static final int MARGIN_BOTTOM = 62;
    /** Legend column: a line sample, then the name at about 7.5 px per character of 13 px text. */
    private static final int LEGEND_SAMPLE_WIDTH = 34;
    private static final double LEGEND_CHAR_WIDTH = 7.5;
    private static final int LEGEND_WIDTH_MIN = 150;
    private static final int LEGEND_WIDTH_MAX = 340;
    private static final int LEGEND_ROW_HEIGHT = 22;

    private final LineChart chart;
    private final double left;
    private final double right;
    private final double top;
    private final double bottom;
    private final Projection xProjection;
    private final Projection yProjection;

    LineChartRenderer(LineChart chart) {
        this.chart = chart;
        int longestName = chart.series().stream().mapToInt(s -> s.name().length()).max().orElse(0);
        int legendWidth = (int) Math.max(LEGEND_WIDTH_MIN, Math.min(LEGEND_WIDTH_MAX,
                LEGEND_SAMPLE_WIDTH + 24 + longestName * LEGEND_CHAR_WIDTH));
        this.left = MARGIN_LEFT;
        this.right = WIDTH - legendWidth;
        this.top = MARGIN_TOP;
        this.bottom = HEIGHT - MARGIN_BOTTOM;
        this.xProjection = Projection.of(chart.x(), values(true), left, right);
        this.yProjection = Projection.of(chart.y(), values(false), bottom, top);
    }

    String render() {
        SvgDocument svg = new SvgDocument(WIDTH, HEIGHT, chart.title());
        svg.empty("rect", "x", "0", "y", "0", "width", number(WIDTH), "height", number(HEIGHT), "fill", "#ffffff");
        svg.text("text", chart.title(), "x", number(WIDTH / 2.0), "y", "30", "text-anchor", "middle",
                "font-size", "17", "font-weight", "bold");
        svg.open("defs").open("clipPath", "id", "plot-area")
                .empty("rect", "x", number(left), "y", number(top), "width", number(right - left),
                        "height", number(bottom - top))
                .close("clipPath").close("defs");
        drawXAxis(svg);
        drawYAxis(svg);
        svg.empty("rect", "x", number(left), "y", number(top), "width", number(right - left), "height",
                number(bottom - top), "fill", "none", "stroke", "#333333", "stroke-width", "1");
        drawSeries(svg);
        drawLegend(svg);
        return svg.finish();
    }

    private void drawXAxis(SvgDocument svg) {
        svg.open("g", "id", "x-axis", "font-size", "12", "text-anchor", "middle");
        for (double tick : xProjection.ticks().values()) {
            String px = number(xProjection.toPixel(tick));
            svg.empty("line", "x1", px, "y1", number(top), "x2", px, "y2", number(bottom), "stroke", "#e3e3e3");
            svg.empty("line", "x1", px, "y1", number(bottom), "x2", px, "y2", number(bottom + 5), "stroke", "#333333");
            svg.text("text", Ticks.label(tick), "class", "tick", "x", px, "y", number(bottom + 20));
        }
        svg.text("text", chart.x().title(), "class", "axis-title", "x", number((left + right) / 2),
                "y", number(HEIGHT - 16), "font-size", "14");
        svg.close("g");
    }

    private void drawYAxis(SvgDocument svg) {
        svg.open("g", "id", "y-axis", "font-size", "12", "text-anchor", "end");
        for (double tick : yProjection.ticks().values()) {
            String py = number(yProjection.toPixel(tick));
            svg.empty("line", "x1", number(left), "y1", py, "x2", number(right), "y2", py, "stroke", "#e3e3e3");
            svg.empty("line", "x1", number(left - 5), "y1", py, "x2", number(left), "y2", py, "stroke", "#333333");
            svg.text("text", Ticks.label(tick), "class", "tick", "x", number(left - 9), "y", number(yProjection.toPixel(tick) + 4));
        }
        double middle = (top + bottom) / 2;
        svg.text("text", chart.y().title(), "class", "axis-title", "x", "22", "y", number(middle), "font-size", "14",
                "text-anchor", "middle", "transform", "rotate(-90 22 " + number(middle) + ")");
        svg.close("g");
    }

    private void drawSeries(SvgDocument svg) {
        svg.open("g", "id", "series", "clip-path", "url(#plot-area)");
        for (int i = 0; i < chart.series().size(); i++) {
            Series series = chart.series().get(i);
            List<String> attributes = new ArrayList<>(List.of("class", "series", "data-name", series.name(),
                    "d", pathData(series)));
            attributes.addAll(List.of(SeriesStyle.of(i).strokeAttributes()));
            svg.empty("path", attributes.toArray(String[]::new));
        }
        svg.close("g");
    }

    /** Path data in pixels: straight segments, or horizontal-then-vertical steps; undrawable points skipped. */
    private String pathData(Series series) {
        StringBuilder d = new StringBuilder();
        for (Point point : series.points()) {
            if (!xProjection.canDraw(point.x()) || !yProjection.canDraw(point.y())) {
                continue;
            }
            String px = number(xProjection.toPixel(point.x()));
            String py = number(yProjection.toPixel(point.y()));
            if (d.isEmpty()) {
                d.append('M').append(px).append(' ').append(py);
            } else if (chart.steps()) {
                d.append(" H").append(px).append(" V").append(py);
            } else {
                d.append(" L").append(px).append(' ').append(py);
            }
        }
        // A series with nothing drawable still gets its path (a lone move draws nothing), so each series has one.
        return d.isEmpty() ? "M" + number(left) + " " + number(bottom) : d.toString();
    }

    private void drawLegend(SvgDocument svg) {
        double x = right + 16;
        svg.open("g", "id", "legend", "font-size", "13");
        for (int i = 0; i < chart.series().size(); i++) {
            double y = top + 10 + i * LEGEND_ROW_HEIGHT;
            List<String> attributes = new ArrayList<>(List.of("x1", number(x), "y1", number(y), "x2",
                    number(x + LEGEND_SAMPLE_WIDTH), "y2", number(y)));
            attributes.addAll(List.of(SeriesStyle.of(i).strokeAttributes()));
            svg.empty("line", attributes.toArray(String[]::new));
            svg.text("text", chart.series().get(i).name(), "class", "legend-name", "x", number(x + LEGEND_SAMPLE_WIDTH + 8),
                    "y", number(y + 4));
        }
        svg.close("g");
    }

    private double[] values(boolean xValues) {
        return chart.series().stream().flatMap(s -> s.points().stream())
                .mapToDouble(p -> xValues ? p.x() : p.y()).toArray();
    }
}
