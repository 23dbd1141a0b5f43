package io.hearsay.testnet.sim;

import io.hearsay.discovery.routing.DeliveryOutcome;
import io.hearsay.discovery.runtime.RandomSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The three network models of DESIGN.md's "classic story" side by side, on the same seed, network size and
 * links (the discovery issue, "The three network models, side by side"):
 *
 * <ul>
 *   <li><b>central index</b>: peer 0 is a tracker every peer registers with ({@code ModelComparisonCentral});
 *   <li><b>pure gossip</b>: random views, joined through bootstrap peers, infect-and-forward
 *       ({@code ModelComparisonGossip});
 *   <li><b>hybrid</b>: anchors per organisation, dual-homed peers, routed delivery with acks
 *       ({@code ModelComparisonHybrid}, on the real anchor and routing cores).
 * </ul>
 *
 * One run per model, one timeline (virtual time):
 *
 * <pre>
 *   0 s      infrastructure up; the original peers start joining over 2 s (healthy joins counted)
 *   4 s      membership converged (gossip views refresh)
 *   5 s      healthy dissemination: one rumor from a random peer, measured for 2 s
 *   7 s      FAULT: the key component dies (index server / anchor 0 / bootstrap peer 0), unannounced;
 *            new peers start joining over 1 s; routed sends between random live peers over [7.2 s, 9.2 s)
 *   11 s     membership converged again
 *   12 s     dissemination while the component is down, measured for 2 s
 *   15 s     end: joins and send outcomes are read
 * </pre>
 *
 * Everything is a function of the scenario (its seed above all): the same scenario gives an equal result.
 */
public final class ModelComparison {
    /** The three models. */
    public enum Model {
        CENTRAL("central index", "the index server"),
        GOSSIP("pure gossip", "bootstrap peer 0"),
        HYBRID("hybrid (anchors)", "one anchor");

        private final String title;
        private final String keyComponent;

        Model(String title, String keyComponent) {
            this.title = title;
            this.keyComponent = keyComponent;
        }

        public String title() {
            return title;
        }

        /** What the fault takes down in this model. */
        public String keyComponent() {
            return keyComponent;
        }
    }

    /**
     * What to compare.
     *
     * @param peers peers present from the start, infrastructure included (index server, anchors)
     * @param organizations organisations; the hybrid model names {@code anchorsPerOrganization} anchors in each
     * @param joiners peers that join while the key component is down
     * @param sends routed sends while it is down
     */
    public record Scenario(int peers, int organizations, int anchorsPerOrganization, int joiners, int sends,
            LinkModel link, long seed) {
        public Scenario {
            if (organizations < 1 || anchorsPerOrganization < 1) {
                throw new IllegalArgumentException("need at least one organisation with one anchor, got " + organizations
                        + " × " + anchorsPerOrganization);
            }
            if (peers < organizations * anchorsPerOrganization + 10) {
                throw new IllegalArgumentException("peers must exceed the anchors by at least 10, got " + peers);
            }
            if (joiners < 1 || sends < 1) {
                throw new IllegalArgumentException("joiners and sends must be positive, got " + joiners + ", " + sends);
            }
        }

        /** 1,000 peers, 4 organisations × 2 anchors, 100 joiners, 300 sends, LAN links with 1% loss. */
        public static Scenario defaults(long seed) {
            return new Scenario(1_000, 4, 2, 100, 300, LinkModel.lan().withLoss(0.01), seed);
        }

        public Scenario withPeers(int count) {
            return new Scenario(count, organizations, anchorsPerOrganization, joiners, sends, link, seed);
        }
    }

    /** One dissemination: time and hops until the last reached peer, and the fraction never reached. */
    public record Dissemination(double latencyMillis, int hopsMax, double residue, int population) {}

