package io.hearsay.testnet.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A fault scenario: timed steps run against a network by a {@link ScenarioRunner}, from the CLI or a test. The file
 * format is documented on {@link ScenarioReader}; {@code scenarios/demo.yaml} on the class path is the demo's.
 *
 * @param name for logs and reports; the file name when the file gives none
 * @param seed seeds every random choice the faults make (loss draws, jitter), so a run can be repeated
 * @param steps in the order of their times
 */
public record Scenario(String name, long seed, List<ScenarioStep> steps) {
    /** Scenarios shipped on the class path, under {@code scenarios/}. */
    public static final List<String> EXAMPLES = List.of("demo");

    public Scenario {
        Objects.requireNonNull(name, "name");
        steps = List.copyOf(steps);
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).at().compareTo(steps.get(i - 1).at()) < 0) {
                throw new IllegalArgumentException("step " + i + " is timed before step " + (i - 1));
            }
        }
    }

    public static Scenario parse(String name, String yaml) {
        return ScenarioReader.read(name, yaml);
    }

    /** Reads a scenario file; problems name the file, the step and the field. */
    public static Scenario load(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ScenarioException("", "cannot read scenario file " + file + ": " + e.getMessage(), e);
        }
        String fileName = file.getFileName().toString();
        String name = fileName.endsWith(".yaml") ? fileName.substring(0, fileName.length() - ".yaml".length()) : fileName;
        try {
            return parse(name, yaml);
        } catch (ScenarioException e) {
            throw new ScenarioException(e.path(), e.problem() + " (in " + file + ")", e);
        }
    }

    /** A scenario shipped with Hearsay, by name: one of {@link #EXAMPLES}. */
    public static Scenario example(String name) {
        if (!EXAMPLES.contains(name)) {
            throw new IllegalArgumentException("no example scenario \"" + name + "\"; the examples are " + EXAMPLES);
        }
        try (InputStream in = Scenario.class.getResourceAsStream("/scenarios/" + name + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("scenarios/" + name + ".yaml is missing from the class path");
            }
            return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** When the last step starts (a converge step may make the run longer). */
    public Duration length() {
        return steps.isEmpty() ? Duration.ZERO : steps.get(steps.size() - 1).at();
    }

    /**
     * Checks every name the steps use against a network's peers and organisations, before anything runs: a typo
     * found at minute three has already spoilt the run.
     *
     * @throws ScenarioException naming the first step and field with an unknown name
     */
    public void checkNames(Set<String> peers, Set<String> organizations) {
        ScenarioNames.check(this, peers, organizations);
    }
}
