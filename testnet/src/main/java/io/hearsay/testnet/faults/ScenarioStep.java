package io.hearsay.testnet.faults;

import java.time.Duration;
import java.util.Objects;

/**
 * One timed step of a scenario: {@code action} at {@code at} after the scenario started.
 *
 * @param index the step's position in the file, from 0, as error messages and reports name it ({@code steps[3]})
 */
public record ScenarioStep(int index, Duration at, FaultAction action) {
    public ScenarioStep {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        if (at.isNegative()) {
            throw new IllegalArgumentException("a step's time must not be negative");
        }
    }

    @Override
    public String toString() {
        return "steps[" + index + "] at " + Durations.format(at) + ": " + action;
    }
}
