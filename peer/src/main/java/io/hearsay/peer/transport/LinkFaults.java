package io.hearsay.peer.transport;

import io.hearsay.identity.PkiId;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Faults one peer's gossip transport injects into its own links, for tests and scenarios: loss, latency,
 * partition (block) and clogging, per neighbour or on every link. A {@link GossipNetwork} consults it for each
 * gossip envelope (see {@link GossipNetwork#faults(LinkFaults)}); the TLS connection and the handshake stay real,
 * so a faulty link is still "connected" and only the protocol notices, as on a real network.
 *
 * <ul>
 *   <li><b>loss</b>: each outbound envelope is dropped with this probability, drawn from a generator seeded per
 *       link from {@link #seed()}, so a run with the same sends on a link drops the same envelopes.
 *   <li><b>latency</b>: each outbound envelope is held for the latency plus a uniform jitter in [0, jitter], never
 *       overtaking an earlier one on the same link (a link is a stream, not a datagram service).
 *   <li><b>block</b>: a partition. Outbound envelopes are dropped, and so are inbound ones from the blocked peer,
 *       so a partition is symmetric even if only one side was told.
 *   <li><b>clog</b>: outbound envelopes are held, not sent, until unclogged, within the connection's queue bounds
 *       (overflow counts as {@link TransportCounters.Counter#QUEUE_FULL}, as a full send queue does).
 * </ul>
 *
 * A link's own faults add to those set on all links: blocked or clogged if either is, losses compose as
 * independent ({@code 1 - (1 - a)(1 - b)}), latencies add. Every envelope a fault drops is counted as
 * {@link TransportCounters.Counter#FAULT_DROPPED}.
 *
 * <p>Thread-safe: rules are an immutable snapshot behind a volatile field, replaced under this object's lock; a
 * send reads it once.
 */
public final class LinkFaults {
    /** The faults of one link, or of all links. */
    public record Rule(double lossRate, long latencyMillis, long jitterMillis, boolean blocked, boolean clogged) {
        public static final Rule NONE = new Rule(0, 0, 0, false, false);

        public Rule {
            if (!(lossRate >= 0 && lossRate <= 1)) {
                throw new IllegalArgumentException("loss rate is " + lossRate + "; it must be between 0 and 1");
            }
            if (latencyMillis < 0 || jitterMillis < 0) {
                throw new IllegalArgumentException("latency " + latencyMillis + " ms and jitter " + jitterMillis
                        + " ms must not be negative");
            }
        }

        /** Whether envelopes on this link wait before they are sent. */
        boolean holds() {
            return clogged || latencyMillis > 0 || jitterMillis > 0;
        }

        Rule plus(Rule other) {
            return new Rule(1 - (1 - lossRate) * (1 - other.lossRate), latencyMillis + other.latencyMillis,
                    jitterMillis + other.jitterMillis, blocked || other.blocked, clogged || other.clogged);
        }

        Rule withLoss(double rate) {
            return new Rule(rate, latencyMillis, jitterMillis, blocked, clogged);
        }

        Rule withLatency(long millis, long jitter) {
            return new Rule(lossRate, millis, jitter, blocked, clogged);
        }

        Rule withBlocked(boolean value) {
            return new Rule(lossRate, latencyMillis, jitterMillis, value, clogged);
        }

        Rule withClogged(boolean value) {
            return new Rule(lossRate, latencyMillis, jitterMillis, blocked, value);
        }
    }

    /** One neighbour's link, or every link of this peer. */
    public record Link(PkiId peer) {
        private static final Link ALL = new Link(null);

        public static Link to(PkiId peer) {
            return new Link(Objects.requireNonNull(peer, "peer"));
        }

        public static Link all() {
            return ALL;
        }

        public boolean isAll() {
            return peer == null;
        }

        @Override
        public String toString() {
            return isAll() ? "all links" : "the link to " + peer;
        }
    }

    private record Rules(Rule all, Map<PkiId, Rule> peers) {
        static final Rules NONE = new Rules(Rule.NONE, Map.of());

        Rule of(PkiId peer) {
            Rule own = peers.get(peer);
            return own == null ? all : all.plus(own);
        }

        Rule of(Link link) {
            return link.isAll() ? all : peers.getOrDefault(link.peer(), Rule.NONE);
        }

        Rules with(Link link, Rule rule) {
            if (link.isAll()) {
                return new Rules(rule, peers);
            }
            Map<PkiId, Rule> copy = new HashMap<>(peers);
            if (rule.equals(Rule.NONE)) {
                copy.remove(link.peer());
            } else {
                copy.put(link.peer(), rule);
            }
            return new Rules(all, Map.copyOf(copy));
        }
    }

    private final long seed;
    private final Map<PkiId, SplittableRandom> randoms = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Rules rules = Rules.NONE;

    /** @param seed seeds every link's loss and jitter draws; print it with a failure to reproduce the run. */
    public LinkFaults(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** Drops each outbound envelope on {@code link} with probability {@code rate} (0 ends the loss). */
    public void loss(Link link, double rate) {
        update(link, rule -> rule.withLoss(rate));
    }

    /** Holds each outbound envelope on {@code link} for {@code latency} plus up to {@code jitter} (zero ends it). */
    public void latency(Link link, Duration latency, Duration jitter) {
        update(link, rule -> rule.withLatency(latency.toMillis(), jitter.toMillis()));
    }

    /** Partitions this peer from the link's peer(s): nothing crosses in either direction until {@link #unblock}. */
    public void block(Link link) {
        update(link, rule -> rule.withBlocked(true));
    }

    public void unblock(Link link) {
        update(link, rule -> rule.withBlocked(false));
    }

    /** Holds every outbound envelope on {@code link} until {@link #unclog}. */
    public void clog(Link link) {
        update(link, rule -> rule.withClogged(true));
    }

    /** Releases what a clog held, in order. */
    public void unclog(Link link) {
        update(link, rule -> rule.withClogged(false));
    }

    /** Sets every fault of {@code link} at once, replacing what was set on it ({@link Rule#NONE}: none). */
    public void set(Link link, Rule rule) {
        Objects.requireNonNull(rule, "rule");
        update(link, previous -> rule);
    }

    /** Removes every fault on every link; held envelopes are released, in order. */
    public void heal() {
        synchronized (this) {
            rules = Rules.NONE;
        }
        changed();
    }

    /** The faults set on {@code link} itself (not combined with those on all links). */
    public Rule rule(Link link) {
        return rules.of(link);
    }

    /** The faults in force on the link to {@code peer}: its own combined with those on all links. */
    public Rule effective(PkiId peer) {
        return rules.of(peer);
    }

    boolean isBlocked(PkiId peer) {
        return rules.of(peer).blocked();
    }

    /** Draws whether one envelope to {@code peer} is lost under {@code rule}. */
    boolean lose(PkiId peer, Rule rule) {
        if (rule.lossRate() <= 0) {
            return false;
        }
        SplittableRandom random = random(peer);
        synchronized (random) {
            return random.nextDouble() < rule.lossRate();
        }
    }

    /** How long one envelope to {@code peer} waits under {@code rule}, jitter drawn, in nanoseconds. */
    long delayNanos(PkiId peer, Rule rule) {
        long millis = rule.latencyMillis();
        if (rule.jitterMillis() > 0) {
            SplittableRandom random = random(peer);
            synchronized (random) {
                millis += random.nextLong(rule.jitterMillis() + 1);
            }
        }
        return millis * 1_000_000L;
    }

    /** Called after every change, on the changing thread; a network releases held envelopes from it. */
    void addListener(Runnable listener) {
        listeners.add(listener);
    }

    void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private SplittableRandom random(PkiId peer) {
        // Seeded per link (not split from one generator in order of first use), so one link's draws do not depend
        // on which other links happened to send first.
        return randoms.computeIfAbsent(peer, p -> new SplittableRandom(seed * 0x9e3779b97f4a7c15L + p.hashCode()));
    }

    private void update(Link link, java.util.function.UnaryOperator<Rule> change) {
        synchronized (this) {
            rules = rules.with(link, change.apply(rules.of(link)));
        }
        changed();
    }

    private void changed() {
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    @Override
    public String toString() {
        Rules current = rules;
        return "LinkFaults[seed " + seed + ", all links " + current.all() + ", " + current.peers() + "]";
    }
}