    /**
     * One model's figures.
     *
     * @param sendsWithOutcome sends whose sender got exactly one definite outcome
     * @param sendsWithSeveralOutcomes sends whose sender got more than one (must be 0)
     * @param outcomeMillisMax the slowest definite outcome, from the send
     */
    public record ModelResult(Model model, int originals, int originalsJoined, double messagesPerJoinHealthy,
            int joinersDuringFault, int joinedDuringFault, double messagesPerJoinDuringFault, int sends,
            int sendsWithOutcome, int sendsWithSeveralOutcomes, int sendsDelivered, double outcomeMillisMax,
            Dissemination healthy, Dissemination duringFault, long messages, long traceHash) {
        public double joinSuccessHealthy() {
            return (double) originalsJoined / originals;
        }

        public double joinSuccessDuringFault() {
            return (double) joinedDuringFault / joinersDuringFault;
        }

        public double outcomeCertainty() {
            return (double) sendsWithOutcome / sends;
        }

        public double deliveredFraction() {
            return (double) sendsDelivered / sends;
        }
    }

    /** The three models' figures for one scenario. */
    public record Result(Scenario scenario, List<ModelResult> models) {
        public ModelResult of(Model model) {
            return models.stream().filter(result -> result.model() == model).findFirst().orElseThrow();
        }

        /** A Markdown table: one row per figure, one column per model. */
        public String table() {
            return ModelComparison.table(this);
        }
    }

    private static final long JOIN_WINDOW_MILLIS = 2_000;
    private static final long CONVERGE_AT_MILLIS = 4_000;
    private static final long HEALTHY_RUMOR_AT_MILLIS = 5_000;
    private static final long FAULT_AT_MILLIS = 7_000;
    private static final long FAULT_JOIN_WINDOW_MILLIS = 1_000;
    private static final long SENDS_FROM_MILLIS = FAULT_AT_MILLIS + 200;
    private static final long SENDS_WINDOW_MILLIS = 2_000;
    private static final long FAULT_CONVERGE_AT_MILLIS = FAULT_AT_MILLIS + 4_000;
    private static final long FAULT_RUMOR_AT_MILLIS = FAULT_AT_MILLIS + 5_000;
    private static final long END_MILLIS = FAULT_AT_MILLIS + 8_000;
    private static final long HEALTHY_RUMOR = 1L << 40;
    private static final long FAULT_RUMOR = HEALTHY_RUMOR + 1;

    private ModelComparison() {}

    /** Runs the three models on {@code scenario}. */
    public static Result run(Scenario scenario) {
        List<ModelResult> results = new ArrayList<>();
        for (Model model : Model.values()) {
            results.add(run(scenario, model));
        }
        return new Result(scenario, List.copyOf(results));
    }

