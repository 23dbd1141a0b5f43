package io.hearsay.peer.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.hearsay.ledger.sample.SampleChannel;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hyperledger.fabric.client.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations endpoint of peers linked in a two-organisation network of real nodes, read over HTTP as an operator
 * or a Prometheus scraper reads it: health, the neighbours in {@code /status}, and the commit and overflow series.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeOperationsTest {
    private static final String CHANNEL_LABEL = "{channel=\"" + SampleChannel.CHANNEL + "\"}";

    @TempDir
    static Path directory;

    private NodeNetwork network;

    @BeforeAll
    void start() throws Exception {
        network = new NodeNetwork(directory, 2);
    }

    @AfterAll
    void stop() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void aLinkedPeerIsHealthy() throws Exception {
        for (PeerNode peer : network.peers()) {
            HttpResponse<String> health = OperationsEndpoint.get(peer, "/healthz");
            assertThat(health.statusCode()).as(peer.name()).isEqualTo(200);
            assertThat(JsonParser.parseString(health.body()).getAsJsonObject().get("status").getAsString()).isEqualTo("OK");
        }
    }

    @Test
    void statusListsThePeersThisPeerGossipsWith() throws Exception {
        // Every peer is every other's neighbour in this network; status names a neighbour by the endpoint it was given.
        for (PeerNode peer : network.peers()) {
            List<String> others = network.peers().stream().filter(p -> p != peer).map(p -> "127.0.0.1:" + p.port())
                    .toList();
            JsonObject status = JsonParser.parseString(OperationsEndpoint.get(peer, "/status").body()).getAsJsonObject();
            List<String> neighbours = status.getAsJsonArray("neighbours").asList().stream().map(e -> e.getAsString())
                    .toList();
            assertThat(neighbours).as(peer.name()).hasSize(3).containsExactlyInAnyOrderElementsOf(others);
        }
    }

    @Test
    void theScrapeHasTheCommitDurationAndTheOverflowSeries() throws Exception {
        // Org2's peer 1 does not lead: the block it commits came by gossip, through the timed ledger.
        PeerNode follower = network.peer("Org2MSP", 1);
        String commits = "ledger_block_processing_time_seconds_count" + CHANNEL_LABEL;
        double before = value(scrape(follower), commits).orElseThrow();
        try (Gateway org1 = network.gateway(network.peer("Org1MSP", 0), "Org1MSP")) {
            org1.getNetwork(SampleChannel.CHANNEL).getContract("kv").submitTransaction("put", "scraped", "yes");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> value(scrape(follower), commits).orElseThrow() > before);

        String scrape = scrape(follower);
        assertThat(value(scrape, "ledger_block_processing_time_seconds_sum" + CHANNEL_LABEL).orElseThrow()).isPositive();
        // Nothing overflowed on a quiet loopback network, but the series are there to be alerted on.
        assertThat(value(scrape, "gossip_buffer_overflows_total" + CHANNEL_LABEL)).hasValue(0.0);
        assertThat(value(scrape, "gossip_comm_queue_full_total")).hasValue(0.0);
    }

    private static String scrape(PeerNode peer) throws Exception {
        HttpResponse<String> metrics = OperationsEndpoint.get(peer, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        return metrics.body();
    }

    /** The value of {@code series} (name and labels exactly as scraped); empty when the scrape lacks it. */
    private static OptionalDouble value(String scrape, String series) {
        Matcher line = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        return line.find() ? OptionalDouble.of(Double.parseDouble(line.group(1))) : OptionalDouble.empty();
    }
}
