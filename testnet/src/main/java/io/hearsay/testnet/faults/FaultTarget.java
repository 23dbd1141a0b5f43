package io.hearsay.testnet.faults;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What a {@link ScenarioRunner} does its steps to: a running network, in one JVM or one process per peer, or a
 * recording double in tests. Peers are named as in the network spec ({@code peer0.org1.example.com}); organisations
 * by MSP id. The runner calls from one thread, in step order, and may block in any method (it has its own thread);
 * an implementation throws {@link IllegalArgumentException} for a name it does not know and {@link
 * UnsupportedOperationException} for a fault it cannot inject (SIGKILL of an in-process peer), with a message the
 * runner shows next to the step.
 *
 * <p>Link faults (partition, loss, latency, clog) are on gossip envelopes only: connections and TLS stay up, as in
 * {@code io.hearsay.peer.transport.LinkFaults}. Each fault replaces the previous one of its kind on the same
 * links; {@link #heal()} removes them all.
 */
public interface FaultTarget {
    /** Submits load at {@code transactionsPerSecond} from now on; 0 stops it. */
    void load(double transactionsPerSecond);

    /** Stops the peer cleanly (it closes its ledger; its data stays for a restart). */
    void kill(String peer);

    /** Kills the peer's process with SIGKILL, whatever it is doing (process mode only). */
    void sigkill(String peer);

    /** Starts a killed peer again on its data and its port. */
    void restart(String peer);

    /**
     * Cuts the network into {@code groups}: no envelope crosses between peers of different groups, in either
     * direction. Each name is a peer or an organisation (all its peers); peers named in no group form one more
     * group together, so {@code [[Org1MSP]]} cuts Org1 off from everyone else. Replaces any earlier partition.
     */
    void partition(List<Set<String>> groups);

    /** Removes every link fault: partitions, loss, latency and clogs. Held envelopes are released. */
    void heal();

    /** Drops each envelope on the selected links with probability {@code rate} (0 ends the loss), both ways. */
    void loss(LinkSelector links, double rate);

    /** Delays each envelope on the selected links by {@code delay} plus up to {@code jitter}, both ways. */
    void latency(LinkSelector links, Duration delay, Duration jitter);

    /** Holds every envelope to and from the peer, up to its queue bounds, until {@link #unclog}. */
    void clog(String peer);

    void unclog(String peer);

    /**
     * Waits until every running peer holds the same chain (same height and head), at most {@code timeout}.
     *
     * @return whether they converged in time
     */
    boolean awaitConvergence(Duration timeout) throws InterruptedException;
}
