package io.hearsay.testnet.faults;

import java.time.Duration;
import java.util.Objects;

/**
 * How one step ran.
 *
 * @param started when it began, from the scenario's start; later than {@link ScenarioStep#at()} when an earlier
 *     step (a convergence wait, a restart) overran
 * @param finished when it returned
 * @param detail why it failed or did not converge; empty when done
 */
public record StepResult(ScenarioStep step, Duration started, Duration finished, Outcome outcome, String detail) {
    public enum Outcome {
        DONE,
        /** A converge step whose peers did not agree within its timeout; the scenario goes on. */
        NOT_CONVERGED,
        /** The target refused or failed the step; the scenario stops here. */
        FAILED
    }

    public StepResult {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
    }

    /** How late the step started against its time. */
    public Duration lag() {
        Duration lag = started.minus(step.at());
        return lag.isNegative() ? Duration.ZERO : lag;
    }

    @Override
    public String toString() {
        String line = String.format("%8s  %-60s %s", Durations.format(Duration.ofMillis(started.toMillis())), step.action(),
                outcome == Outcome.DONE ? "done in " + Durations.format(Duration.ofMillis(finished.minus(started).toMillis()))
                        : outcome + ": " + detail);
        return line.stripTrailing();
    }
}
