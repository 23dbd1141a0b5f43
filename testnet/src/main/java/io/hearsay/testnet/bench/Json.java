package io.hearsay.testnet.bench;

import java.util.Locale;

/**
 * A JSON object written field by field: enough for one flat-ish report, no library needed. Non-finite
 * numbers become {@code null}, which JSON can express and NaN cannot.
 */
public final class Json {
    private final StringBuilder text = new StringBuilder("{");
    private boolean empty = true;

    public Json field(String name, String value) {
        return raw(name, value == null ? "null" : quote(value));
    }

    public Json field(String name, long value) {
        return raw(name, Long.toString(value));
    }

    /** Written with up to three decimals: benchmark figures carry no more meaning than that. */
    public Json field(String name, double value) {
        return raw(name, Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "null");
    }

    public Json field(String name, boolean value) {
        return raw(name, Boolean.toString(value));
    }

    public Json field(String name, Json object) {
        return raw(name, object.toString());
    }

    @Override
    public String toString() {
        return text + "}";
    }

    private Json raw(String name, String json) {
        text.append(empty ? "" : ",").append(quote(name)).append(':').append(json);
        empty = false;
        return this;
    }

    private static String quote(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
