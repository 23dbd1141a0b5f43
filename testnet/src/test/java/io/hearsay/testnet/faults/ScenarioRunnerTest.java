package io.hearsay.testnet.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runner in virtual time against a recording target: every step is called in order at its time; a convergence
 * that overruns makes the next step late (reported), never later steps' times; one that times out is reported and
 * the scenario goes on; a step the target refuses stops the scenario and is named in the report. One run on the
 * system clock checks that steps wait for their times.
 */
class ScenarioRunnerTest {
    private static final String EVERY_STEP = """
            seed: 7
            steps:
              - {at: 0s, load: {tps: 20}}
              - {at: 5s, kill: peer1.org1.example.com}
              - {at: 5s, sigkill: peer0.org2.example.com}
              - {at: 10s, partition: [[Org1MSP], [Org2MSP, peer9]]}
              - {at: 15s, heal: true}
              - {at: 16s, restart: peer1.org1.example.com}
              - {at: 20s, loss: {link: "*", rate: 0.05}}
              - {at: 25s, latency: {link: [peer0.org1.example.com, Org2MSP], delay: 50ms, jitter: 10ms}}
              - {at: 30s, clog: peer0.org2.example.com}
              - {at: 32500ms, unclog: peer0.org2.example.com}
              - {at: 40s, converge: {timeout: 30s}}
              - {at: 41s, load: off}
            """;

    private final VirtualClock clock = new VirtualClock();
    private final RecordingTarget target = new RecordingTarget(clock);

    @Test
    void callsEveryStepInOrderAtItsTime() throws InterruptedException {
        target.convergenceTime = Duration.ofMillis(200);
        List<StepResult> progress = new ArrayList<>();
        ScenarioReport report = new ScenarioRunner(target, clock, progress::add).run(Scenario.parse("every-step", EVERY_STEP));

        assertThat(target.calls).containsExactly(
                "0s load 20",
                "5s kill peer1.org1.example.com",
                "5s sigkill peer0.org2.example.com",
                "10s partition [[Org1MSP], [Org2MSP, peer9]]",
                "15s heal",
                "16s restart peer1.org1.example.com",
                "20s loss * 0.05",
                "25s latency [peer0.org1.example.com, Org2MSP] 50ms+10ms",
                "30s clog peer0.org2.example.com",
                "32500ms unclog peer0.org2.example.com",
                "40s converge 30s",
                "41s load 0");
        assertThat(report.passed()).isTrue();
        assertThat(progress).isEqualTo(report.results()).hasSize(12);
        StepResult converge = report.results().get(10);
        assertThat(converge.finished().minus(converge.started())).isEqualTo(Duration.ofMillis(200));
        assertThat(report.results()).allSatisfy(r -> assertThat(r.lag()).isZero());
    }

    @Test
    void anOverrunningStepMakesTheNextLateButKeepsLaterTimes() throws InterruptedException {
        target.convergenceTime = Duration.ofSeconds(8);
        Scenario scenario = Scenario.parse("overrun", """
                steps:
                  - {at: 0s, converge: {timeout: 20s}}
                  - {at: 5s, heal: true}
                  - {at: 12s, clog: p}
                """);
        ScenarioReport report = new ScenarioRunner(target, clock).run(scenario);

        assertThat(target.calls).containsExactly("0s converge 20s", "8s heal", "12s clog p");
        assertThat(report.results().get(1).lag()).isEqualTo(Duration.ofSeconds(3));
        assertThat(report.results().get(2).lag()).isZero();
        assertThat(report.passed()).isTrue();
    }

    @Test
    void aTimedOutConvergenceIsReportedAndTheScenarioGoesOn() throws InterruptedException {
        target.convergenceTime = Duration.ofMinutes(1);
        Scenario scenario = Scenario.parse("slow", """
                steps:
                  - {at: 1s, converge: {timeout: 10s}}
                  - {at: 2s, heal: true}
                """);
        ScenarioReport report = new ScenarioRunner(target, clock).run(scenario);

        assertThat(target.calls).containsExactly("1s converge 10s", "11s heal");
        assertThat(report.results().get(0).outcome()).isEqualTo(StepResult.Outcome.NOT_CONVERGED);
        assertThat(report.passed()).isFalse();
        assertThat(report.failure()).isEmpty();
        assertThat(report.describe()).contains("FAILED").contains("NOT_CONVERGED: peers did not converge within the timeout");
    }

    @Test
    void aRefusedStepStopsTheScenarioAndIsNamed() throws InterruptedException {
        target.refuse = call -> call.startsWith("sigkill");
        Scenario scenario = Scenario.parse("refused", """
                steps:
                  - {at: 0s, load: {tps: 5}}
                  - {at: 1s, sigkill: peer0.org1.example.com}
                  - {at: 2s, restart: peer0.org1.example.com}
                """);
        ScenarioReport report = new ScenarioRunner(target, clock).run(scenario);

        assertThat(target.calls).containsExactly("0s load 5");
        assertThat(report.passed()).isFalse();
        StepResult failed = report.failure().orElseThrow();
        assertThat(failed.step().index()).isEqualTo(1);
        assertThat(failed.detail()).isEqualTo("sigkill peer0.org1.example.com is not supported by this network");
        assertThat(report.describe())
                .contains("sigkill: peer0.org1.example.com")
                .contains("FAILED: sigkill peer0.org1.example.com is not supported")
                .contains("1 later step(s) not run");
    }

    /** On the system clock, no step starts before its time. */
    @Test
    void stepsWaitForTheirTimeOnTheSystemClock() throws InterruptedException {
        Scenario scenario = Scenario.parse("quick", """
                steps:
                  - {at: 0ms, heal: true}
                  - {at: 60ms, heal: true}
                  - {at: 120ms, heal: true}
                """);
        ScenarioReport report = new ScenarioRunner(target, ScenarioClock.system()).run(scenario);

        assertThat(report.passed()).isTrue();
        for (StepResult result : report.results()) {
            assertThat(result.started()).as("%s", result.step()).isGreaterThanOrEqualTo(result.step().at());
        }
    }
}
