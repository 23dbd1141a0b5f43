package io.hearsay.testnet.faults;

/**
 * A scenario file that cannot be run, or a step that failed while running: names the step by its index and the
 * field by its path ({@code steps[3].loss.rate}), and says what is wrong, so the user can fix the file without
 * reading code.
 */
public final class ScenarioException extends IllegalArgumentException {
    private final String path;
    private final String problem;

    public ScenarioException(String path, String problem) {
        this(path, problem, null);
    }

    public ScenarioException(String path, String problem, Throwable cause) {
        super(path.isEmpty() ? problem : path + ": " + problem, cause);
        this.path = path;
        this.problem = problem;
    }

    /** Where in the scenario: {@code steps[3].loss.rate}; empty for the whole file. */
    public String path() {
        return path;
    }

    public String problem() {
        return problem;
    }
}