    /** Runs one model on {@code scenario}. */
    public static ModelResult run(Scenario scenario, Model model) {
        int originals = scenario.peers();
        int total = originals + scenario.joiners();
        ModelComparisonWorld world = new ModelComparisonWorld(total, scenario.link(), scenario.seed());
        RandomSource workload = world.random.fork();
        ModelComparisonModel network = switch (model) {
            case CENTRAL -> new ModelComparisonCentral(world);
            case GOSSIP -> new ModelComparisonGossip(world);
            case HYBRID -> new ModelComparisonHybrid(world, scenario.organizations(), scenario.anchorsPerOrganization());
        };
        world.attach(network);
        for (int i = 0; i < total; i++) {
            world.cohort[i] = i < originals ? ModelComparisonWorld.COHORT_ORIGINAL : ModelComparisonWorld.COHORT_JOINER;
        }

        // Healthy: infrastructure, then the originals join.
        world.setPhase(ModelComparisonWorld.Phase.HEALTHY);
        network.startInfrastructure();
        List<Integer> joiningOriginals = new ArrayList<>();
        for (int i = 0; i < originals; i++) {
            if (!network.isInfrastructure(i) && !network.isJoined(i)) {
                int peer = i;
                joiningOriginals.add(peer);
                world.loop.schedule(workload.nextLong(0, JOIN_WINDOW_MILLIS), () -> network.startJoin(peer));
            }
        }
        runUntil(world, CONVERGE_AT_MILLIS);
        world.setPhase(ModelComparisonWorld.Phase.NONE);
        int originalsJoined = (int) joiningOriginals.stream().filter(network::isJoined).count();
        network.membershipConverged();
        runUntil(world, HEALTHY_RUMOR_AT_MILLIS);
        Dissemination healthy = disseminate(world, network, workload, HEALTHY_RUMOR, originals);

        // The fault: the key component dies; joiners arrive; routed sends.
        runUntil(world, FAULT_AT_MILLIS);
        network.crashKeyComponent();
        world.setPhase(ModelComparisonWorld.Phase.FAULT);
        for (int i = originals; i < total; i++) {
            int peer = i;
            world.loop.schedule(workload.nextLong(0, FAULT_JOIN_WINDOW_MILLIS), () -> network.startJoin(peer));
        }
        int[] outcomes = new int[scenario.sends()];
        boolean[] delivered = new boolean[scenario.sends()];
        double[] outcomeMillisMax = new double[1];
        List<Integer> senders = liveOriginals(world, network, originals);
        for (int s = 0; s < scenario.sends(); s++) {
            int send = s;
            int from = senders.get(workload.nextInt(senders.size()));
            int to = senders.get(workload.nextInt(senders.size()));
            while (to == from) {
                to = senders.get(workload.nextInt(senders.size()));
            }
            int target = to;
            long at = SENDS_FROM_MILLIS + workload.nextLong(0, SENDS_WINDOW_MILLIS);
            world.loop.schedule(at - world.loop.nowMillis(), () -> {
                long sentAt = world.loop.nowMillis();
                network.send(from, target, send, outcome -> {
                    outcomes[send]++;
                    delivered[send] |= outcome instanceof DeliveryOutcome.Delivered;
                    outcomeMillisMax[0] = Math.max(outcomeMillisMax[0], world.loop.nowMillis() - sentAt);
                });
            });
        }
        runUntil(world, FAULT_CONVERGE_AT_MILLIS);
        network.membershipConverged();
        runUntil(world, FAULT_RUMOR_AT_MILLIS);
        Dissemination duringFault = disseminate(world, network, workload, FAULT_RUMOR, originals);
        runUntil(world, END_MILLIS);
        world.setPhase(ModelComparisonWorld.Phase.NONE);

        int joined = 0;
        for (int i = originals; i < total; i++) {
            joined += network.isJoined(i) ? 1 : 0;
        }
        int withOutcome = 0;
        int several = 0;
        int deliveredCount = 0;
        for (int s = 0; s < scenario.sends(); s++) {
            withOutcome += outcomes[s] == 1 ? 1 : 0;
            several += outcomes[s] > 1 ? 1 : 0;
            boolean arrived = model == Model.GOSSIP ? world.targetReached(s) : delivered[s];
            deliveredCount += arrived ? 1 : 0;
        }
        return new ModelResult(model, joiningOriginals.size(), originalsJoined,
                world.healthyJoinMessages() / (double) Math.max(1, joiningOriginals.size()), scenario.joiners(), joined,
                world.faultJoinMessages() / (double) scenario.joiners(), scenario.sends(), withOutcome, several,
                deliveredCount, outcomeMillisMax[0], healthy, duringFault, world.network.totalMessagesSent(),
                world.network.traceHash());
    }

    private static void runUntil(ModelComparisonWorld world, long millis) {
        world.loop.runUntil(millis * 1_000);
    }

    /** Live, joined, non-infrastructure original peers, in index order. */
    private static List<Integer> liveOriginals(ModelComparisonWorld world, ModelComparisonModel network, int originals) {
        List<Integer> live = new ArrayList<>();
        for (int i = 0; i < originals; i++) {
            if (!world.crashed[i] && !network.isInfrastructure(i) && network.isJoined(i)) {
                live.add(i);
            }
        }
        return live;
    }

