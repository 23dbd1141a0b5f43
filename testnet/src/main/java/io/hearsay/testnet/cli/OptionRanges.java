package io.hearsay.testnet.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Range checks for numeric options. A value out of range is a usage error (exit 2, usage message),
 * reported by option name with the allowed range, the way picocli reports a value that does not parse.
 */
final class OptionRanges {
    private OptionRanges() {}

    static void check(CommandSpec spec, String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(), String.format(java.util.Locale.ROOT,
                    "Invalid value for option '%s': %d is out of range; it must be between %d and %d",
                    option, value, min, max));
        }
    }
}
