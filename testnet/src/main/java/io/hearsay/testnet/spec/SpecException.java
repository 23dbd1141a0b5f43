package io.hearsay.testnet.spec;

/**
 * A network spec that cannot be used: names the field by its path in the spec ({@code organizations[1].peers})
 * and says what is wrong with it, so the user can fix the file without reading code.
 */
public final class SpecException extends IllegalArgumentException {
    private final String path;
    private final String problem;

    public SpecException(String path, String problem) {
        super(path.isEmpty() ? problem : path + ": " + problem);
        this.path = path;
        this.problem = problem;
    }

    /** The field's path from the top of the spec, e.g. {@code organizations[1].peers}; empty for the whole spec. */
    public String path() {
        return path;
    }

    public String problem() {
        return problem;
    }

    /** The same problem seen from a parent: {@code peers} inside {@code organizations[1]}. */
    SpecException within(String parentPath) {
        return new SpecException(SpecPaths.join(parentPath, path), problem);
    }

    static void checkRange(String path, long value, long min, long max) {
        if (value < min || value > max) {
            throw new SpecException(path, "must be between " + min + " and " + max + ", got " + value);
        }
    }
}
