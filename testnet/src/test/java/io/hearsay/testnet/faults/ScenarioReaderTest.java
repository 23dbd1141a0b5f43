package io.hearsay.testnet.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearsay.testnet.spec.NetworkSpec;
import io.hearsay.testnet.spec.OrganizationSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Scenario files: every kind of step reads into its action and prints back as written; every mistake is refused
 * with the step's index, the field and the problem; names are checked against a network before anything runs;
 * and the shipped demo scenario reads and fits the default network.
 */
class ScenarioReaderTest {
    @Test
    void readsEveryKindOfStep() {
        Scenario scenario = Scenario.parse("all", """
                name: everything
                seed: 42
                steps:
                  - at: 0s
                    load: {tps: 20}
                  - {at: 500ms, kill: peer1.org1.example.com}
                  - {at: 1.5s, sigkill: peer1.org2.example.com}
                  - {at: 2s, restart: peer1.org1.example.com}
                  - {at: 3s, partition: [[Org1MSP], [Org2MSP]]}
                  - {at: 3s, partition: [peer0.org1.example.com]}
                  - {at: 4s, heal: true}
                  - {at: 5s, loss: {link: "*", rate: 0.05}}
                  - {at: 5s, loss: {link: Org1MSP, rate: 1}}
                  - {at: 6s, latency: {link: [peer0.org1.example.com, Org2MSP], delay: 50ms, jitter: 10ms}}
                  - {at: 6s, latency: {link: peer0.org1.example.com, delay: 1s}}
                  - {at: 1m, clog: peer0.org2.example.com}
                  - {at: 1m, unclog: peer0.org2.example.com}
                  - {at: 2m, converge: {timeout: 30s}}
                  - {at: 2m, load: off}
                """);

        assertThat(scenario.name()).isEqualTo("everything");
        assertThat(scenario.seed()).isEqualTo(42);
        assertThat(scenario.length()).isEqualTo(Duration.ofMinutes(2));
        assertThat(scenario.steps()).extracting(ScenarioStep::at).containsExactly(
                Duration.ZERO, Duration.ofMillis(500), Duration.ofMillis(1500), Duration.ofSeconds(2), Duration.ofSeconds(3),
                Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(6),
                Duration.ofSeconds(6), Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(2));
        assertThat(scenario.steps()).extracting(step -> step.action().toString()).containsExactly(
                "load: {tps: 20}",
                "kill: peer1.org1.example.com",
                "sigkill: peer1.org2.example.com",
                "restart: peer1.org1.example.com",
                "partition: [[Org1MSP], [Org2MSP]]",
                "partition: [[peer0.org1.example.com]]",
                "heal: true",
                "loss: {link: *, rate: 0.05}",
                "loss: {link: Org1MSP, rate: 1}",
                "latency: {link: [peer0.org1.example.com, Org2MSP], delay: 50ms, jitter: 10ms}",
                "latency: {link: peer0.org1.example.com, delay: 1s, jitter: 0s}",
                "clog: peer0.org2.example.com",
                "unclog: peer0.org2.example.com",
                "converge: {timeout: 30s}",
                "load: off");
        assertThat(scenario.steps().get(4).action()).isEqualTo(new FaultAction.Partition(
                List.of(Set.of("Org1MSP"), Set.of("Org2MSP"))));
        assertThat(scenario.steps().get(9).action()).isEqualTo(new FaultAction.Latency(
                new LinkSelector("peer0.org1.example.com", "Org2MSP"), Duration.ofMillis(50), Duration.ofMillis(10)));
        assertThat(scenario.steps()).extracting(ScenarioStep::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
    }

    @Test
    void defaultsNameFromTheFileAndSeedOne(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("outage.yaml");
        Files.writeString(file, "steps:\n  - {at: 0s, heal: true}\n");
        Scenario scenario = Scenario.load(file);
        assertThat(scenario.name()).isEqualTo("outage");
        assertThat(scenario.seed()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no steps               | seed: 3                                                      | steps      | must be a list of at least one step
            empty file             | ''                                                           | ''         | the scenario is empty
            not YAML               | 'steps: [ {at: 0s'                                           | ''         | not a valid YAML scenario
            unknown root key       | 'stepz: []'                                                  | stepz      | unknown key; allowed keys: name, seed, steps
            step not a mapping     | 'steps: [kill]'                                              | steps[0]   | must be a mapping of at and one action
            missing at             | 'steps: [{kill: p}]'                                         | steps[0].at | is required
            bare number time       | 'steps: [{at: 5, kill: p}]'                                  | steps[0].at | must be a duration with a unit such as 500ms, 5s or 2m, got 5
            unknown unit           | 'steps: [{at: 5h, kill: p}]'                                 | steps[0].at | got "5h"
            unknown action         | 'steps: [{at: 0s, explode: p}]'                              | steps[0].explode | unknown key; allowed keys: at, clog, converge, heal, kill, latency, load, loss, partition, restart, sigkill, unclog
            no action              | 'steps: [{at: 0s}]'                                          | steps[0]   | has no action
            two actions            | 'steps: [{at: 0s, kill: p, restart: p}]'                     | steps[0]   | has kill and restart; a step does one thing
            out of order           | 'steps: [{at: 5s, heal: true}, {at: 4s, heal: true}]'        | steps[1].at | 4s is before the previous step's 5s
            peer not text          | 'steps: [{at: 0s, kill: [a]}]'                               | steps[0].kill | must be a name (text), got a list
            rate above one         | 'steps: [{at: 0s, loss: {link: "*", rate: 1.5}}]'            | steps[0].loss.rate | must be between 0 and 1, got 1.5
            rate not a number      | 'steps: [{at: 0s, loss: {link: "*", rate: high}}]'           | steps[0].loss.rate | must be a number, got "high"
            loss without link      | 'steps: [{at: 0s, loss: {rate: 0.1}}]'                       | steps[0].loss.link | is required
            loss unknown key       | 'steps: [{at: 0s, loss: {link: "*", rate: 0.1, burst: 3}}]'  | steps[0].loss.burst | unknown key; allowed keys: link, rate
            link of three          | 'steps: [{at: 0s, loss: {link: [a, b, c], rate: 0.1}}]'      | steps[0].loss.link | got a list of 3
            latency without delay  | 'steps: [{at: 0s, latency: {link: "*"}}]'                    | steps[0].latency.delay | is required
            latency millis         | 'steps: [{at: 0s, latency: {link: "*", delay: 50}}]'         | steps[0].latency.delay | must be a duration with a unit
            partition name twice   | 'steps: [{at: 0s, partition: [[a, b], [b]]}]'                | steps[0].partition[1][0] | "b" is already in group 0
            partition empty group  | 'steps: [{at: 0s, partition: [[a], []]}]'                    | steps[0].partition[1] | must be a non-empty list
            heal false             | 'steps: [{at: 0s, heal: false}]'                             | steps[0].heal | must be true
            load negative          | 'steps: [{at: 0s, load: {tps: -1}}]'                         | steps[0].load.tps | must be between 0 and 1000000, got -1
            load word              | 'steps: [{at: 0s, load: lots}]'                              | steps[0].load | must be {tps: N} or off
            converge zero          | 'steps: [{at: 0s, converge: {timeout: 0s}}]'                 | steps[0].converge.timeout | must be more than 0
            seed not integer       | 'seed: abc'                                                  | seed       | must be an integer
            duplicate key          | 'steps: [{at: 0s, at: 1s, heal: true}]'                      | ''         | not a valid YAML scenario
            """)
    void refusesMistakesNamingTheStepAndField(String mistake, String yaml, String path, String problem) {
        assertThatThrownBy(() -> Scenario.parse("bad", yaml))
                .isInstanceOfSatisfying(ScenarioException.class, e -> {
                    assertThat(e.path()).isEqualTo(path);
                    assertThat(e.problem()).contains(problem);
                    assertThat(e.getMessage()).startsWith(path.isEmpty() ? problem.substring(0, 5) : path + ": ");
                });
    }

    @Test
    void aFileErrorNamesTheFile(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("broken.yaml");
        Files.writeString(file, "steps:\n  - {at: 0s, loss: {link: '*', rate: 2}}\n");
        assertThatThrownBy(() -> Scenario.load(file)).isInstanceOfSatisfying(ScenarioException.class, e -> {
            assertThat(e.path()).isEqualTo("steps[0].loss.rate");
            assertThat(e.getMessage()).contains("must be between 0 and 1").contains(file.toString());
        });
        assertThatThrownBy(() -> Scenario.load(directory.resolve("missing.yaml")))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("cannot read scenario file");
    }

    @Test
    void checksNamesAgainstTheNetworkBeforeRunning() {
        Set<String> peers = Set.of("peer0.org1.example.com", "peer0.org2.example.com");
        Set<String> organizations = Set.of("Org1MSP", "Org2MSP");
        Scenario.parse("ok", """
                steps:
                  - {at: 0s, partition: [[Org1MSP], [peer0.org2.example.com]]}
                  - {at: 1s, loss: {link: "*", rate: 0.1}}
                  - {at: 1s, latency: {link: [Org1MSP, "*"], delay: 5ms}}
                """).checkNames(peers, organizations);

        assertThatThrownBy(() -> Scenario.parse("typo", """
                steps:
                  - {at: 0s, heal: true}
                  - {at: 1s, kill: peer0.org3.example.com}
                """).checkNames(peers, organizations))
                .isInstanceOfSatisfying(ScenarioException.class, e -> assertThat(e.path()).isEqualTo("steps[1].kill"))
                .hasMessageContaining("no peer \"peer0.org3.example.com\" in this network");
        assertThatThrownBy(() -> Scenario.parse("typo", "steps: [{at: 0s, partition: [[Org1MSP], [Org9MSP]]}]")
                .checkNames(peers, organizations))
                .isInstanceOfSatisfying(ScenarioException.class, e -> assertThat(e.path()).isEqualTo("steps[0].partition[1]"))
                .hasMessageContaining("\"Org9MSP\" is neither a peer nor an organisation");
        assertThatThrownBy(() -> Scenario.parse("typo", "steps: [{at: 0s, kill: '*'}]").checkNames(peers, organizations))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("no peer \"*\"");
    }

    @Test
    void theDemoScenarioFitsTheDefaultNetwork() {
        Scenario demo = Scenario.example("demo");
        NetworkSpec network = NetworkSpec.example("two-orgs");
        Set<String> peers = network.organizations().stream().flatMap(o -> o.peerNames().stream()).collect(Collectors.toSet());
        Set<String> organizations = network.organizations().stream().map(OrganizationSpec::mspId).collect(Collectors.toSet());
        demo.checkNames(peers, organizations);

        assertThat(demo.name()).isEqualTo("demo");
        assertThat(demo.length()).as("the demo runs in well under two minutes").isLessThan(Duration.ofMinutes(1));
        List<Class<?>> kinds = demo.steps().stream().<Class<?>>map(step -> step.action().getClass()).toList();
        assertThat(kinds).contains(FaultAction.Kill.class, FaultAction.Partition.class, FaultAction.Heal.class,
                FaultAction.Restart.class, FaultAction.Converge.class);
        assertThat(kinds.get(kinds.size() - 1)).as("it ends waiting for convergence").isEqualTo(FaultAction.Converge.class);
        assertThatThrownBy(() -> Scenario.example("nope")).hasMessageContaining("the examples are [demo]");
    }
}
