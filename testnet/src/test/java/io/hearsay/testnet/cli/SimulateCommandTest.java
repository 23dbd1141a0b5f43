package io.hearsay.testnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code hearsay simulate} prints the documented JSON fields with values that follow from the run, is
 * reproducible from its seed, and reports bad options by name with exit code 2.
 */
class SimulateCommandTest {
    private static final List<String> FIELDS = List.of("peers", "mode", "runs", "seed", "rounds_mean", "rounds_max",
            "residue_mean", "messages_per_peer_mean", "t_ave_mean", "t_last_mean", "copies_per_peer_mean",
            "bytes_per_peer_mean", "virtual_ms_to_all_p50", "virtual_ms_to_all_p99");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String... args) {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return (Map<String, Object>) JsonReader.parse(run.out().trim());
    }

    @Test
    void pushPullJsonHasEveryFieldAndReachesEveryone() {
        Map<String, Object> result = json("simulate", "--mode", "push-pull", "--peers", "500", "--runs", "2", "--seed", "4", "--json");
        assertThat(result).containsKeys(FIELDS.toArray(String[]::new));
        assertThat(result.get("mode")).isEqualTo("push-pull");
        assertThat(((Number) result.get("peers")).intValue()).isEqualTo(500);
        assertThat(((Number) result.get("residue_mean")).doubleValue()).isZero();
        assertThat(((Number) result.get("rounds_mean")).doubleValue()).isBetween(4.0, 14.0);
        assertThat(((Number) result.get("t_last_mean")).doubleValue())
                .isGreaterThanOrEqualTo(((Number) result.get("t_ave_mean")).doubleValue());
    }

    @Test
    void rumorModeLeavesAResidueAndHasNoTimeToAll() {
        Map<String, Object> result = json("simulate", "--mode", "rumor-blind-coin", "--k", "1", "--peers", "300", "--json");
        assertThat(((Number) result.get("residue_mean")).doubleValue()).isGreaterThan(0.5);
        assertThat(result.get("virtual_ms_to_all_p50")).isNull();
    }

    @Test
    void blockModesCompareOnTheSameSeed() {
        Map<String, Object> hearsay = json("simulate", "--mode", "hearsay", "--peers", "100", "--blocks", "3", "--json");
        Map<String, Object> fabric = json("simulate", "--mode", "fabric", "--peers", "100", "--blocks", "3", "--json");
        double hearsayP99 = ((Number) hearsay.get("virtual_ms_to_all_p99")).doubleValue();
        double fabricP99 = ((Number) fabric.get("virtual_ms_to_all_p99")).doubleValue();
        assertThat(fabricP99).as("fabric p99 vs hearsay p99").isGreaterThan(10 * hearsayP99);
        assertThat(((Number) fabric.get("copies_per_peer_mean")).doubleValue()).isBetween(2.0, 3.5);
    }

    @Test
    void swimModeReportsDetectionFalseDeathsAndMessageRate() {
        Map<String, Object> result = json("simulate", "--mode", "swim", "--peers", "200", "--crashes", "3", "--seconds", "5",
                "--json");
        assertThat(result).containsKeys("detection_ms_p50", "detection_ms_p99", "false_deaths", "messages_per_peer_per_second");
        assertThat(((Number) result.get("crashes")).intValue()).isEqualTo(3);
        assertThat(((Number) result.get("undetected")).intValue()).isZero();
        assertThat(((Number) result.get("false_deaths")).intValue()).isZero();
        assertThat(((Number) result.get("detection_ms_p99")).doubleValue()).isBetween(100.0, 5_000.0);
    }

    @Test
    void sameSeedSameOutput() {
        CliRun first = CliRun.of("simulate", "--mode", "pull", "--peers", "200", "--seed", "9", "--json");
        CliRun second = CliRun.of("simulate", "--mode", "pull", "--peers", "200", "--seed", "9", "--json");
        assertThat(stripTiming(first.out())).isEqualTo(stripTiming(second.out()));
    }

    private static String stripTiming(String json) {
        return json.replaceAll("\"(events_per_second|wall_seconds)\":[^,}]*", "");
    }

    @Test
    void tableIsTheDefaultOutput() {
        CliRun run = CliRun.of("simulate", "--mode", "push", "--peers", "100");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("rounds to all", "residue", "trace hash");
    }

    @Test
    void badOptionsNameTheOptionAndExitWithTwo() {
        CliRun unknownMode = CliRun.of("simulate", "--mode", "carrier-pigeon");
        assertThat(unknownMode.exitCode()).isEqualTo(2);
        assertThat(unknownMode.err()).contains("--mode", "push-pull", "hearsay");
        CliRun tooFew = CliRun.of("simulate", "--peers", "1");
        assertThat(tooFew.exitCode()).isEqualTo(2);
        assertThat(tooFew.err()).contains("--peers", "between 2 and");
        CliRun loss = CliRun.of("simulate", "--loss", "1.5");
        assertThat(loss.exitCode()).isEqualTo(2);
        assertThat(loss.err()).contains("--loss");
    }

    @Test
    void modelsPrintsTheThreeNetworkModelsSideBySideReproduciblyFromTheSeed() {
        CliRun first = CliRun.of("simulate", "--mode", "models", "--peers", "300", "--seed", "5");
        CliRun second = CliRun.of("simulate", "--mode", "models", "--peers", "300", "--seed", "5");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("| | central index | pure gossip | hybrid (anchors) |")
                .containsPattern("joins succeeded while it is down \\| 0% .*\\| 100% .*\\| 100% ")
                .contains("SEED=5");
        assertThat(second.out()).isEqualTo(first.out());
    }
}
