package io.hearsay.testnet.faults;

import io.hearsay.identity.PkiId;
import io.hearsay.peer.transport.GossipNetwork;
import io.hearsay.peer.transport.LinkFaults;
import io.hearsay.peer.transport.LinkFaults.Link;
import io.hearsay.peer.transport.LinkFaults.Rule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The link faults of a whole network — partition, loss, latency, clogs, by peer name and MSP id as a scenario
 * states them — turned into each peer's {@link LinkFaults}. A launcher's {@link FaultTarget} hands its link
 * faults here and registers each peer's transport with {@link #attach} when it starts (and again after every
 * restart: a restarted peer has a new transport, and must come back into the partition it left).
 *
 * <p>The state is declarative: after every change, every attached peer's rules are computed afresh from the
 * partition, the loss and latency steps in the order given (a later step replaces an earlier one on the links
 * both select), and the clogged peers. Each link's faults are set on both of its ends, so a fault holds in both
 * directions; a partition is also enforced by each receiver, so it holds even towards a peer attached late.
 *
 * <p>Thread-safe (every method holds this object's lock; {@link LinkFaults} releases held envelopes on the
 * network's timer, not on this thread).
 */
public final class NetworkFaults {
    private record Peer(String name, String mspId, PkiId id) {}

    private record LossStep(LinkSelector links, double rate) {}

    private record LatencyStep(LinkSelector links, Duration delay, Duration jitter) {}

    private final long seed;
    /** Every peer ever attached, by name; sorted, so rules are computed in one order. */
    private final Map<String, Peer> peers = new TreeMap<>();
    private final Map<String, LinkFaults> faults = new HashMap<>();
    private final Map<String, GossipNetwork> attached = new HashMap<>();
    private List<Set<String>> partition = List.of();
    private final List<LossStep> losses = new ArrayList<>();
    private final List<LatencyStep> latencies = new ArrayList<>();
    private final Set<String> clogged = new HashSet<>();

    /** @param seed the scenario's seed; each peer's loss and jitter draws are seeded from it and the peer's name */
    public NetworkFaults(long seed) {
        this.seed = seed;
    }

    /**
     * Declares a peer before it runs, so faults naming it are accepted and its neighbours' rules include it. Optional
     * when {@link #attach} is called for every peer at start; needed for a peer that is down when faults are set.
     */
    public synchronized void declare(String name, String mspId, PkiId id) {
        Peer peer = new Peer(Objects.requireNonNull(name, "name"), Objects.requireNonNull(mspId, "mspId"),
                Objects.requireNonNull(id, "id"));
        Peer known = peers.putIfAbsent(name, peer);
        if (known != null && !known.equals(peer)) {
            throw new IllegalArgumentException("peer " + name + " was declared as " + known.mspId() + " " + known.id()
                    + ", now as " + mspId + " " + id);
        }
    }

    /** A peer's transport started: it gets the network's current faults from now on. */
    public synchronized void attach(String name, String mspId, GossipNetwork network) {
        declare(name, mspId, network.self());
        LinkFaults own = faults.computeIfAbsent(name, n -> new LinkFaults(seed * 31 + n.hashCode()));
        attached.put(name, network);
        network.faults(own);
        apply();
    }

    /** A peer stopped; its rules are kept for when it is attached again. */
    public synchronized void detach(String name) {
        GossipNetwork network = attached.remove(name);
        if (network != null) {
            network.faults(null);
        }
    }

    /** See {@link FaultTarget#partition}: peers named in no group form one more group. */
    public synchronized void partition(List<Set<String>> groups) {
        for (Set<String> group : groups) {
            group.forEach(name -> checkName(name, false));
        }
        partition = groups.stream().map(Set::copyOf).toList();
        apply();
    }

    /** Removes every link fault; held envelopes are released in order. */
    public synchronized void heal() {
        partition = List.of();
        losses.clear();
        latencies.clear();
        clogged.clear();
        apply();
    }

    public synchronized void loss(LinkSelector links, double rate) {
        checkLinks(links);
        losses.add(new LossStep(links, rate));
        apply();
    }

    public synchronized void latency(LinkSelector links, Duration delay, Duration jitter) {
        checkLinks(links);
        latencies.add(new LatencyStep(links, delay, jitter));
        apply();
    }

    /** Holds every envelope to and from {@code peer} until {@link #unclog}. */
    public synchronized void clog(String peer) {
        checkPeer(peer);
        clogged.add(peer);
        apply();
    }

    public synchronized void unclog(String peer) {
        checkPeer(peer);
        clogged.remove(peer);
        apply();
    }

    /** The rule {@code from} applies to its link to {@code to} now; for tests and status displays. */
    public synchronized Rule rule(String from, String to) {
        checkPeer(from);
        checkPeer(to);
        return ruleOf(peers.get(from), peers.get(to));
    }

    private void apply() {
        for (Map.Entry<String, GossipNetwork> entry : new TreeMap<>(attached).entrySet()) {
            Peer self = peers.get(entry.getKey());
            LinkFaults own = faults.get(self.name());
            for (Peer other : peers.values()) {
                if (!other.equals(self)) {
                    own.set(Link.to(other.id()), ruleOf(self, other));
                }
            }
        }
    }

    private Rule ruleOf(Peer self, Peer other) {
        double loss = 0;
        for (LossStep step : losses) {
            if (step.links().selects(self, other, this::matches)) {
                loss = step.rate();
            }
        }
        long delayMillis = 0;
        long jitterMillis = 0;
        for (LatencyStep step : latencies) {
            if (step.links().selects(self, other, this::matches)) {
                delayMillis = step.delay().toMillis();
                jitterMillis = step.jitter().toMillis();
            }
        }
        boolean blocked = !partition.isEmpty() && group(self) != group(other);
        boolean clog = clogged.contains(self.name()) || clogged.contains(other.name());
        return new Rule(loss, delayMillis, jitterMillis, blocked, clog);
    }

    /** The index of the first group naming the peer or its organisation; peers in none share the index -1. */
    private int group(Peer peer) {
        for (int g = 0; g < partition.size(); g++) {
            if (partition.get(g).contains(peer.name()) || partition.get(g).contains(peer.mspId())) {
                return g;
            }
        }
        return -1;
    }

    private boolean matches(String selector, Peer peer) {
        return selector.equals(LinkSelector.ANY) || selector.equals(peer.name()) || selector.equals(peer.mspId());
    }

    private void checkLinks(LinkSelector links) {
        checkName(links.end(), true);
        checkName(links.otherEnd(), true);
    }

    private void checkPeer(String name) {
        if (!peers.containsKey(name)) {
            throw new IllegalArgumentException("no peer \"" + name + "\" in this network; its peers are " + peers.keySet());
        }
    }

    private void checkName(String name, boolean anyAllowed) {
        boolean known = peers.containsKey(name) || (anyAllowed && name.equals(LinkSelector.ANY))
                || peers.values().stream().anyMatch(p -> p.mspId().equals(name));
        if (!known) {
            Set<String> organizations = new TreeSet<>();
            peers.values().forEach(p -> organizations.add(p.mspId()));
            throw new IllegalArgumentException("\"" + name + "\" is neither a peer nor an organisation of this network; its peers are "
                    + peers.keySet() + ", its organisations " + organizations);
        }
    }
}
