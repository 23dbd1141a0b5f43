package io.hearsay.testnet.chart;

/** One sample of a series, in data units (not pixels). */
public record Point(double x, double y) {
    public Point {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("a chart point must be finite, got (" + x + ", " + y + ")");
        }
    }
}
