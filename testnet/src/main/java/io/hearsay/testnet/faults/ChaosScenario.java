package io.hearsay.testnet.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A random scenario from a seed: load throughout, and every couple of seconds one fault — kill or restart a peer,
 * partition an organisation or a peer from the rest, heal, add loss or latency to every link — then everything is
 * healed and restarted, the load stops and the ledgers must converge. The same seed gives the same scenario, so a
 * failing chaos run is replayed by its seed.
 *
 * <p>At most one peer per organisation is down at a time, so every organisation can still endorse and the bank
 * transfers keep committing through the faults.
 *
 * <p>A peer is taken down by a clean {@code kill}, or, with {@link Stops#KILL_OR_SIGKILL}, also by a {@code sigkill}
 * that leaves its JVM no time to close anything — the crash a network of one process per node can take. Sigkills are
 * extra values of the same draw, so {@link Stops#KILL} (the default) gives every seed the scenario it always gave:
 * old chaos runs replay unchanged.
 */
public final class ChaosScenario {
    /** How the scenario takes a peer down. */
    public enum Stops {
        /** A clean stop ({@code kill}) only: all an in-JVM network can do; the default. */
        KILL,
        /**
         * A clean stop or a {@code sigkill}, a sigkill twice as often: it is the fault a
         * process network is run for, and at this weight nine seeds in ten draw one in 20 s. Needs a network of one
         * process per node.
         */
        KILL_OR_SIGKILL
    }

    /** The kinds of fault {@link #nextFault} draws from: kill, restart, partition, heal, loss, latency. */
    private static final int FAULT_KINDS = 6;
    /** How many more values of the draw mean a sigkill under {@link Stops#KILL_OR_SIGKILL} (a kill has one). */
    private static final int SIGKILL_WEIGHT = 2;

    private ChaosScenario() {}

    /** A scenario whose stops are all clean: see {@link #generate(long, Map, Duration, double, Stops)}. */
    public static Scenario generate(long seed, Map<String, List<String>> peersByOrganization, Duration length,
            double transactionsPerSecond) {
        return generate(seed, peersByOrganization, length, transactionsPerSecond, Stops.KILL);
    }

    /**
     * @param peersByOrganization the network's peers, by MSP id
     * @param length how long faults are injected (the final heal, restarts and convergence come after)
     * @param transactionsPerSecond the load during the faults
     * @param stops how peers are taken down
     */
    public static Scenario generate(long seed, Map<String, List<String>> peersByOrganization, Duration length,
            double transactionsPerSecond, Stops stops) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> organizations = new ArrayList<>(new TreeSet<>(peersByOrganization.keySet()));
        List<FaultAction> actions = new ArrayList<>();
        List<Duration> times = new ArrayList<>();
        Set<String> down = new TreeSet<>();
        times.add(Duration.ZERO);
        actions.add(new FaultAction.Load(transactionsPerSecond));
        for (Duration at = Duration.ofSeconds(1); at.compareTo(length) < 0;
                at = at.plusMillis(1_500 + random.nextInt(1_500))) {
            times.add(at);
            actions.add(nextFault(random, organizations, peersByOrganization, down, stops));
        }
        times.add(length);
        actions.add(new FaultAction.Heal());
        for (String peer : down) {
            times.add(length);
            actions.add(new FaultAction.Restart(peer));
        }
        Duration end = length.plusSeconds(2);
        times.add(end);
        actions.add(new FaultAction.Load(0));
        times.add(end);
        actions.add(new FaultAction.Converge(Duration.ofSeconds(60)));
        List<ScenarioStep> steps = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            steps.add(new ScenarioStep(i, times.get(i), actions.get(i)));
        }
        return new Scenario("chaos-" + seed, seed, steps);
    }

    private static FaultAction nextFault(SplittableRandom random, List<String> organizations,
            Map<String, List<String>> peersByOrganization, Set<String> down, Stops stops) {
        int kinds = stops == Stops.KILL_OR_SIGKILL ? FAULT_KINDS + SIGKILL_WEIGHT : FAULT_KINDS;
        while (true) {
            int kind = random.nextInt(kinds);
            boolean sigkill = kind >= FAULT_KINDS;
            switch (sigkill ? 0 : kind) {
                case 0 -> {
                    String organization = organizations.get(random.nextInt(organizations.size()));
                    List<String> peers = peersByOrganization.get(organization);
                    boolean organizationHasOneDown = peers.stream().anyMatch(down::contains);
                    if (!organizationHasOneDown && peers.size() > 1) {
                        String peer = peers.get(random.nextInt(peers.size()));
                        down.add(peer);
                        return sigkill ? new FaultAction.Sigkill(peer) : new FaultAction.Kill(peer);
                    }
                }
                case 1 -> {
                    if (!down.isEmpty()) {
                        List<String> candidates = new ArrayList<>(down);
                        String peer = candidates.get(random.nextInt(candidates.size()));
                        down.remove(peer);
                        return new FaultAction.Restart(peer);
                    }
                }
                case 2 -> {
                    String organization = organizations.get(random.nextInt(organizations.size()));
                    return new FaultAction.Partition(List.of(Set.of(organization)));
                }
                case 3 -> {
                    return new FaultAction.Heal();
                }
                case 4 -> {
                    return new FaultAction.Loss(LinkSelector.ALL, Math.round(200 + 800 * random.nextDouble()) / 10_000.0);
                }
                default -> {
                    return new FaultAction.Latency(LinkSelector.ALL, Duration.ofMillis(5 + random.nextInt(45)),
                            Duration.ofMillis(random.nextInt(10)));
                }
            }
        }
    }
}
