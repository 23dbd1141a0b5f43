package io.hearsay.testnet.faults;

import io.hearsay.peer.node.PeerNode;
import io.hearsay.testnet.launch.RunningNetwork;
import io.hearsay.testnet.load.BankLoad;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Faults on a network launched in this JVM ({@link RunningNetwork}): load is bank transfers through the Fabric
 * Gateway SDK ({@link BankLoad}) at the step's rate; kill and restart stop a peer and start it again on its data and
 * port; link faults go to every peer's gossip transport through {@link NetworkFaults}. A peer's process cannot be
 * SIGKILLed here: that needs the process mode.
 */
public final class NetworkFaultTarget extends LinkFaultTarget {
    /** A restart: who, when ({@link System#nanoTime()}), and the highest height among the others at that moment. */
    public record Restart(String peer, long atNanos, long othersHeight) {}

    private final RunningNetwork network;
    private final BankLoad load;
    private final int workers;
    private final long seed;
    private final List<Restart> restarts = new ArrayList<>();

    /** @param workers how many concurrent clients carry the load steps' rate */
    public NetworkFaultTarget(RunningNetwork network, BankLoad load, long seed, int workers) {
        super(new NetworkFaults(seed));
        this.network = network;
        this.load = load;
        this.seed = seed;
        this.workers = workers;
        for (PeerNode peer : network.peers()) {
            attach(peer);
        }
    }

    private void attach(PeerNode peer) {
        faults.attach(peer.name(), network.mspId(peer.name()), peer.gossip().network());
    }

    @Override
    public void load(double transactionsPerSecond) {
        load.drive(transactionsPerSecond, workers, seed);
    }

    @Override
    public void kill(String peer) {
        network.mspId(peer); // an unknown name fails here, before anything changes
        faults.detach(peer);
        network.stop(peer);
    }

    @Override
    public void sigkill(String peer) {
        throw new UnsupportedOperationException("sigkill " + peer + ": an in-process peer has no process of its own;"
                + " run the network with --processes");
    }

    @Override
    public synchronized void restart(String peer) {
        long others = highestHeight();
        PeerNode node = network.restart(peer);
        attach(node);
        restarts.add(new Restart(peer, System.nanoTime(), others));
    }

    private long highestHeight() {
        long highest = 0;
        for (PeerNode peer : network.peers()) {
            for (String channel : network.spec().channelNames()) {
                highest = Math.max(highest, peer.ledger(channel).height());
            }
        }
        return highest;
    }

    @Override
    public boolean awaitConvergence(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!converged()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return true;
    }

    /** Every running peer at one height with one head, on every channel. */
    public boolean converged() {
        List<PeerNode> peers = network.peers();
        for (String channel : network.spec().channelNames()) {
            long height = -1;
            byte[] head = null;
            for (PeerNode peer : peers) {
                var ledger = peer.ledger(channel);
                if (height >= 0 && (ledger.height() != height || !Arrays.equals(head, ledger.headHash()))) {
                    return false;
                }
                height = ledger.height();
                head = ledger.headHash();
            }
        }
        return true;
    }

    public synchronized List<Restart> restarts() {
        return List.copyOf(restarts);
    }
}
