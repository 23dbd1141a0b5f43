package io.hearsay.testnet.chart;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Writes an SVG 1.1 document element by element, escaping every attribute value and text, and printing
 * numbers with two decimals in the root locale, so the same drawing is always the same bytes.
 */
final class SvgDocument {
    private final StringBuilder out = new StringBuilder(16 * 1024);
    private int depth;

    SvgDocument(int width, int height, String title) {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
        open("svg", "xmlns", "http://www.w3.org/2000/svg", "version", "1.1", "width", number(width),
                "height", number(height), "viewBox", "0 0 " + number(width) + " " + number(height),
                "font-family", "DejaVu Sans, Helvetica, Arial, sans-serif", "font-size", "13");
        text("title", title);
    }

    /** An element with children to come; {@code attributes} alternate name and value. */
    SvgDocument open(String name, String... attributes) {
        start(name, attributes);
        out.append(">\n");
        depth++;
        return this;
    }

    SvgDocument close(String name) {
        depth--;
        indent();
        out.append("</").append(name).append(">\n");
        return this;
    }

    /** An element without children. */
    SvgDocument empty(String name, String... attributes) {
        start(name, attributes);
        out.append("/>\n");
        return this;
    }

    /** An element holding only text, e.g. {@code <text x=".." y="..">10 ms</text>}. */
    SvgDocument text(String name, String text, String... attributes) {
        start(name, attributes);
        out.append('>').append(escape(text)).append("</").append(name).append(">\n");
        return this;
    }

    String finish() {
        close("svg");
        if (depth != 0) {
            throw new IllegalStateException("unbalanced SVG elements: " + depth + " left open");
        }
        return out.toString();
    }

    private void start(String name, String... attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name/value pairs, got " + attributes.length + " strings");
        }
        indent();
        out.append('<').append(name);
        for (int i = 0; i < attributes.length; i += 2) {
            out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
        }
    }

    private void indent() {
        out.append("  ".repeat(depth));
    }

    /** XML escaping for text and double-quoted attributes; characters XML 1.0 forbids become U+FFFD. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&apos;");
                default -> escaped.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '\uFFFD' : c);
            }
        }
        return escaped.toString();
    }

    /** A coordinate: at most two decimals, no trailing zeros, no exponent. */
    static String number(double value) {
        BigDecimal rounded = BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return rounded.signum() == 0 ? "0" : rounded.toPlainString();
    }
}
