package io.hearsay.testnet.sim;

import io.hearsay.discovery.anchor.AnchorAttachment;
import io.hearsay.discovery.anchor.JoinConfig;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Joining through anchors at scale, on the real anchor cores (DESIGN.md, "Hybrid super-nodes"): with
 * {@code anchorsDown} anchors dead from the start (unannounced: they are still in every peer's roster), all
 * peers join within one second; measured are how long until each is dual-homed, how evenly the load spreads
 * over the live anchors, and — after one more anchor is killed — how long its orphans take to be dual-homed
 * again (detection by missed heartbeats, then a fresh anchor list and an attach).
 */
public final class JoinSimulation {
    public record Scenario(int peers, int organizations, int anchorsPerOrganization, int anchorsDown,
            LinkModel link, long seed) {
        public Scenario {
            if (anchorsDown + 2 > organizations * anchorsPerOrganization) {
                throw new IllegalArgumentException("need at least two live anchors after the kill, got "
                        + organizations * anchorsPerOrganization + " anchors with " + anchorsDown + " down");
            }
        }

        /** 1,000 peers, 4 orgs × 2 anchors, one anchor down, LAN with 1% loss. */
        public static Scenario defaults(long seed) {
            return new Scenario(1_000, 4, 2, 1, LinkModel.lan().withLoss(0.01), seed);
        }
    }

    /**
     * @param dualHomedMillis per peer: from its join's start until it had two parents
     * @param notDualHomed peers without two parents at the end of the join phase
     * @param loadMax the most loaded live anchor's attached peers; {@code loadMean} over live anchors
     * @param orphans peers that had the killed anchor as a parent
     * @param reattachMillis per orphan: from the kill until it had two live parents again
     * @param orphansNotReattached orphans still without two parents at the end
     */
    public record Result(Percentiles dualHomedMillis, int notDualHomed, int loadMax, double loadMean, int orphans,
            Percentiles reattachMillis, int orphansNotReattached, long traceHash) {
        public String table() {
            return String.format(Locale.ROOT, "| figure | value |%n|---|---:|%n"
                            + "| time to dual-homed, p50 / p99 / max | %.0f / %.0f / %.0f ms |%n"
                            + "| peers not dual-homed after the join phase | %d |%n"
                            + "| anchor load, max / mean | %d / %.1f |%n"
                            + "| orphans of the killed anchor | %d |%n"
                            + "| time to dual-homed again, p50 / p99 / max | %.0f / %.0f / %.0f ms |%n"
                            + "| orphans not re-attached | %d |%n",
                    dualHomedMillis.p50(), dualHomedMillis.p99(), dualHomedMillis.max(), notDualHomed, loadMax, loadMean,
                    orphans, reattachMillis.p50(), reattachMillis.p99(), reattachMillis.max(), orphansNotReattached);
        }
    }

    private static final long JOIN_WINDOW_MILLIS = 1_000;
    private static final long JOIN_PHASE_MILLIS = 6_000;
    private static final long REATTACH_PHASE_MILLIS = 10_000;

    private JoinSimulation() {}

    public static Result run(Scenario scenario) {
        int n = scenario.peers();
        ModelComparisonWorld world = new ModelComparisonWorld(n, scenario.link(), scenario.seed());
        RandomSource workload = world.random.fork();
        long[] startedMillis = new long[n];
        long[] dualHomedAtMillis = new long[n];
        java.util.Arrays.fill(dualHomedAtMillis, -1);
        ModelComparisonHybrid hybrid = new ModelComparisonHybrid(world, scenario.organizations(),
                scenario.anchorsPerOrganization(), (peer, parents) -> {
                    if (parents.size() >= JoinConfig.defaults().parents() && dualHomedAtMillis[peer] < 0) {
                        dualHomedAtMillis[peer] = world.loop.nowMillis();
                    }
                });
        world.attach(hybrid);
        hybrid.startInfrastructure();
        int anchors = scenario.organizations() * scenario.anchorsPerOrganization();
        for (int a = 0; a < scenario.anchorsDown(); a++) {
            hybrid.crashAnchor(a);
        }
        for (int i = anchors; i < n; i++) {
            int peer = i;
            world.loop.schedule(workload.nextLong(0, JOIN_WINDOW_MILLIS), () -> {
                startedMillis[peer] = world.loop.nowMillis();
                hybrid.startJoin(peer);
            });
        }
        world.loop.runUntil(JOIN_PHASE_MILLIS * 1_000);

        List<Double> dualHomed = new ArrayList<>();
        int notDualHomed = 0;
        for (int i = anchors; i < n; i++) {
            if (dualHomedAtMillis[i] >= 0) {
                dualHomed.add((double) (dualHomedAtMillis[i] - startedMillis[i]));
            }
            if (hybrid.attachment(i).parents().size() < JoinConfig.defaults().parents()) {
                notDualHomed++;
            }
        }
        int loadMax = 0;
        long loadSum = 0;
        for (int a = scenario.anchorsDown(); a < anchors; a++) {
            loadMax = Math.max(loadMax, hybrid.anchor(a).load());
            loadSum += hybrid.anchor(a).load();
        }

        // Kill the most loaded live anchor and time its orphans' recovery.
        int victim = scenario.anchorsDown();
        for (int a = scenario.anchorsDown(); a < anchors; a++) {
            if (hybrid.anchor(a).load() > hybrid.anchor(victim).load()) {
                victim = a;
            }
        }
        PkiId victimId = world.ids[victim];
        List<Integer> orphans = new ArrayList<>();
        for (int i = anchors; i < n; i++) {
            if (hybrid.attachment(i).parents().contains(victimId)) {
                orphans.add(i);
                dualHomedAtMillis[i] = -1;
            }
        }
        long killedAtMillis = world.loop.nowMillis();
        hybrid.crashAnchor(victim);
        world.loop.runUntil((JOIN_PHASE_MILLIS + REATTACH_PHASE_MILLIS) * 1_000);
        List<Double> reattach = new ArrayList<>();
        int notReattached = 0;
        for (int orphan : orphans) {
            AnchorAttachment attachment = hybrid.attachment(orphan);
            if (attachment.parents().size() >= JoinConfig.defaults().parents()
                    && !attachment.parents().contains(victimId) && dualHomedAtMillis[orphan] >= 0) {
                reattach.add((double) (dualHomedAtMillis[orphan] - killedAtMillis));
            } else {
                notReattached++;
            }
        }
        int live = anchors - scenario.anchorsDown();
        return new Result(Percentiles.of(dualHomed), notDualHomed, loadMax, (double) loadSum / live, orphans.size(),
                Percentiles.of(reattach), notReattached, world.network.traceHash());
    }
}
