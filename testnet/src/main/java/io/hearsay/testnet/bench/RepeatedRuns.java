package io.hearsay.testnet.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The run that represents several repetitions of one measurement on a machine other processes may share:
 * the median, by rate, of the quiet runs (other processes took at most {@link #QUIET_OTHER_CORES_MAX}
 * cores meanwhile), or of all runs if none was quiet. A burst of someone else's build during one run
 * therefore does not become the reported figure, and {@code quietRuns} says how much to trust it.
 *
 * @param representative the run reported
 * @param runs how many runs there were
 * @param quietRuns how many of them were quiet; where {@code /proc} is missing every run counts as quiet
 */
record RepeatedRuns<T>(T representative, int runs, int quietRuns) {
    /** A tenth of a core: the noise of clock-tick accounting over a sub-second run, and little interference. */
    static final double QUIET_OTHER_CORES_MAX = 0.1;

    static <T> RepeatedRuns<T> of(List<T> runs, ToDoubleFunction<T> rate, ToDoubleFunction<T> otherCores) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs to choose from");
        }
        List<T> quiet = new ArrayList<>();
        for (T run : runs) {
            double others = otherCores.applyAsDouble(run);
            if (Double.isNaN(others) || others <= QUIET_OTHER_CORES_MAX) {
                quiet.add(run);
            }
        }
        List<T> candidates = new ArrayList<>(quiet.isEmpty() ? runs : quiet);
        candidates.sort(Comparator.comparingDouble(rate));
        return new RepeatedRuns<>(candidates.get(candidates.size() / 2), runs.size(), quiet.size());
    }
}
