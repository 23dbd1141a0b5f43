package io.hearsay.testnet.sim;

import io.hearsay.discovery.routing.DeliveryOutcome;
import io.hearsay.discovery.routing.RoutingConfig;
import io.hearsay.discovery.runtime.RandomSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Routed delivery under faults at scale: the hybrid overlay (real anchors, attachments and routed delivery) on
 * simulated links with loss; once every peer has joined, random peers send to random peers while, unannounced,
 * a fraction of anchors and of peers crash and a random group of peers is partitioned off. Counts, per send,
 * how many outcomes its sender got and how late: the guarantee under test is exactly one, within
 * hops × per-hop timeout ({@link RoutingConfig#deadlineMillis()}), whatever the network does.
 */
public final class RoutingSimulation {
    /**
     * What to simulate.
     *
     * @param crashedAnchors anchors crashed at the start of the sends
     * @param crashedFraction ordinary peers crashed at the start of the sends
     * @param partitionedFraction ordinary peers cut off in a partition of their own during the sends
     */
    public record Scenario(int peers, int organizations, int anchorsPerOrganization, int sends, double lossProbability,
            int crashedAnchors, double crashedFraction, double partitionedFraction, long seed) {
        public Scenario {
            if (crashedAnchors >= organizations * anchorsPerOrganization) {
                throw new IllegalArgumentException("crashedAnchors must leave at least one anchor, got " + crashedAnchors);
            }
        }

        public static Scenario defaults(long seed) {
            return new Scenario(300, 3, 2, 300, 0.05, 1, 0.05, 0.05, seed);
        }
    }

    /** Per-send outcome counts and the slowest outcome. */
    public record Result(int sends, int exactlyOne, int none, int several, int delivered, double outcomeMillisMax,
            long deadlineMillis, long traceHash) {}

    private static final long JOIN_MILLIS = 4_000;
    private static final long SENDS_WINDOW_MILLIS = 2_000;

    private RoutingSimulation() {}

    public static Result run(Scenario scenario) {
        ModelComparisonWorld world = new ModelComparisonWorld(scenario.peers(),
                LinkModel.lan().withLoss(scenario.lossProbability()), scenario.seed());
        RandomSource workload = world.random.fork();
        ModelComparisonHybrid hybrid = new ModelComparisonHybrid(world, scenario.organizations(),
                scenario.anchorsPerOrganization());
        world.attach(hybrid);
        hybrid.startInfrastructure();
        int anchors = scenario.organizations() * scenario.anchorsPerOrganization();
        for (int i = anchors; i < scenario.peers(); i++) {
            int peer = i;
            world.loop.schedule(workload.nextLong(0, 1_000), () -> hybrid.startJoin(peer));
        }
        world.loop.runUntil(JOIN_MILLIS * 1_000);

        List<Integer> ordinary = new ArrayList<>();
        for (int i = anchors; i < scenario.peers(); i++) {
            ordinary.add(i);
        }
        for (int a = 0; a < scenario.crashedAnchors(); a++) {
            world.crash(a);
        }
        List<Integer> cut = new ArrayList<>();
        for (int peer : ordinary) {
            if (workload.chance(scenario.crashedFraction())) {
                world.crash(peer);
            } else if (workload.chance(scenario.partitionedFraction())) {
                cut.add(peer);
            }
        }
        world.network.partition(cut.stream().map(peer -> world.ids[peer]).toList(), 1);

        int[] outcomes = new int[scenario.sends()];
        boolean[] delivered = new boolean[scenario.sends()];
        double[] slowest = new double[1];
        for (int s = 0; s < scenario.sends(); s++) {
            int send = s;
            int from = ordinary.get(workload.nextInt(ordinary.size()));
            int to = ordinary.get(workload.nextInt(ordinary.size()));
            long at = workload.nextLong(0, SENDS_WINDOW_MILLIS);
            world.loop.schedule(at, () -> {
                if (world.crashed[from]) {
                    outcomes[send] = 1; // a crashed peer sends nothing: nothing to check
                    return;
                }
                long sentAt = world.loop.nowMillis();
                hybrid.send(from, to, send, outcome -> {
                    outcomes[send]++;
                    delivered[send] |= outcome instanceof DeliveryOutcome.Delivered;
                    slowest[0] = Math.max(slowest[0], world.loop.nowMillis() - sentAt);
                });
            });
        }
        long deadline = RoutingConfig.defaults().deadlineMillis();
        world.loop.runUntil(world.loop.nowMicros() + (SENDS_WINDOW_MILLIS + 2 * deadline) * 1_000);
        int exactlyOne = 0;
        int none = 0;
        int several = 0;
        int deliveredCount = 0;
        for (int s = 0; s < scenario.sends(); s++) {
            exactlyOne += outcomes[s] == 1 ? 1 : 0;
            none += outcomes[s] == 0 ? 1 : 0;
            several += outcomes[s] > 1 ? 1 : 0;
            deliveredCount += delivered[s] ? 1 : 0;
        }
        return new Result(scenario.sends(), exactlyOne, none, several, deliveredCount, slowest[0], deadline,
                world.network.traceHash());
    }
}
