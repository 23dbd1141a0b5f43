package io.hearsay.testnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearsay bench models} on the smallest networks it accepts (2 organisations × 3 peers, 3 blocks, short
 * windows): it runs all three models on real nodes and prints one JSON object whose figures show what each model is
 * about — with the index unreachable a restarted peer finds nobody of its organisation, while gossip and hybrid peers
 * rejoin through the second anchor and receive blocks; SWIM probes only where there is membership, index
 * registrations only in the central model.
 */
class BenchModelsCommandTest {
    private static final String[] MODELS = {"central", "gossip", "hybrid"};

    @TempDir
    static Path workDirectory;

    static CliRun run;
    static Map<String, Object> json;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void runSmallBenchmark() {
        run = CliRun.of("bench", "models", "--peers-per-org", "3", "--blocks", "3", "--idle-seconds", "2",
                "--join-window-seconds", "5", "--json", "--work-dir", workDirectory.toString());
        json = run.exitCode() == 0 ? (Map<String, Object>) JsonReader.parse(run.out()) : Map.of();
    }

    @Test
    void exitsZeroAndPrintsOnlyJsonOnStdout() {
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().strip()).startsWith("{").endsWith("}");
        assertThat(run.out().strip().lines()).hasSize(1);
        assertThat(json).containsEntry("benchmark", "models").containsKeys("date", "machine", "shape", "models");
        assertThat(object(json, "shape")).containsEntry("organizations", 2.0).containsEntry("peers_per_organization", 3.0)
                .containsEntry("blocks", 3.0);
        assertThat(object(json, "models")).containsOnlyKeys(MODELS);
    }

    @Test
    void everyModelStartsDisseminatesAndDropsAStoppedPeer() {
        for (String model : MODELS) {
            Map<String, Object> figures = model(model);
            assertThat(figures).as(model).containsKeys("launch_ms", "startup_ms", "dissemination_p50_ms",
                    "dissemination_p99_ms", "failure_detection_ms", "key_component", "rejoin_ms", "rejoined_block_ms",
                    "idle_discovery_messages_per_peer_s", "idle_discovery_bytes_per_peer_s",
                    "idle_block_gossip_messages_per_peer_s", "idle_block_gossip_bytes_per_peer_s");
            assertThat((Double) figures.get("startup_ms")).as(model).isPositive();
            assertThat((Double) figures.get("dissemination_p50_ms")).as(model).isPositive()
                    .isLessThanOrEqualTo((Double) figures.get("dissemination_p99_ms"));
            assertThat(figures).as(model).containsEntry("blocks", 3.0).containsEntry("invalid_transactions", 0.0);
            assertThat((Double) figures.get("failure_detection_ms")).as(model).isPositive();
            assertThat((Double) figures.get("idle_discovery_messages_per_peer_s")).as(model).isPositive();
            assertThat((Double) figures.get("idle_block_gossip_messages_per_peer_s")).as(model).isPositive();
        }
    }

    @Test
    void withTheIndexDownARestartedPeerFindsNobodyOfItsOrganisation() {
        Map<String, Object> central = model("central");
        assertThat((String) central.get("key_component")).contains("index");
        assertThat(central).containsEntry("rejoined", false).containsEntry("rejoin_view", 0.0).containsEntry("rejoin_ms", null);
        assertThat((Double) central.get("idle_index_registrations_per_peer_s")).isPositive();
        assertThat(central).containsEntry("idle_swim_probes_per_peer_s", 0.0);
    }

    @Test
    void withAnAnchorDownGossipAndHybridPeersRejoinThroughTheOtherAndGetBlocks() {
        for (String model : new String[] {"gossip", "hybrid"}) {
            Map<String, Object> figures = model(model);
            assertThat((String) figures.get("key_component")).as(model).contains("peer0.org2.example.com");
            assertThat(figures).as(model).containsEntry("rejoined", true).containsEntry("rejoin_view", 1.0)
                    .containsEntry("rejoin_view_expected", 1.0).containsEntry("rejoined_got_block", true);
            assertThat((Double) figures.get("idle_swim_probes_per_peer_s")).as(model).isPositive();
            assertThat(figures).as(model).containsEntry("idle_index_registrations_per_peer_s", 0.0);
        }
    }

    private static Map<String, Object> model(String name) {
        return object(object(json, "models"), name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> parent, String name) {
        assertThat(parent).as(run.toString()).containsKey(name);
        return (Map<String, Object>) parent.get(name);
    }
}
