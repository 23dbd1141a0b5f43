package io.hearsay.testnet.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** p50, p99, max and mean of a sample (nearest-rank percentiles). */
public record Percentiles(double p50, double p99, double max, double mean, int count) {
    public static Percentiles of(List<Double> values) {
        if (values.isEmpty()) {
            return new Percentiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        return new Percentiles(rank(sorted, 0.50), rank(sorted, 0.99), sorted.get(sorted.size() - 1),
                sum / sorted.size(), sorted.size());
    }

    private static double rank(List<Double> sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
