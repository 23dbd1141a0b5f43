package io.hearsay.testnet.chart;

import java.util.List;

/**
 * A series' colour and dash pattern. Colours are Okabe and Ito's palette, distinguishable with the common
 * colour-vision deficiencies; the dash pattern changes with every series too, so the lines stay apart when
 * printed in greyscale. Seven colours and five dash patterns (coprime) give 35 distinct pairs before one repeats.
 */
record SeriesStyle(String colour, String dashArray) {
    private static final List<String> COLOURS = List.of("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
            "#56B4E9", "#000000");
    /** "none" is a solid line; the others are SVG stroke-dasharray values in pixels. */
    private static final List<String> DASHES = List.of("none", "9 4", "2 3", "9 3 2 3", "14 4 4 4");

    static SeriesStyle of(int seriesIndex) {
        return new SeriesStyle(COLOURS.get(seriesIndex % COLOURS.size()), DASHES.get(seriesIndex % DASHES.size()));
    }

    /** Attributes for a {@code <path>} or {@code <line>}: name/value pairs for {@link SvgDocument}. */
    String[] strokeAttributes() {
        return dashArray.equals("none")
                ? new String[] {"fill", "none", "stroke", colour, "stroke-width", "2.5", "stroke-linejoin", "round"}
                : new String[] {"fill", "none", "stroke", colour, "stroke-width", "2.5", "stroke-linejoin", "round",
                    "stroke-dasharray", dashArray};
    }
}
