package io.hearsay.testnet.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.testnet.faults.ChaosScenario;
import io.hearsay.testnet.faults.ChaosScenario.Stops;
import io.hearsay.testnet.faults.FaultAction;
import io.hearsay.testnet.faults.Scenario;
import io.hearsay.testnet.faults.ScenarioStep;
import io.hearsay.testnet.spec.NetworkSpec;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * How {@link ChaosScenario} takes peers down: by default only with clean kills, and each seed still gives the scenario
 * it gave before sigkills could be drawn (a golden copy of ChaosTest's default seed), so old chaos runs replay; with
 * {@link Stops#KILL_OR_SIGKILL} most seeds draw sigkills, and a sigkilled peer counts as down like a killed one: at
 * most one per organisation, and every one restarted before the ledgers must converge.
 */
class ChaosScenarioStopsTest {
    private static final Map<String, List<String>> PEERS = NetworkSpec.defaults().peersByOrganization();
    private static final Duration LENGTH = Duration.ofSeconds(20);

    @Test
    void theDefaultStillGivesEachSeedItsOldScenario() {
        Scenario scenario = ChaosScenario.generate(20261124L, PEERS, LENGTH, 25);

        assertThat(scenario).isEqualTo(ChaosScenario.generate(20261124L, PEERS, LENGTH, 25, Stops.KILL));
        assertThat(text(scenario)).isEqualTo("""
                steps[0] at 0s: load: {tps: 25}
                steps[1] at 1s: latency: {link: *, delay: 43ms, jitter: 2ms}
                steps[2] at 3427ms: partition: [[Org2MSP]]
                steps[3] at 6142ms: loss: {link: *, rate: 0.0437}
                steps[4] at 8877ms: heal: true
                steps[5] at 11055ms: latency: {link: *, delay: 41ms, jitter: 4ms}
                steps[6] at 13076ms: heal: true
                steps[7] at 15599ms: loss: {link: *, rate: 0.0928}
                steps[8] at 17915ms: kill: peer1.org1.example.com
                steps[9] at 20s: heal: true
                steps[10] at 20s: restart: peer1.org1.example.com
                steps[11] at 22s: load: off
                steps[12] at 22s: converge: {timeout: 1m}""");
        for (long seed = 0; seed < 200; seed++) {
            assertThat(ChaosScenario.generate(seed, PEERS, LENGTH, 25).steps())
                    .as("seed %d", seed).noneMatch(step -> step.action() instanceof FaultAction.Sigkill);
        }
    }

    @Test
    void sigkillsAreDrawnAndCountAsDownUntilRestarted() {
        int withSigkill = 0;
        for (long seed = 0; seed < 200; seed++) {
            Scenario scenario = ChaosScenario.generate(seed, PEERS, LENGTH, 20, Stops.KILL_OR_SIGKILL);
            assertThat(scenario).isEqualTo(ChaosScenario.generate(seed, PEERS, LENGTH, 20, Stops.KILL_OR_SIGKILL));
            Set<String> down = new HashSet<>();
            for (ScenarioStep step : scenario.steps()) {
                String stopped = step.action() instanceof FaultAction.Kill kill ? kill.peer()
                        : step.action() instanceof FaultAction.Sigkill sigkill ? sigkill.peer() : null;
                if (stopped != null) {
                    String organization = organizationOf(stopped);
                    assertThat(down).as("seed %d %s", seed, step).noneMatch(p -> organizationOf(p).equals(organization));
                    down.add(stopped);
                } else if (step.action() instanceof FaultAction.Restart restart) {
                    assertThat(down.remove(restart.peer())).as("seed %d %s restarts a peer that is down", seed, step).isTrue();
                } else if (step.action() instanceof FaultAction.Converge) {
                    assertThat(down).as("seed %d: every peer runs when the ledgers must converge", seed).isEmpty();
                }
            }
            if (scenario.steps().stream().anyMatch(step -> step.action() instanceof FaultAction.Sigkill)) {
                withSigkill++;
            }
        }
        assertThat(withSigkill).as("seeds of 200 whose 20 s draw a sigkill").isGreaterThan(160);
    }

    @Test
    void theProcessChaosTestsDefaultSeedSigkillsAPeerThatIsRunning() {
        Scenario scenario = ProcessChaosTest.scenario(ProcessChaosTest.DEFAULT_SEED, NetworkSpec.defaults());

        // The process chaos test is about crashes: its default scenario must contain one, of a peer that is up.
        assertThat(ProcessChaosTest.sigkills(scenario)).as(text(scenario)).isNotEmpty();
        Set<String> down = new HashSet<>();
        for (ScenarioStep step : scenario.steps()) {
            if (step.action() instanceof FaultAction.Sigkill sigkill) {
                assertThat(down.add(sigkill.peer())).as("%s stops a peer that runs", step).isTrue();
            } else if (step.action() instanceof FaultAction.Kill kill) {
                down.add(kill.peer());
            } else if (step.action() instanceof FaultAction.Restart restart) {
                down.remove(restart.peer());
            }
        }
    }

    private static String text(Scenario scenario) {
        return scenario.steps().stream().map(ScenarioStep::toString).collect(Collectors.joining("\n"));
    }

    private static String organizationOf(String peer) {
        return PEERS.entrySet().stream().filter(e -> e.getValue().contains(peer)).findFirst().orElseThrow().getKey();
    }
}
