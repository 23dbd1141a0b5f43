package io.hearsay.testnet.chart;

/** Maps one axis' data values to pixels between two edges, linearly or by their logarithm. */
record Projection(Scale scale, Ticks ticks, double fromPixel, double toPixel) {

    /** Fits the axis to {@code values} (or its fixed range) and widens it to nice ticks. */
    static Projection of(Axis axis, double[] values, double fromPixel, double toPixel) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double value : values) {
            if (axis.scale() == Scale.LOG && value <= 0) {
                continue;
            }
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        if (min > max) {
            // No drawable data: an empty frame with a sensible range still shows the axes.
            min = axis.scale() == Scale.LOG ? 1 : 0;
            max = axis.scale() == Scale.LOG ? 10 : 1;
        }
        min = axis.min() != null ? axis.min() : min;
        max = axis.max() != null ? axis.max() : max;
        Ticks ticks = axis.scale() == Scale.LOG ? Ticks.log(min, max) : Ticks.linear(min, max);
        if (axis.min() != null || axis.max() != null) {
            ticks = ticks.within(axis.min() != null ? axis.min() : ticks.min(), axis.max() != null ? axis.max() : ticks.max());
        }
        return new Projection(axis.scale(), ticks, fromPixel, toPixel);
    }

    boolean canDraw(double value) {
        return scale == Scale.LINEAR || value > 0;
    }

    double toPixel(double value) {
        double position = scale == Scale.LOG
                ? (Math.log10(value) - Math.log10(ticks.min())) / (Math.log10(ticks.max()) - Math.log10(ticks.min()))
                : (value - ticks.min()) / (ticks.max() - ticks.min());
        return fromPixel + position * (toPixel - fromPixel);
    }
}
