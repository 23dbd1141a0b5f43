package io.hearsay.testnet.chart;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Tick values a person reads at a glance: multiples of 1, 2 or 5 times a power of ten on a linear axis
 * (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990), powers of ten on a logarithmic one.
 * The axis range is widened to the outer ticks, so the data never runs off the frame.
 */
record Ticks(double min, double max, List<Double> values) {
    /** Ticks on an axis that should show about this many; fewer or more keeps the steps nice. */
    private static final int TARGET_COUNT = 6;
    /** More decades than this on a log axis and only every other power of ten is labelled. */
    private static final int LOG_DECADES_LABELLED_MAX = 8;

    static Ticks linear(double dataMin, double dataMax) {
        if (dataMin == dataMax) {
            // One value (say every height equal): give it room either side instead of a zero-width axis.
            double pad = dataMin == 0 ? 1 : Math.abs(dataMin) * 0.1;
            dataMin -= pad;
            dataMax += pad;
        }
        double step = nice((dataMax - dataMin) / (TARGET_COUNT - 1));
        double lo = Math.floor(dataMin / step + 1e-9) * step;
        double hi = Math.ceil(dataMax / step - 1e-9) * step;
        List<Double> values = new ArrayList<>();
        long count = Math.round((hi - lo) / step);
        for (long i = 0; i <= count; i++) {
            values.add(clean(lo + i * step, step));
        }
        return new Ticks(values.get(0), values.get(values.size() - 1), List.copyOf(values));
    }

    static Ticks log(double dataMin, double dataMax) {
        if (!(dataMin > 0)) {
            throw new IllegalArgumentException("a logarithmic axis needs positive values, got a minimum of " + dataMin);
        }
        int low = (int) Math.floor(Math.log10(dataMin) + 1e-9);
        int high = (int) Math.ceil(Math.log10(dataMax) - 1e-9);
        if (high == low) {
            high = low + 1;
        }
        int every = high - low > LOG_DECADES_LABELLED_MAX ? 2 : 1;
        List<Double> values = new ArrayList<>();
        for (int exponent = low; exponent <= high; exponent += every) {
            values.add(Double.parseDouble("1e" + exponent));
        }
        return new Ticks(Double.parseDouble("1e" + low), Double.parseDouble("1e" + high), List.copyOf(values));
    }

    /** These ticks on a fixed range: the ones inside it, with the range's own ends as the axis ends. */
    Ticks within(double fixedMin, double fixedMax) {
        return new Ticks(fixedMin, fixedMax, values.stream().filter(v -> v >= fixedMin && v <= fixedMax).toList());
    }

    /** The nice number (1, 2 or 5 × 10^k) closest above {@code raw}. */
    static double nice(double raw) {
        double exponent = Math.floor(Math.log10(raw));
        double power = Math.pow(10, exponent);
        double fraction = raw / power;
        double niceFraction = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return niceFraction * power;
    }

    /** Removes floating-point noise (0.30000000000000004) by rounding to the step's precision. */
    private static double clean(double value, double step) {
        int decimals = Math.max(0, 1 - (int) Math.floor(Math.log10(step)));
        return new BigDecimal(value).setScale(decimals, java.math.RoundingMode.HALF_EVEN).doubleValue();
    }

    /** A tick's label: no trailing zeros, no exponent, "0" rather than "-0". */
    static String label(double value) {
        if (value == 0) {
            return "0";
        }
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }
}