    /** Spreads one rumor from a random live peer and measures it {@code 2 s} later. */
    private static Dissemination disseminate(ModelComparisonWorld world, ModelComparisonModel network,
            RandomSource workload, long rumor, int originals) {
        List<Integer> candidates = liveOriginals(world, network, originals);
        int source = candidates.get(workload.nextInt(candidates.size()));
        long startMicros = world.loop.nowMicros();
        world.startMeasuredRumor(source, rumor);
        network.disseminate(source, rumor);
        world.loop.runUntil(startMicros + 2_000_000);
        int population = 0;
        int reached = 0;
        long lastMicros = startMicros;
        int hopsMax = 0;
        for (int i = 0; i < world.ids.length; i++) {
            if (i == source || world.crashed[i] || network.isInfrastructure(i) || !network.isJoined(i)) {
                continue;
            }
            population++;
            long seen = world.firstSeenMicros(i);
            if (seen >= 0) {
                reached++;
                lastMicros = Math.max(lastMicros, seen);
                hopsMax = Math.max(hopsMax, world.firstSeenHops(i));
            }
        }
        double residue = population == 0 ? 0 : 1 - (double) reached / population;
        return new Dissemination((lastMicros - startMicros) / 1_000.0, hopsMax, residue, population);
    }

    /** A Markdown table, one row per figure, one column per model. */
    public static String table(Result result) {
        List<ModelResult> models = result.models();
        StringBuilder out = new StringBuilder();
        Scenario s = result.scenario();
        out.append(String.format(Locale.ROOT, "Network models side by side: %,d peers, %d orgs × %d anchors (hybrid), "
                        + "%d joiners and %d routed sends while the key component is down, link loss %.1f%%, SEED=%d%n%n",
                s.peers(), s.organizations(), s.anchorsPerOrganization(), s.joiners(), s.sends(),
                100 * s.link().lossProbability(), s.seed()));
        out.append("| |");
        models.forEach(m -> out.append(' ').append(m.model().title()).append(" |"));
        out.append("\n|---|");
        models.forEach(m -> out.append("---:|"));
        out.append('\n');
        row(out, "key component taken down", models, m -> m.model().keyComponent());
        row(out, "joins succeeded, healthy", models, m -> ratio(m.originalsJoined(), m.originals()));
        row(out, "messages per join, healthy", models, m -> String.format(Locale.ROOT, "%.1f", m.messagesPerJoinHealthy()));
        row(out, "joins succeeded while it is down", models, m -> ratio(m.joinedDuringFault(), m.joinersDuringFault()));
        row(out, "messages per join while it is down", models,
                m -> String.format(Locale.ROOT, "%.1f", m.messagesPerJoinDuringFault()));
        row(out, "sends with a definite outcome", models, m -> ratio(m.sendsWithOutcome(), m.sends()));
        row(out, "sends delivered", models, m -> ratio(m.sendsDelivered(), m.sends()));
        row(out, "slowest outcome", models, m -> m.sendsWithOutcome() == 0 ? "never"
                : String.format(Locale.ROOT, "%.0f ms", m.outcomeMillisMax()));
        row(out, "dissemination, healthy: time to last peer (hops)", models, m -> latency(m.healthy()));
        row(out, "residue (never reached), healthy", models, m -> percent(m.healthy().residue()));
        row(out, "dissemination while it is down: time (hops)", models, m -> latency(m.duringFault()));
        row(out, "residue while it is down", models, m -> percent(m.duringFault().residue()));
        row(out, "messages sent, whole run", models, m -> String.format(Locale.ROOT, "%,d", m.messages()));
        return out.toString();
    }

    private static void row(StringBuilder out, String name, List<ModelResult> models,
            java.util.function.Function<ModelResult, String> cell) {
        out.append("| ").append(name).append(" |");
        models.forEach(m -> out.append(' ').append(cell.apply(m)).append(" |"));
        out.append('\n');
    }

    private static String ratio(int part, int whole) {
        return String.format(Locale.ROOT, "%s (%,d/%,d)", percent((double) part / whole), part, whole);
    }

    private static String percent(double fraction) {
        return fraction == 1.0 ? "100%" : fraction == 0 ? "0%" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    private static String latency(Dissemination dissemination) {
        return String.format(Locale.ROOT, "%.1f ms (%d)", dissemination.latencyMillis(), dissemination.hopsMax());
    }
}
