package io.hearsay.testnet.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;

/**
 * The picture of block dissemination: for each mode, the percentage of peers holding a block against the
 * time since the orderer cut it. Time is on a logarithmic axis because the modes differ by orders of
 * magnitude (a push wave of a few ms against Fabric's pull tail of seconds); on a linear axis the fast
 * modes would be a vertical line at zero.
 */
public final class DisseminationChart {
    /** Samples per decade of time: smooth to the eye, a few hundred points per series. */
    static final int SAMPLES_PER_DECADE = 40;
    /** Where the time axis starts if no peer but the leader got a block (nothing to fit it to). */
    private static final double FALLBACK_START_MILLIS = 0.1;

    private DisseminationChart() {}

    /** One series per entry, in insertion order (the legend's order); the key is the legend name. */
    public static LineChart of(String title, LinkedHashMap<String, CoverageCurve> curves) {
        if (curves.isEmpty()) {
            throw new IllegalArgumentException("a dissemination chart needs at least one mode's curve");
        }
        double first = Double.POSITIVE_INFINITY;
        double last = 0;
        for (CoverageCurve curve : curves.values()) {
            double positive = curve.firstPositiveDelayMillis();
            if (!Double.isNaN(positive)) {
                first = Math.min(first, positive);
            }
            last = Math.max(last, curve.lastDelayMillis());
        }
        double start = Double.isInfinite(first) ? FALLBACK_START_MILLIS : Math.pow(10, Math.floor(Math.log10(first)));
        double end = Math.pow(10, Math.ceil(Math.log10(Math.max(last, start * 10))));
        double[] times = logSpaced(start, end);
        List<Series> series = new ArrayList<>();
        for (Map.Entry<String, CoverageCurve> entry : curves.entrySet()) {
            series.add(entry.getValue().series(entry.getKey(), times));
        }
        return new LineChart(title, new Axis("time since the orderer cut the block", "virtual ms, log scale", Scale.LOG,
                start, end), new Axis("peers holding the block", "%", Scale.LINEAR, 0.0, 100.0), series, true);
    }

    /** {@link #SAMPLES_PER_DECADE} times per decade from {@code start} to {@code end}, both included. */
    static double[] logSpaced(double start, double end) {
        int count = (int) Math.round(Math.log10(end / start) * SAMPLES_PER_DECADE);
        double[] times = new double[count + 1];
        for (int i = 0; i <= count; i++) {
            times[i] = start * Math.pow(10, (double) i / SAMPLES_PER_DECADE);
        }
        times[count] = end;
        return times;
    }
}
