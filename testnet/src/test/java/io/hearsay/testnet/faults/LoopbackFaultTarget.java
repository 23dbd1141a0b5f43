package io.hearsay.testnet.faults;

import static org.awaitility.Awaitility.await;

import io.hearsay.testnet.loopback.LoopbackNetwork;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A {@link FaultTarget} over a {@link LoopbackNetwork}: what a launcher's target does, with blocks instead of
 * Gateway transactions. Load is one block of one transaction per 1/tps seconds handed to peer 0 (the leader, as
 * the orderer's Deliver would); kill and restart stop and start a peer on its ledger and port, detaching and
 * attaching its transport to the {@link NetworkFaults}; convergence is every running peer at one height and head.
 */
final class LoopbackFaultTarget extends LinkFaultTarget implements AutoCloseable {
    private final LoopbackNetwork network;
    private final ScheduledExecutorService loader = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "scenario-load");
        thread.setDaemon(true);
        return thread;
    });
    private ScheduledFuture<?> load;
    private Block head;
    private int blocks;

    LoopbackFaultTarget(LoopbackNetwork network, NetworkFaults faults) {
        super(faults);
        this.network = network;
        this.head = network.genesis();
        for (int i = 0; i < network.size(); i++) {
            attach(i);
        }
    }

    /** Blocks produced so far (the leader's height is one more once they are committed). */
    synchronized int blocks() {
        return blocks;
    }

    @Override
    public synchronized void load(double transactionsPerSecond) {
        if (load != null) {
            load.cancel(false);
            load = null;
        }
        if (transactionsPerSecond > 0) {
            long periodMicros = (long) (1_000_000 / transactionsPerSecond);
            load = loader.scheduleAtFixedRate(this::produce, 0, periodMicros, TimeUnit.MICROSECONDS);
        }
    }

    private synchronized void produce() {
        if (!network.isRunning(0)) {
            return;
        }
        blocks++;
        head = network.nextBlock(head, network.channel().put("key" + blocks, "value" + blocks));
        network.peer(0).onOrdererBlock(head);
    }

    @Override
    public void kill(String peer) {
        int i = index(peer);
        faults.detach(peer);
        network.stop(i);
    }

    @Override
    public void sigkill(String peer) {
        throw new UnsupportedOperationException("sigkill " + peer + ": an in-process peer has no process of its own");
    }

    @Override
    public void restart(String peer) {
        int i = index(peer);
        network.restart(i);
        attach(i);
    }

    @Override
    public boolean awaitConvergence(Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(this::converged);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** Every running peer at the height of everything produced, with the same head. */
    boolean converged() {
        long expected = blocks() + 1;
        byte[] leaderHead = null;
        for (int i = 0; i < network.size(); i++) {
            if (!network.isRunning(i)) {
                continue;
            }
            if (network.peer(i).height() != expected) {
                return false;
            }
            byte[] hash = network.headHash(i);
            if (leaderHead != null && !Arrays.equals(leaderHead, hash)) {
                return false;
            }
            leaderHead = hash;
        }
        return true;
    }

    private void attach(int i) {
        faults.attach(network.name(i), mspIdOf(i), network.peer(i).network());
    }

    /** LoopbackNetwork lists Org1's peers, then as many of Org2's. */
    private String mspIdOf(int i) {
        return i < network.size() / 2 ? "Org1MSP" : "Org2MSP";
    }

    private int index(String peer) {
        for (int i = 0; i < network.size(); i++) {
            if (network.name(i).equals(peer)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no peer \"" + peer + "\" in this network");
    }

    @Override
    public void close() {
        loader.shutdownNow();
    }
}
