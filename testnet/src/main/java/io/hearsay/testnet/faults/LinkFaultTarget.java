package io.hearsay.testnet.faults;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The link faults of a {@link FaultTarget} whose peers are attached to one {@link NetworkFaults}, which decides which
 * rules go to which peer: a subclass says how to load, kill, restart and converge its network, and, if its peers
 * apply their rules later than {@link NetworkFaults} hands them over (in other processes), waits for them in {@link
 * #awaitApplied()}, so a step is in force before the next one starts.
 */
public abstract class LinkFaultTarget implements FaultTarget {
    protected final NetworkFaults faults;

    protected LinkFaultTarget(NetworkFaults faults) {
        this.faults = faults;
    }

    /**
     * Returns once every running peer applies the rules of the last change. Peers in this JVM apply them as they are
     * handed over, so by default there is nothing to wait for.
     *
     * @throws IllegalStateException if a running peer has not applied them in the target's time
     */
    protected void awaitApplied() {}

    @Override
    public void partition(List<Set<String>> groups) {
        faults.partition(groups);
        awaitApplied();
    }

    @Override
    public void heal() {
        faults.heal();
        awaitApplied();
    }

    @Override
    public void loss(LinkSelector links, double rate) {
        faults.loss(links, rate);
        awaitApplied();
    }

    @Override
    public void latency(LinkSelector links, Duration delay, Duration jitter) {
        faults.latency(links, delay, jitter);
        awaitApplied();
    }

    @Override
    public void clog(String peer) {
        faults.clog(peer);
        awaitApplied();
    }

    @Override
    public void unclog(String peer) {
        faults.unclog(peer);
        awaitApplied();
    }
}
