package io.hearsay.testnet.faults;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The link faults of a {@link FaultTarget} whose peers' gossip transports are attached to one {@link NetworkFaults}:
 * a subclass says how to load, kill, restart and converge its network.
 */
public abstract class LinkFaultTarget implements FaultTarget {
    protected final NetworkFaults faults;

    protected LinkFaultTarget(NetworkFaults faults) {
        this.faults = faults;
    }

    @Override
    public void partition(List<Set<String>> groups) {
        faults.partition(groups);
    }

    @Override
    public void heal() {
        faults.heal();
    }

    @Override
    public void loss(LinkSelector links, double rate) {
        faults.loss(links, rate);
    }

    @Override
    public void latency(LinkSelector links, Duration delay, Duration jitter) {
        faults.latency(links, delay, jitter);
    }

    @Override
    public void clog(String peer) {
        faults.clog(peer);
    }

    @Override
    public void unclog(String peer) {
        faults.unclog(peer);
    }
}
