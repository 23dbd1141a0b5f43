package io.hearsay.testnet.spec;

import java.util.List;
import java.util.Map;

/** How a value read from YAML (a network spec, a fault scenario) is named in error messages. */
public final class SpecValues {
    private SpecValues() {}

    public static String describe(Object value) {
        if (value == null) {
            return "nothing (null)";
        }
        if (value instanceof String text) {
            return "\"" + text + "\"";
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        return value.toString();
    }
}
