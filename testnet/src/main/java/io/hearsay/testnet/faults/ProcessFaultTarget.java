package io.hearsay.testnet.faults;

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
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Faults on a network of one JVM per node ({@link ProcessNetwork}): load is bank transfers through the Fabric Gateway
 * SDK ({@link BankLoad}) over the connection profile; kill is SIGTERM (the node closes cleanly), sigkill is SIGKILL
 * (it dies mid-whatever, typically mid-commit under load), restart starts {@code hearsay peer} again on its data and
 * port. Convergence is read as an operator would, from each running peer's {@code GET /status}.
 *
 * <p>Link faults (partition, loss, latency, clog) act on a peer's gossip transport, which lives in another JVM here
 * and has no control endpoint: they throw {@link UnsupportedOperationException} saying to run the network in-process.
 * {@link #heal()} has nothing to remove and does nothing, so a scenario may end healed either way.
 */
public final class ProcessFaultTarget implements FaultTarget {
    /** A status read slower than this counts as "not converged yet" for this poll. */
    static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);
    /** How often convergence is polled: often enough to notice it soon, rarely enough not to load the peers. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(100);

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
    }

    @Override
    public void load(double transactionsPerSecond) {
        load.drive(transactionsPerSecond, workers, seed);
    }

    @Override
    public void kill(String peer) {
        network.kill(peer);
    }

    @Override
    public void sigkill(String peer) {
        network.sigkill(peer);
    }

    @Override
    public void restart(String peer) {
        network.restart(peer);
    }

    @Override
    public void partition(List<Set<String>> groups) {
        throw linkFault("partition");
    }

    /** No link fault can be in place in process mode, so there is nothing to heal. */
    @Override
    public void heal() {
    }

    @Override
    public void loss(LinkSelector links, double rate) {
        throw linkFault("loss");
    }

    @Override
    public void latency(LinkSelector links, Duration delay, Duration jitter) {
        throw linkFault("latency");
    }

    @Override
    public void clog(String peer) {
        throw linkFault("clog");
    }

    @Override
    public void unclog(String peer) {
        throw linkFault("unclog");
    }

    private static UnsupportedOperationException linkFault(String step) {
        return new UnsupportedOperationException(step + ": link faults act on each peer's gossip transport, which runs"
                + " in another JVM with --processes; run the network in-process ('hearsay up' without --processes)");
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
