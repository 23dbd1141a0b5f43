package io.hearsay.testnet.launch;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.hearsay.identity.PkiId;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network {@link ProcessLauncher} started, one JVM per node. Its status is read as any operator would, from each
 * peer's operations endpoint ({@code GET /status}); {@link #close()} sends each node SIGTERM, whose shutdown hook
 * closes it cleanly, and kills only a node that has not stopped within {@link #STOP_WAIT}.
 *
 * <p>A peer can be stopped alone — cleanly ({@link #kill}, SIGTERM) or as a crash ({@link #sigkill}, SIGKILL: its JVM
 * gets no chance to close RocksDB or finish a commit) — and {@link #restart started again} on its {@code peer.yaml},
 * data and port. A peer stopped on purpose is not one of the {@link #problems()}.
 *
 * <p>Each node's stdin is its {@link NodeControl} channel ({@link #control}): peers take link faults there, and
 * every node stops by itself when this JVM dies — even by SIGKILL — because the kernel then closes the pipe, so a
 * crashed launcher leaves no orphans holding ports and data.
 */
public final class ProcessNetwork implements LaunchedNetwork {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessNetwork.class);
    /** How long a node may take to close its ledgers after SIGTERM before it is killed. */
    static final Duration STOP_WAIT = Duration.ofSeconds(15);
    /** A status read slower than this shows the peer as down for this refresh. */
    static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);

    /** One node's JVM, where its output goes, and its control channel (its stdin). */
    public record NodeProcess(String name, Process process, Path log, ControlChannel control) {}

    private final NetworkSpec spec;
    private final NetworkLayout layout;
    private final NetworkMaterial material;
    private final List<String> warnings;
    private final List<PeerPlan> plans;
    private final NetworkLinks links;
    private final Map<String, Integer> operationsPorts;
    private final ProcessLauncher.JavaCommand java;
    /** The current process of each node, in start order (orderer first); a restart replaces a peer's entry. */
    private final Map<String, NodeProcess> processes = new LinkedHashMap<>();
    /** Peers stopped by {@link #kill} or {@link #sigkill} and not yet restarted. */
    private final Set<String> stoppedOnPurpose = new HashSet<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(STATUS_TIMEOUT).build();
    private boolean closed;

    ProcessNetwork(NetworkSpec spec, NetworkLayout layout, NetworkMaterial material, List<String> warnings,
            List<PeerPlan> plans, NetworkLinks links, Map<String, Integer> operationsPorts, ProcessLauncher.JavaCommand java,
            List<NodeProcess> processes) {
        this.spec = spec;
        this.layout = layout;
        this.material = material;
        this.warnings = List.copyOf(warnings);
        this.plans = List.copyOf(plans);
        this.links = links;
        this.operationsPorts = Map.copyOf(operationsPorts);
        this.java = java;
        processes.forEach(node -> this.processes.put(node.name(), node));
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

    /** Each node's current process, orderer first, then the peers in spec order. */
    public synchronized List<NodeProcess> processes() {
        return List.copyOf(processes.values());
    }

    /** Peer names in spec order, running or stopped. */
    public List<String> peerNames() {
        return plans.stream().map(PeerPlan::name).toList();
    }

    /** Whether peer {@code name}'s process is alive (it may still be starting up). */
    public synchronized boolean isRunning(String name) {
        return node(name).process().isAlive();
    }

    /**
     * Stops peer {@code name} cleanly: SIGTERM, whose shutdown hook closes its ledger, then waits for it to exit
     * (killing it only if it outlives {@link #STOP_WAIT}). Its data stays for {@link #restart}.
     *
     * @throws IllegalStateException if it is not running
     */
    public synchronized void kill(String name) {
        NodeProcess node = running(name);
        stoppedOnPurpose.add(name);
        stop(List.of(node));
        LOG.info("{} stopped (SIGTERM), exit code {}", name, node.process().exitValue());
    }

    /**
     * Kills peer {@code name}'s JVM with SIGKILL ({@link ProcessHandle#destroyForcibly()} on Linux), whatever it is
     * doing — mid-commit under load — and waits until the process is gone. Its RocksDB is left as the crash left it;
     * the ledger's atomic commits must make that the previous or the next block, never a mix.
     *
     * @return the process's exit code (137, 128 + SIGKILL, on Linux)
     * @throws IllegalStateException if it is not running
     */
    public synchronized int sigkill(String name) {
        NodeProcess node = running(name);
        stoppedOnPurpose.add(name);
        ProcessHandle handle = node.process().toHandle();
        if (!handle.destroyForcibly()) {
            throw new IllegalStateException("could not SIGKILL " + name + " (pid " + handle.pid() + ")");
        }
        try {
            // SIGKILL cannot be caught or delayed by the JVM; only the kernel's clean-up is waited for here.
            if (!node.process().waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " (pid " + handle.pid() + ") still runs " + STOP_WAIT.toSeconds()
                        + " s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name + " to die", e);
        }
        LOG.info("{} killed (SIGKILL, pid {}), exit code {}", name, handle.pid(), node.process().exitValue());
        return node.process().exitValue();
    }

    /**
     * Starts a stopped peer again: {@code hearsay peer --config <its peer.yaml>} — the same identity, ledger and
     * port — appending to its {@link ProcessLauncher#LOG_FILE}. It reconnects to its neighbours and repairs what it
     * missed from them; until its JVM is up its status reads as unreachable.
     *
     * @throws IllegalStateException if it is still running
     */
    public synchronized void restart(String name) {
        NodeProcess previous = node(name);
        if (previous.process().isAlive()) {
            throw new IllegalStateException("peer " + name + " is running (pid " + previous.process().pid()
                    + "); kill or sigkill it first");
        }
        if (closed) {
            throw new IllegalStateException("network " + spec.name() + " is closed");
        }
        processes.put(name, ProcessLauncher.start(java, name, "peer", layout.peerConfig(name), layout.peer(name)));
        stoppedOnPurpose.remove(name);
    }

    /** The organisation of peer {@code name}. */
    public String mspId(String name) {
        return plan(name).mspId();
    }

    /** Peer {@code name}'s PKI-ID, as its neighbours know it: its link faults are keyed by theirs. */
    public PkiId pkiId(String name) {
        String mspId = mspId(name);
        return material.crypto().organization(mspId).nodes().stream().filter(node -> node.name().equals(name))
                .findFirst().orElseThrow(() -> new IllegalStateException("no identity for peer " + name + " in "
                        + material.crypto().root()))
                .signingIdentity().pkiId();
    }

    /**
     * The control channel of peer {@code name}'s current process (a restart makes a new one): link faults go there.
     */
    public synchronized ControlChannel control(String name) {
        return node(name).control();
    }

    private PeerPlan plan(String name) {
        return plans.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "no peer " + name + " in network " + spec.name() + "; its peers are " + peerNames()));
    }

    private NodeProcess node(String name) {
        plan(name); // only peers are killed and restarted here: the orderer is not a peer
        return processes.get(name);
    }

    private NodeProcess running(String name) {
        NodeProcess node = node(name);
        if (!node.process().isAlive()) {
            throw new IllegalStateException("peer " + name + " is not running; restart it first");
        }
        return node;
    }

    @Override
    public List<PeerRow> status() {
        List<PeerRow> rows = new ArrayList<>();
        for (PeerPlan plan : plans) {
            int expected = links.expected(plan.name());
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
    public synchronized List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (NodeProcess node : processes.values()) {
            if (!node.process().isAlive() && !stoppedOnPurpose.contains(node.name())) {
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
        stop(List.copyOf(processes.values()));
        LOG.info("network {} stopped; its data stays in {}", spec.name(), layout.root());
    }

    /** SIGTERM to every node (peers first), then waits for each, killing one that outlives {@link #STOP_WAIT}. */
    static void stop(List<NodeProcess> nodes) {
        List<NodeProcess> reversed = new ArrayList<>(nodes);
        Collections.reverse(reversed);
        // The handle's destroy sends SIGTERM only. Process.destroy() would also close the node's stdin, its control
        // channel, whose end the node takes for its launcher's death (it exits 0): that raced the signal, so the node
        // stopped on whichever came first and its exit code did not say it was SIGTERM.
        reversed.forEach(node -> node.process().toHandle().destroy());
        for (NodeProcess node : reversed) {
            try {
                if (!node.process().waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("{} did not stop within {} s of SIGTERM; killing it", node.name(), STOP_WAIT.toSeconds());
                    node.process().destroyForcibly();
                }
                node.process().destroy(); // it has exited: this only closes our ends of its pipes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                node.process().destroyForcibly();
            }
        }
    }
}
