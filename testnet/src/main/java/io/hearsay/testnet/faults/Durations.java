package io.hearsay.testnet.faults;

import io.hearsay.testnet.spec.SpecValues;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as a scenario writes them: a whole or decimal number and a unit, {@code 500ms}, {@code 5s},
 * {@code 1.5s}, {@code 2m}. A bare number is refused: "at: 5" could mean seconds or milliseconds, and guessing
 * wrong silently shifts a whole scenario.
 */
final class Durations {
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)");
    /** A scenario is minutes long; anything beyond a day is a typo. */
    static final Duration MAX = Duration.ofDays(1);

    private Durations() {}

    static Duration parse(String path, Object value) {
        if (!(value instanceof String text)) {
            throw new ScenarioException(path, "must be a duration with a unit such as 500ms, 5s or 2m, got "
                    + SpecValues.describe(value));
        }
        Matcher matcher = FORMAT.matcher(text.trim());
        if (!matcher.matches()) {
            throw new ScenarioException(path, "must be a duration with a unit such as 500ms, 5s or 2m, got \"" + text + "\"");
        }
        double amount = Double.parseDouble(matcher.group(1));
        double millis = switch (matcher.group(2)) {
            case "ms" -> amount;
            case "s" -> amount * 1_000;
            default -> amount * 60_000;
        };
        if (millis > MAX.toMillis()) {
            throw new ScenarioException(path, "must be at most a day, got \"" + text + "\"");
        }
        if (millis != Math.rint(millis)) {
            throw new ScenarioException(path, "must be a whole number of milliseconds, got \"" + text + "\"");
        }
        return Duration.ofMillis((long) millis);
    }

    /** The shortest exact form: {@code 1500ms}, {@code 5s}, {@code 2m}. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }
}
