package io.hearsay.testnet.chart;

import java.util.List;

/** A named line of a {@link LineChart}; its name is what the legend shows. Points are drawn in list order. */
public record Series(String name, List<Point> points) {
    public Series {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a series needs a name: the legend shows it");
        }
        points = List.copyOf(points);
    }
}
