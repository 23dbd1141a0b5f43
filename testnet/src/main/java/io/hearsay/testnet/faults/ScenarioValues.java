package io.hearsay.testnet.faults;

import java.util.List;
import java.util.Map;

/** How a value from a scenario file is named in error messages. */
final class ScenarioValues {
    private ScenarioValues() {}

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
