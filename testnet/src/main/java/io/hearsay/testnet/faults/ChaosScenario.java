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
 */
public final class ChaosScenario {
    private ChaosScenario() {}

    /**
     * @param peersByOrganization the network's peers, by MSP id
     * @param length how long faults are injected (the final heal, restarts and convergence come after)
     * @param transactionsPerSecond the load during the faults
     */
    public static Scenario generate(long seed, Map<String, List<String>> peersByOrganization, Duration length,
            double transactionsPerSecond) {
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
            actions.add(nextFault(random, organizations, peersByOrganization, down));
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
            Map<String, List<String>> peersByOrganization, Set<String> down) {
        while (true) {
            switch (random.nextInt(6)) {
                case 0 -> {
                    String organization = organizations.get(random.nextInt(organizations.size()));
                    List<String> peers = peersByOrganization.get(organization);
                    boolean organizationHasOneDown = peers.stream().anyMatch(down::contains);
                    if (!organizationHasOneDown && peers.size() > 1) {
                        String peer = peers.get(random.nextInt(peers.size()));
                        down.add(peer);
                        return new FaultAction.Kill(peer);
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
