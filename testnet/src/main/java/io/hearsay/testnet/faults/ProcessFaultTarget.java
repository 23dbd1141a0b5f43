package io.hearsay.testnet.faults;

import io.hearsay.peer.transport.LinkFaults.Rule;
import io.hearsay.testnet.launch.ControlChannel;
import io.hearsay.testnet.launch.FaultsCommand;
import io.hearsay.testnet.launch.ProcessNetwork;
import io.hearsay.testnet.load.BankLoad;
import io.hearsay.testnet.spec.ConnectionProfile;
import io.hearsay.testnet.verify.PeerStatus;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Faults on a network of one JVM per node ({@link ProcessNetwork}): load is bank transfers through the Fabric Gateway
 * SDK ({@link BankLoad}) over the connection profile; kill is SIGTERM (the node closes cleanly), sigkill is SIGKILL
 * (it dies mid-whatever, typically mid-commit under load), restart starts {@code hearsay peer} again on its data and
 * port. Convergence is read as an operator would, from each running peer's {@code GET /status}.
 *
 * <p>Link faults (partition, loss, latency, clog) have the in-JVM semantics: the same {@link NetworkFaults} decides
 * each peer's rules, which go to the peer's JVM as one {@link FaultsCommand} line on its control channel (its stdin,
 * see {@link ControlChannel}) and are applied there to its gossip transport. A step returns only once every running
 * peer has acknowledged its rules, so it is in force before the next step starts:
 *
 * <pre>
 *   step ─▶ NetworkFaults (rules per peer) ─▶ "faults &lt;generation&gt; seed=… &lt;peer&gt;:blocked …" on each stdin
 *        ─▶ each peer applies, writes "&lt;pid&gt; &lt;line&gt;" to its control.ack ─▶ step done
 * </pre>
 *
 * A killed peer is detached and gets the faults in force again when restarted; {@link #restart} does not wait for
 * its JVM to start, so a restarted peer's own rules apply once it is up (a partition holds meanwhile, because its
 * neighbours drop what it sends them), and the next link step waits for it.
 */
public final class ProcessFaultTarget extends LinkFaultTarget {
    /** A status read slower than this counts as "not converged yet" for this poll. */
    static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);
    /** How often convergence is polled: often enough to notice it soon, rarely enough not to load the peers. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    /**
     * How long a peer may take to apply link faults: milliseconds once its JVM runs, but a peer just restarted reads
     * its control channel only once it has started, which takes seconds on a loaded machine.
     */
    static final Duration APPLY_TIMEOUT = Duration.ofSeconds(60);

    private final ProcessNetwork network;
    private final BankLoad load;
    private final long seed;
    private final int workers;
    private final List<String> channels;
    /** Each peer's operations URL, from the connection profile. */
    private final Map<String, String> operations = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(STATUS_TIMEOUT).build();

    /**
     * @param profile the network's {@code connection.json}: every peer must list its operations URL
     * @param workers how many concurrent clients carry the load steps' rate
     */
    public ProcessFaultTarget(ProcessNetwork network, ConnectionProfile profile, BankLoad load, long seed, int workers) {
        super(new NetworkFaults(seed));
        this.network = network;
        this.load = load;
        this.seed = seed;
        this.workers = workers;
        this.channels = List.copyOf(profile.channels());
        for (ConnectionProfile.PeerOf peer : profile.peers()) {
            String name = peer.peer().name();
            operations.put(name, peer.peer().operations().orElseThrow(() -> new IllegalArgumentException(
                    "the connection profile gives no operations URL for " + name + ", so its height cannot be read")));
        }
        for (String peer : network.peerNames()) {
            faults.declare(peer, network.mspId(peer), network.pkiId(peer)); // a peer down now is still named in faults
            if (network.isRunning(peer)) {
                attach(peer);
            }
        }
    }

    /** The peer's current process gets its rules through its control channel from now on. */
    private void attach(String peer) {
        faults.attach(peer, network.mspId(peer), network.pkiId(peer),
                (peerSeed, rules) -> network.control(peer).sendFaults(peerSeed, Rule.NONE, rules));
    }

    /** The link faults every peer is given; for tests and status displays. */
    public NetworkFaults faults() {
        return faults;
    }

    @Override
    public void load(double transactionsPerSecond) {
        load.drive(transactionsPerSecond, workers, seed);
    }

    @Override
    public void kill(String peer) {
        network.mspId(peer); // an unknown name fails here, before anything changes
        faults.detach(peer);
        network.kill(peer);
    }

    @Override
    public void sigkill(String peer) {
        network.mspId(peer);
        faults.detach(peer);
        network.sigkill(peer);
    }

    @Override
    public void restart(String peer) {
        network.restart(peer);
        attach(peer);
    }

    /** Waits for every attached peer whose process runs to acknowledge the rules it was last sent. */
    @Override
    protected void awaitApplied() {
        try {
            for (String peer : faults.attached()) {
                network.control(peer).awaitApplied(APPLY_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the peers to apply link faults", e);
        }
    }

    /**
     * Polls every running peer's {@code /status} until all report the same height and head hash on every channel.
     * A peer that is running but does not answer yet (a restarted JVM still starting) keeps it from converging.
     */
    @Override
    public boolean awaitConvergence(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!converged()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_INTERVAL.toMillis()); // the runner's own thread, waiting by design
        }
        return true;
    }

    /** Every running peer at one height with one head, on every channel (true if none runs). */
    public boolean converged() {
        for (String channel : channels) {
            PeerStatus first = null;
            for (String peer : operations.keySet()) {
                if (!network.isRunning(peer)) {
                    continue;
                }
                Optional<PeerStatus> status = status(peer, channel);
                if (status.isEmpty() || status.get().headHash().isEmpty()) {
                    return false;
                }
                if (first == null) {
                    first = status.get();
                } else if (first.height() != status.get().height()
                        || !Arrays.equals(first.headHash().get(), status.get().headHash().get())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Peer {@code peer}'s status on {@code channel}, or empty if it does not answer (stopped, starting, busy). */
    public Optional<PeerStatus> status(String peer, String channel) {
        String url = operations.get(peer);
        if (url == null) {
            throw new IllegalArgumentException("no peer " + peer + " in the connection profile; it lists "
                    + operations.keySet());
        }
        try {
            return Optional.of(PeerStatus.fetch(http, url, channel, STATUS_TIMEOUT));
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }
}
