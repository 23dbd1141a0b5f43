package io.hearsay.testnet.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.testnet.spec.NetworkSpec;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChaosScenarioTest {
    private static final Map<String, List<String>> PEERS = NetworkSpec.defaults().peersByOrganization();

    @Test
    void theSameSeedGivesTheSameScenarioAndAnotherSeedAnother() {
        Scenario first = ChaosScenario.generate(9, PEERS, Duration.ofSeconds(20), 25);
        assertThat(ChaosScenario.generate(9, PEERS, Duration.ofSeconds(20), 25)).isEqualTo(first);
        assertThat(ChaosScenario.generate(10, PEERS, Duration.ofSeconds(20), 25).steps()).isNotEqualTo(first.steps());
    }

    @Test
    void atMostOnePeerPerOrganisationIsDownAndEveryPeerIsBackBeforeConvergence() {
        for (long seed = 0; seed < 200; seed++) {
            Scenario scenario = ChaosScenario.generate(seed, PEERS, Duration.ofSeconds(30), 25);
            Set<String> down = new HashSet<>();
            for (ScenarioStep step : scenario.steps()) {
                if (step.action() instanceof FaultAction.Kill kill) {
                    String organization = organizationOf(kill.peer());
                    assertThat(down).as("seed %d %s", seed, step).noneMatch(p -> organizationOf(p).equals(organization));
                    down.add(kill.peer());
                } else if (step.action() instanceof FaultAction.Restart restart) {
                    assertThat(down.remove(restart.peer())).as("seed %d %s restarts a peer that is down", seed, step).isTrue();
                } else if (step.action() instanceof FaultAction.Converge) {
                    assertThat(down).as("seed %d: every peer runs when the ledgers must converge", seed).isEmpty();
                }
            }
            assertThat(scenario.steps().get(scenario.steps().size() - 1).action()).isInstanceOf(FaultAction.Converge.class);
            scenario.checkNames(Set.copyOf(PEERS.values().stream().flatMap(List::stream).toList()), PEERS.keySet());
        }
    }

    private static String organizationOf(String peer) {
        return PEERS.entrySet().stream().filter(e -> e.getValue().contains(peer)).findFirst().orElseThrow().getKey();
    }
}
