package io.hearsay.testnet.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearsay.peer.node.PeerNode;
import io.hearsay.testnet.spec.ConnectionProfile;
import io.hearsay.testnet.spec.NetworkSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three network models run by real nodes (orderer and two organisations of three peers on loopback, mutual TLS,
 * RocksDB), each from its spec: peers find their organisation's neighbours through the model's discovery (the central
 * index on the orderer, SWIM membership, membership plus anchors), blocks reach everyone, and a peer that stops is
 * dropped from the others' views.
 */
class NetworkModelsTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final String CHANNEL = NetworkSpec.DEFAULT_CHANNEL;
    private static final String STOPPED = "peer2.org2.example.com";

    @TempDir
    Path directory;

    private NetworkSpec spec(String model) {
        String anchors = model.equals("hybrid") ? "[0, 1]" : "[0]";
        String yaml = """
                name: models-%s
                model: %s
                organizations:
                  - {mspId: Org1MSP, domain: org1.example.com, peers: 3, anchors: %s}
                  - {mspId: Org2MSP, domain: org2.example.com, peers: 3, anchors: %s}
                orderer: {batch: {maxMessages: 10, timeoutMillis: 100}}
                channels:
                  - {name: %s, endorsement: {kv: any, bank: majority}}
                ports: {host: 127.0.0.1, base: 0}
                dataDirectory: %s
                """.formatted(model, model, anchors, anchors, CHANNEL, directory.resolve("net").toString().replace("\\", "/"));
        return NetworkSpec.parse(yaml);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> discovery(PeerNode peer) {
        return (Map<String, Object>) peer.status().get("discovery");
    }

    private static List<String> view(PeerNode peer) {
        return (List<String>) discovery(peer).get("view");
    }

    private static String metrics(PeerNode peer) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + peer.operationsPort() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    @ParameterizedTest
    @ValueSource(strings = {"central", "gossip", "hybrid"})
    void peersFindTheirOrganisationThroughTheModelAndBlocksReachEveryone(String model) throws Exception {
        try (RunningNetwork network = NetworkLauncher.launch(spec(model))) {
            String mode = model.equals("central") ? "index" : "membership";
            await().atMost(SETTLE).untilAsserted(() -> {
                assertThat(network.linked()).as("every peer has its configured and discovered neighbours").isTrue();
                for (PeerNode peer : network.peers()) {
                    assertThat(discovery(peer)).containsEntry("mode", mode);
                    assertThat(view(peer)).as(peer.name()).hasSize(2); // both others of its organisation (minDegree 4)
                }
            });
            String metrics = metrics(network.peer("peer1.org1.example.com"));
            assertThat(metrics).contains("discovery_view_size 2.0");
            if (model.equals("central")) {
                assertThat(network.orderer().index().orElseThrow().registered()).isEqualTo(6);
                assertThat(metrics).contains("index_registered 1.0", "index_peers_known 2.0");
            } else {
                assertThat(metrics).contains("membership_members{status=\"live\"} 2.0",
                        "membership_rejected_total{reason=\"sync_flood\"} 0.0");
            }
            if (model.equals("hybrid")) {
                // Attaching to the second anchor runs apart from membership, so it may finish after the views fill.
                await().atMost(SETTLE).untilAsserted(() -> assertThat(
                        network.peer("peer2.org1.example.com").overlay().orElseThrow().state().parents()).hasSize(2));
            }

            ConnectionProfile profile = ConnectionProfile.read(network.connectionProfile());
            try (ProfileGateway client = new ProfileGateway(profile, "Org1MSP", "peer2.org1.example.com")) {
                client.gateway.getNetwork(CHANNEL).getContract("kv").submitTransaction("put", "model", model);
            }
            await().atMost(SETTLE).until(() -> network.sameHeight() && network.peers().get(0).ledger(CHANNEL).height() == 2);

            network.stop(STOPPED);
            await().atMost(SETTLE).untilAsserted(() -> {
                for (PeerNode peer : network.peers()) {
                    if (peer.name().endsWith("org2.example.com")) {
                        assertThat(view(peer)).as(peer.name() + " dropped the stopped peer").doesNotContain(STOPPED).hasSize(1);
                    }
                }
            });
            if (model.equals("central")) {
                assertThat(network.orderer().index().orElseThrow().registered()).isEqualTo(5);
            }
        }
    }
}
