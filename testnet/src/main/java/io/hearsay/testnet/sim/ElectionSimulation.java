package io.hearsay.testnet.sim;

import io.hearsay.discovery.election.ElectionConfig;
import io.hearsay.discovery.election.ElectionListener;
import io.hearsay.discovery.election.ElectionMessage;
import io.hearsay.discovery.election.LeaderElection;
import io.hearsay.discovery.election.OrganizationView;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.identity.PkiId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Leader election per organisation on simulated links and virtual time. Every peer runs the real
 * {@link LeaderElection}; its view of its organisation is every peer of the org (crashed ones included: no
 * membership protocol helps, so failover rests on the election's own timeout, the worst case) with true ledger
 * heights, as membership metadata would carry them. PKI-IDs are random, so ID order says nothing about height;
 * in every org the peer with the lowest PKI-ID is 5,000 blocks behind (the case Fabric's rule gets wrong).
 *
 * <p>Workloads: {@link #killLeader} crashes an org's current leader and measures failover, from the crash until
 * every live peer of the org holds the same new leader set and those peers lead; {@link #overtake} moves a
 * follower 10 blocks ahead of everyone and measures the handover the same way. Checked throughout: no peer
 * becomes leader while k or more live peers of its org are ahead of it; time with more than k leaders in an
 * org (overlap) is summed.
 */
public final class ElectionSimulation {
    /** What to simulate: {@code organizations} orgs of {@code peersPerOrganization} peers. */
    public record Scenario(int organizations, int peersPerOrganization, ElectionConfig config, LinkModel link, long seed) {
        public Scenario {
            if (organizations < 1 || peersPerOrganization < 2) {
                throw new IllegalArgumentException("need at least 1 organisation of 2 peers, got " + organizations + " of "
                        + peersPerOrganization);
            }
        }
    }

    /** A peer became leader while {@code aheadPeers} live peers of its org were ahead of it. */
    public record BehindLeader(int peer, long height, int aheadPeers, long atMillis) {}

    /**
     * Figures so far.
     *
     * @param failoverMillis per killed leader: crash until the org agrees on a new leader set that leads
     * @param failoverSamples the same, one value per kill in the order they resolved, to pool over seeds
     * @param handoverMillis per overtake: until the peer that moved ahead leads and the org agrees
     * @param unresolved kills and overtakes not yet agreed at the end
     * @param overlapMillis summed over orgs: time with more than k peers of an org leading
     * @param overlapEpisodes times an org went above k leaders
     */
    public record Result(Percentiles failoverMillis, List<Double> failoverSamples, Percentiles handoverMillis,
            List<Double> handoverSamples, int unresolved, double overlapMillis,
            int overlapEpisodes, List<BehindLeader> behindLeaders, double messagesPerPeerPerSecond, long virtualMillis,
            long events, long traceHash) {}

    private static final long BEHIND_LOWEST_ID_BLOCKS = 5_000;
    private static final long PROBE_MICROS = 1_000;
    private static final long DEADLINE_MICROS = 30_000_000;

    private final Scenario scenario;
    private final EventLoop loop;
    private final RandomSource random;
    private final SimulatedNetwork<ElectionMessage> network;
    private final List<PkiId> ids = new ArrayList<>();
    private final long[] heights;
    private final boolean[] crashed;
    private final LeaderElection[] elections;
    private final int[] leaderCount;
    private final long[] leaderCountSinceMicros;
    private double overlapMicros;
    private int overlapEpisodes;
    private final List<BehindLeader> behindLeaders = new ArrayList<>();
    private final List<Double> failovers = new ArrayList<>();
    private final List<Double> handovers = new ArrayList<>();
    private int pending;

    public ElectionSimulation(Scenario scenario) {
        this.scenario = scenario;
        this.loop = new EventLoop(2_000_000_000L);
        this.random = RandomSource.seeded(scenario.seed());
        this.network = new SimulatedNetwork<>(loop, random.fork(), scenario.link(), ElectionMessage::sizeBytes);
        int n = scenario.organizations() * scenario.peersPerOrganization();
        network.reserve(n);
        heights = new long[n];
        crashed = new boolean[n];
        elections = new LeaderElection[n];
        leaderCount = new int[scenario.organizations()];
        leaderCountSinceMicros = new long[scenario.organizations()];
        RandomSource setup = random.fork();
        for (int i = 0; i < n; i++) {
            ids.add(PkiId.fromBytes(ByteBuffer.allocate(PkiId.LENGTH_BYTES).putLong(setup.nextLong()).putInt(i).array()));
            network.add(ids.get(i), null);
            // A quarter of the peers are at the head; the rest lag by up to 50 blocks.
            heights[i] = 10_000 - (setup.chance(0.25) ? 0 : setup.nextLong(1, 51));
        }
        for (int org = 0; org < scenario.organizations(); org++) {
            int lowest = first(org);
            for (int i = first(org); i < first(org) + scenario.peersPerOrganization(); i++) {
                if (ids.get(i).compareTo(ids.get(lowest)) < 0) {
                    lowest = i;
                }
            }
            heights[lowest] -= BEHIND_LOWEST_ID_BLOCKS;
        }
        for (int i = 0; i < n; i++) {
            elections[i] = new LeaderElection(scenario.config(), ids.get(i), new LeaderElection.Collaborators(
                    new PeerRuntime(loop, loop, random.fork()), network.transportOf(ids.get(i)), view(i), listener(i)));
            network.setHandler(ids.get(i), elections[i]);
        }
        for (LeaderElection election : elections) {
            election.start();
        }
    }

    private int first(int org) {
        return org * scenario.peersPerOrganization();
    }

    private int organizationOf(int peer) {
        return peer / scenario.peersPerOrganization();
    }

    private OrganizationView view(int peer) {
        int org = organizationOf(peer);
        return new OrganizationView() {
            @Override
            public SortedMap<PkiId, Long> livePeerHeights() {
                TreeMap<PkiId, Long> peers = new TreeMap<>();
                for (int j = first(org); j < first(org) + scenario.peersPerOrganization(); j++) {
                    if (j != peer) {
                        peers.put(ids.get(j), heights[j]);
                    }
                }
                return peers;
            }

            @Override
            public long localHeight() {
                return heights[peer];
            }
        };
    }

    private ElectionListener listener(int peer) {
        int org = organizationOf(peer);
        return new ElectionListener() {
            @Override
            public void onBecameLeader() {
                int ahead = 0;
                for (int j = first(org); j < first(org) + scenario.peersPerOrganization(); j++) {
                    if (!crashed[j] && heights[j] > heights[peer]) {
                        ahead++;
                    }
                }
                if (ahead >= scenario.config().leadersPerOrganization()) {
                    behindLeaders.add(new BehindLeader(peer, heights[peer], ahead, loop.nowMillis()));
                }
                changeLeaderCount(org, +1);
            }

            @Override
            public void onLostLeadership() {
                changeLeaderCount(org, -1);
            }
        };
    }

    private void changeLeaderCount(int org, int delta) {
        long now = loop.nowMicros();
        int k = scenario.config().leadersPerOrganization();
        if (leaderCount[org] > k) {
            overlapMicros += now - leaderCountSinceMicros[org];
        }
        leaderCount[org] += delta;
        if (leaderCount[org] > k && leaderCount[org] - delta <= k) {
            overlapEpisodes++;
        }
        leaderCountSinceMicros[org] = now;
    }

    public void advance(long millis) {
        loop.runUntil(loop.nowMicros() + millis * 1_000);
    }

    /** Live peers of {@code org} that lead now. */
    public SortedSet<Integer> leadersOf(int org) {
        TreeSet<Integer> leaders = new TreeSet<>();
        for (int i = first(org); i < first(org) + scenario.peersPerOrganization(); i++) {
            if (!crashed[i] && elections[i].isLeader()) {
                leaders.add(i);
            }
        }
        return leaders;
    }

    /** Whether the org has exactly k leading peers and every live peer holds exactly them as its leaders. */
    public boolean agreed(int org) {
        SortedSet<Integer> leaders = leadersOf(org);
        if (leaders.size() != scenario.config().leadersPerOrganization()) {
            return false;
        }
        TreeSet<PkiId> expected = new TreeSet<>();
        for (int leader : leaders) {
            expected.add(ids.get(leader));
        }
        for (int i = first(org); i < first(org) + scenario.peersPerOrganization(); i++) {
            if (!crashed[i] && !elections[i].leaders().equals(expected)) {
                return false;
            }
        }
        return true;
    }

    /** Crashes the (first) leader of {@code org} and starts timing its failover. Returns the peer, or -1 if none. */
    public int killLeader(int org) {
        SortedSet<Integer> leaders = leadersOf(org);
        if (leaders.isEmpty()) {
            return -1;
        }
        int victim = leaders.first();
        crashed[victim] = true;
        network.crash(ids.get(victim));
        elections[victim].stop();
        probe(org, loop.nowMicros(), -1, failovers);
        return victim;
    }

    /** Moves a random live follower of {@code org} 10 blocks ahead of every peer and times the handover to it. */
    public int overtake(int org) {
        List<Integer> followers = new ArrayList<>();
        long top = 0;
        for (int i = first(org); i < first(org) + scenario.peersPerOrganization(); i++) {
            if (!crashed[i]) {
                top = Math.max(top, heights[i]);
                if (!elections[i].isLeader()) {
                    followers.add(i);
                }
            }
        }
        if (followers.isEmpty()) {
            return -1;
        }
        int chosen = followers.get(random.nextInt(followers.size()));
        heights[chosen] = top + 10;
        probe(org, loop.nowMicros(), chosen, handovers);
        return chosen;
    }

    /** Checks agreement every millisecond until it holds (and {@code mustLead} leads, if ≥ 0), then records the time. */
    private void probe(int org, long sinceMicros, int mustLead, List<Double> into) {
        pending++;
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            boolean done = agreed(org) && (mustLead < 0 || elections[mustLead].isLeader());
            if (done) {
                into.add((loop.nowMicros() - sinceMicros) / 1_000.0);
                pending--;
            } else if (loop.nowMicros() - sinceMicros < DEADLINE_MICROS) {
                loop.postMicros(PROBE_MICROS, check[0]);
            }
        };
        loop.postMicros(0, check[0]);
    }

    public RandomSource random() {
        return random;
    }

    public Result result() {
        long virtualMillis = loop.nowMillis();
        double overlap = overlapMicros;
        int k = scenario.config().leadersPerOrganization();
        for (int org = 0; org < leaderCount.length; org++) {
            if (leaderCount[org] > k) {
                overlap += loop.nowMicros() - leaderCountSinceMicros[org];
            }
        }
        double seconds = Math.max(1, virtualMillis) / 1_000.0;
        return new Result(Percentiles.of(failovers), List.copyOf(failovers), Percentiles.of(handovers),
                List.copyOf(handovers), pending, overlap / 1_000.0,
                overlapEpisodes, Collections.unmodifiableList(new ArrayList<>(behindLeaders)),
                network.totalMessagesSent() / (double) ids.size() / seconds, virtualMillis, loop.executedEvents(),
                network.traceHash());
    }
}
