package io.hearsay.peer.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OperationsServerTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<Map<String, String>> failures = new AtomicReference<>(Map.of());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private OperationsServer server;

    @BeforeEach
    void start() {
        server = new OperationsServer(new InetSocketAddress("127.0.0.1", 0), registry, failures::get,
                () -> Map.of("name", "peer0", "channels", Map.of("testchannel", Map.of("height", 7))));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsOkUntilACheckFailsAndThenNamesTheCheck() throws Exception {
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        failures.set(Map.of("network", "neither the orderer nor any neighbour is reachable"));
        HttpResponse<String> unhealthy = get("/healthz");
        assertThat(unhealthy.statusCode()).isEqualTo(503);
        assertThat(unhealthy.body()).contains("network").contains("neither the orderer nor any neighbour is reachable");
    }

    @Test
    void metricsAreInPrometheusTextFormat() throws Exception {
        Counter.builder("gossip_blocks_committed").tag("channel", "testchannel").register(registry).increment(3);
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(metrics.body()).contains("gossip_blocks_committed_total{channel=\"testchannel\"} 3.0");
    }

    @Test
    void statusIsJson() throws Exception {
        HttpResponse<String> status = get("/status");
        assertThat(status.statusCode()).isEqualTo(200);
        var json = JsonParser.parseString(status.body()).getAsJsonObject();
        assertThat(json.get("name").getAsString()).isEqualTo("peer0");
        assertThat(json.getAsJsonObject("channels").getAsJsonObject("testchannel").get("height").getAsLong()).isEqualTo(7);
    }

    @Test
    void onlyGetIsServed() throws Exception {
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/status"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }
}
