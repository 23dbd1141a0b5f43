package io.hearsay.testnet.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Scenario}'s steps against a {@link FaultTarget} at their times, one after another on the calling
 * thread, by an injected {@link ScenarioClock}.
 *
 * <pre>
 *   scenario time   0s       5s            10s              15s
 *   steps           load     kill peer1    converge (30s)   heal
 *   if converge returns at 18s, heal runs at once at 18s and its result records 3s of lag
 * </pre>
 *
 * Step times are from the scenario's start and are never shifted by an overrunning step: a late step runs at once
 * and its result records the lag, so one slow restart does not move every fault after it. A step the target
 * refuses (throws) stops the scenario — later steps assume it happened — and the report names it; a convergence
 * that times out is reported and the scenario goes on, so the run still ends healed.
 */
public final class ScenarioRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ScenarioRunner.class);

    private final FaultTarget target;
    private final ScenarioClock clock;
    private final Consumer<StepResult> progress;

    /** @param progress told of each step as it finishes (the CLI prints it); called on the running thread */
    public ScenarioRunner(FaultTarget target, ScenarioClock clock, Consumer<StepResult> progress) {
        this.target = Objects.requireNonNull(target, "target");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    public ScenarioRunner(FaultTarget target, ScenarioClock clock) {
        this(target, clock, result -> { });
    }

    /**
     * Runs every step, returning when the last has finished or one failed.
     *
     * @throws InterruptedException if the running thread is interrupted; the steps so far stay done
     */
    public ScenarioReport run(Scenario scenario) throws InterruptedException {
        LOG.info("scenario {} (seed {}): {} steps over {}", scenario.name(), scenario.seed(), scenario.steps().size(),
                Durations.format(scenario.length()));
        Duration origin = clock.elapsed();
        List<StepResult> results = new ArrayList<>();
        for (ScenarioStep step : scenario.steps()) {
            clock.awaitElapsed(origin.plus(step.at()));
            StepResult result = runStep(step, origin);
            results.add(result);
            progress.accept(result);
            if (result.outcome() == StepResult.Outcome.FAILED) {
                LOG.warn("scenario {} stopped at {}: {}", scenario.name(), step, result.detail());
                break;
            }
        }
        return new ScenarioReport(scenario, results);
    }

    private StepResult runStep(ScenarioStep step, Duration origin) throws InterruptedException {
        Duration started = clock.elapsed().minus(origin);
        if (started.minus(step.at()).compareTo(Duration.ofSeconds(1)) > 0) {
            LOG.info("{} starts {} late", step, Durations.format(Duration.ofMillis(started.minus(step.at()).toMillis())));
        }
        LOG.info("{}", step);
        StepResult.Outcome outcome;
        String detail = "";
        try {
            if (step.action().apply(target)) {
                outcome = StepResult.Outcome.DONE;
            } else {
                outcome = StepResult.Outcome.NOT_CONVERGED;
                detail = "peers did not converge within the timeout";
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            outcome = StepResult.Outcome.FAILED;
            detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new StepResult(step, started, clock.elapsed().minus(origin), outcome, detail);
    }
}
