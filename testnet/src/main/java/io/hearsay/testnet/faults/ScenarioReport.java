package io.hearsay.testnet.faults;

import java.util.List;
import java.util.Optional;

/** What a {@link ScenarioRunner} did: one result per step run, in order; a failed step is the last. */
public record ScenarioReport(Scenario scenario, List<StepResult> results) {
    public ScenarioReport {
        results = List.copyOf(results);
    }

    /** Every step ran and every convergence was reached. */
    public boolean passed() {
        return results.size() == scenario.steps().size()
                && results.stream().allMatch(r -> r.outcome() == StepResult.Outcome.DONE);
    }

    /** The step that stopped the scenario, if one did. */
    public Optional<StepResult> failure() {
        return results.stream().filter(r -> r.outcome() == StepResult.Outcome.FAILED).findFirst();
    }

    /** A few lines for a person: the scenario, its seed, then one line per step. */
    public String describe() {
        StringBuilder text = new StringBuilder("scenario ").append(scenario.name()).append(" (seed ").append(scenario.seed())
                .append("): ").append(passed() ? "passed" : "FAILED").append('\n');
        for (StepResult result : results) {
            text.append(result).append('\n');
        }
        int skipped = scenario.steps().size() - results.size();
        if (skipped > 0) {
            text.append(skipped).append(" later step(s) not run\n");
        }
        return text.toString();
    }
}
