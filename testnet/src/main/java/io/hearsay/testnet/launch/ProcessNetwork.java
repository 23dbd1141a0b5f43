package io.hearsay.testnet.launch;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.hearsay.testnet.spec.NetworkSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network {@link ProcessLauncher} started, one JVM per node. Its status is read as any operator would, from each
 * peer's operations endpoint ({@code GET /status}); {@link #close()} sends each node SIGTERM, whose shutdown hook
 * closes it cleanly, and kills only a node that has not stopped within {@link #STOP_WAIT}.
 */
public final class ProcessNetwork implements LaunchedNetwork {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessNetwork.class);
    /** How long a node may take to close its ledgers after SIGTERM before it is killed. */
    static final Duration STOP_WAIT = Duration.ofSeconds(15);
    /** A status read slower than this shows the peer as down for this refresh. */
    static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);

    /** One node's JVM and where its output goes. */
    public record NodeProcess(String name, Process process, Path log) {}

    private final NetworkSpec spec;
    private final NetworkLayout layout;
    private final NetworkMaterial material;
    private final List<String> warnings;
    private final List<PeerPlan> plans;
    private final NetworkLinks links;
    private final Map<String, Integer> operationsPorts;
    private final List<NodeProcess> processes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(STATUS_TIMEOUT).build();
    private boolean closed;

    ProcessNetwork(NetworkSpec spec, NetworkLayout layout, NetworkMaterial material, List<String> warnings,
            List<PeerPlan> plans, NetworkLinks links, Map<String, Integer> operationsPorts, List<NodeProcess> processes) {
        this.spec = spec;
        this.layout = layout;
        this.material = material;
        this.warnings = List.copyOf(warnings);
        this.plans = List.copyOf(plans);
        this.links = links;
        this.operationsPorts = Map.copyOf(operationsPorts);
        this.processes = List.copyOf(processes);
    }

    @Override
    public NetworkLayout layout() {
        return layout;
    }

    @Override
    public NetworkMaterial material() {
        return material;
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    public List<NodeProcess> processes() {
        return processes;
    }

    @Override
    public List<PeerRow> status() {
        List<PeerRow> rows = new ArrayList<>();
        for (PeerPlan plan : plans) {
            int expected = links.of(plan.name()).size();
            try {
                rows.addAll(PeerRow.of(fetchStatus(plan), expected));
            } catch (IOException | RuntimeException e) {
                spec.channelNames().forEach(channel -> rows.add(PeerRow.unreachable(plan, channel, expected)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                spec.channelNames().forEach(channel -> rows.add(PeerRow.unreachable(plan, channel, expected)));
            }
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> fetchStatus(PeerPlan plan) throws IOException, InterruptedException {
        URI uri = URI.create("http://" + spec.ports().host() + ":" + operationsPorts.get(plan.name()) + "/status");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(STATUS_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered " + response.statusCode());
        }
        try {
            return new Gson().fromJson(response.body(), Map.class);
        } catch (JsonParseException e) {
            throw new IOException(uri + " did not answer JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (NodeProcess node : processes) {
            if (!node.process().isAlive()) {
                problems.add(node.name() + " exited with code " + node.process().exitValue() + "; its log: " + node.log());
            }
        }
        return problems;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop(processes);
        LOG.info("network {} stopped; its data stays in {}", spec.name(), layout.root());
    }

    /** SIGTERM to every node (peers first), then waits for each, killing one that outlives {@link #STOP_WAIT}. */
    static void stop(List<NodeProcess> nodes) {
        List<NodeProcess> reversed = new ArrayList<>(nodes);
        Collections.reverse(reversed);
        reversed.forEach(node -> node.process().destroy());
        for (NodeProcess node : reversed) {
            try {
                if (!node.process().waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("{} did not stop within {} s of SIGTERM; killing it", node.name(), STOP_WAIT.toSeconds());
                    node.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                node.process().destroyForcibly();
            }
        }
    }
}
