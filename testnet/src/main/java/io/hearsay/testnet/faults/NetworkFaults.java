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
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The link faults of a whole network — partition, loss, latency, clogs, by peer name and MSP id as a scenario
 * states them — turned into each peer's {@link LinkFaults} rules. A launcher's {@link FaultTarget} hands its link
 * faults here and registers each peer with {@link #attach} when it starts (and again after every restart: a
 * restarted peer has a new transport, and must come back into the partition it left): its transport itself when it
 * runs in this JVM, or a {@link PeerLinks} that carries the rules to the peer's process.
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
    /**
     * Where one peer's link rules go: its transport in this JVM, or the control channel of its process. Called under
     * the {@link NetworkFaults} lock, so it must not wait for the peer; a target that needs to know the rules are in
     * force waits afterwards.
     */
    public interface PeerLinks {
        /**
         * Replaces the peer's link faults with {@code rules}: one per other peer of the network ({@link Rule#NONE}
         * for a link without faults).
         *
         * @param seed seeds the peer's loss and jitter draws; the same for a peer throughout a scenario
         */
        void set(long seed, SortedMap<PkiId, Rule> rules);

        /** The peer stopped: nothing to undo in a process that is gone; a transport in this JVM drops its faults. */
        default void release() {}
    }

    private record Peer(String name, String mspId, PkiId id) {}

    private record LossStep(LinkSelector links, double rate) {}

    private record LatencyStep(LinkSelector links, Duration delay, Duration jitter) {}

    private final long seed;
    /** Every peer ever attached, by name; sorted, so rules are computed in one order. */
    private final Map<String, Peer> peers = new TreeMap<>();
    private final Map<String, LinkFaults> faults = new HashMap<>();
    private final Map<String, PeerLinks> attached = new HashMap<>();
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

    /** A peer's transport started in this JVM: it gets the network's current faults from now on. */
    public synchronized void attach(String name, String mspId, GossipNetwork network) {
        // One LinkFaults per peer name across restarts, so its draws go on where they stopped.
        LinkFaults own = faults.computeIfAbsent(name, n -> new LinkFaults(seedOf(n)));
        attach(name, mspId, network.self(), new PeerLinks() {
            @Override
            public void set(long seed, SortedMap<PkiId, Rule> rules) {
                rules.forEach((peer, rule) -> own.set(Link.to(peer), rule));
            }

            @Override
            public void release() {
                network.faults(null);
            }
        });
        network.faults(own); // once its rules are set, so its first envelope meets them
    }

    /** A peer started (in any JVM): {@code links} gets its share of the network's current faults from now on. */
    public synchronized void attach(String name, String mspId, PkiId id, PeerLinks links) {
        boolean known = peers.containsKey(name);
        declare(name, mspId, id);
        PeerLinks previous = attached.put(name, Objects.requireNonNull(links, "links"));
        if (previous != null && previous != links) {
            previous.release();
        }
        if (known) {
            applyTo(name); // the others' rules already name it: only its own are new
        } else {
            apply();
        }
    }

    /** A peer stopped; its rules are kept for when it is attached again. */
    public synchronized void detach(String name) {
        PeerLinks links = attached.remove(name);
        if (links != null) {
            links.release();
        }
    }

    /** The names of the peers attached now, sorted. */
    public synchronized Set<String> attached() {
        return new TreeSet<>(attached.keySet());
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
        new TreeSet<>(attached.keySet()).forEach(this::applyTo);
    }

    /** Hands attached peer {@code name} its rule for each other peer. */
    private void applyTo(String name) {
        Peer self = peers.get(name);
        SortedMap<PkiId, Rule> rules = new TreeMap<>();
        for (Peer other : peers.values()) {
            if (!other.equals(self)) {
                rules.put(other.id(), ruleOf(self, other));
            }
        }
        attached.get(name).set(seedOf(name), rules);
    }

    /** Each peer's own seed: draws on one peer do not shift another's, and a peer's do not depend on the JVM. */
    private long seedOf(String name) {
        return seed * 31 + name.hashCode();
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
