package io.hearsay.testnet.chart;

/**
 * One axis of a {@link LineChart}. The label is shown with its unit, "time since cut (ms)".
 * {@code min} and {@code max} fix the range (e.g. 0 to 100 for a percentage); null fits it to the data,
 * widened to nice tick values.
 */
public record Axis(String label, String unit, Scale scale, Double min, Double max) {
    public Axis {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("an axis needs a label");
        }
        if (scale == null) {
            throw new IllegalArgumentException("an axis needs a scale");
        }
        if (min != null && max != null && !(min < max)) {
            throw new IllegalArgumentException("axis '" + label + "': min " + min + " must be below max " + max);
        }
        if (scale == Scale.LOG && min != null && min <= 0) {
            throw new IllegalArgumentException("axis '" + label + "': a logarithmic axis needs min > 0, got " + min);
        }
    }

    /** A linear axis fitted to the data. */
    public static Axis linear(String label, String unit) {
        return new Axis(label, unit, Scale.LINEAR, null, null);
    }

    /** A logarithmic axis fitted to the data's positive values. */
    public static Axis log(String label, String unit) {
        return new Axis(label, unit, Scale.LOG, null, null);
    }

    /** This axis with a fixed range. */
    public Axis range(double newMin, double newMax) {
        return new Axis(label, unit, scale, newMin, newMax);
    }

    /** What the chart prints along the axis. */
    public String title() {
        return unit == null || unit.isBlank() ? label : label + " (" + unit + ")";
    }
}
