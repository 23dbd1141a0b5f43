package io.hearsay.testnet.spec;

import java.util.List;
import java.util.Map;

/** How a value from a spec file is named in error messages. */
final class SpecValues {
    private SpecValues() {}

    static String describe(Object value) {
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
