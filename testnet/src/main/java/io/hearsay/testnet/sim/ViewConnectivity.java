package io.hearsay.testnet.sim;

import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.discovery.view.NeighbourView;
import io.hearsay.discovery.view.ViewConfig;
import io.hearsay.identity.PkiId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How well random views hold the overlay together when peers die (the discovery issue, "Views with a
 * minimum degree"). A graph computation over the real {@link NeighbourView} code, not a message-level run:
 *
 * <ol>
 *   <li>every one of N peers fills its view from the full membership (its own forked seeded generator);
 *   <li>a fraction f of the peers, drawn at random, dies;
 *   <li><b>without replacement</b>: the graph of the survivors' original views, dead ends removed, i.e. the
 *       overlay in the window before failure detection has told anyone;
 *   <li><b>with replacement</b>: every survivor refreshes its view with the live membership (the survivors),
 *       replacing lost neighbours as {@link NeighbourView#refresh} does once SWIM declares them dead.
 * </ol>
 *
 * Each graph is the undirected union of the views (a link serves both ends); the figure is the largest
 * connected component as a fraction of the survivors. Everything is a function of the scenario's seed.
 */
public final class ViewConnectivity {
    /** What to measure. */
    public record Scenario(int peers, ViewConfig config, double killedFraction, long seed) {
        public Scenario {
            if (peers < 2) {
                throw new IllegalArgumentException("peers must be at least 2, got " + peers);
            }
            if (killedFraction < 0 || killedFraction >= 1) {
                throw new IllegalArgumentException("killedFraction must be in [0, 1), got " + killedFraction);
            }
        }
    }

    /**
     * One measurement. Fractions are of the survivors; components count isolated survivors too.
     *
     * @param survivorsBelowMinDegree survivors whose view is still below minDegree after refreshing (only
     *     possible when fewer than minDegree + 1 peers survive)
     */
    public record Result(Scenario scenario, int survivors, double largestWithoutReplacement,
            int componentsWithoutReplacement, double largestWithReplacement, int componentsWithReplacement,
            long replacements, int survivorsBelowMinDegree) {}

    private ViewConnectivity() {}

    public static Result run(Scenario scenario) {
        int n = scenario.peers();
        List<PkiId> ids = new ArrayList<>(n);
        // Lookups only (id → index for the union-find), never iterated.
        Map<PkiId, Integer> index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            PkiId id = PkiId.fromBytes(ByteBuffer.allocate(PkiId.LENGTH_BYTES).putInt(i).array());
            ids.add(id);
            index.put(id, i);
        }
        PeerSet everyone = PeerSet.of(ids);
        RandomSource root = RandomSource.seeded(scenario.seed());
        RandomSource killer = root.fork();
        NeighbourView[] views = new NeighbourView[n];
        for (int i = 0; i < n; i++) {
            views[i] = new NeighbourView(ids.get(i), scenario.config(), root.fork());
            views[i].refresh(everyone);
        }

        boolean[] dead = new boolean[n];
        int killed = (int) Math.round(scenario.killedFraction() * n);
        for (PkiId victim : everyone.sample(killer, killed, null)) {
            dead[index.get(victim)] = true;
        }
        List<PkiId> survivorIds = new ArrayList<>(n - killed);
        for (int i = 0; i < n; i++) {
            if (!dead[i]) {
                survivorIds.add(ids.get(i));
            }
        }
        int survivors = survivorIds.size();

        Components before = components(views, dead, index);

        PeerSet live = PeerSet.of(survivorIds);
        long replacements = 0;
        int belowMin = 0;
        for (int i = 0; i < n; i++) {
            if (!dead[i]) {
                views[i].refresh(live);
                replacements += views[i].replacements();
                if (views[i].neighbours().size() < scenario.config().minDegree()) {
                    belowMin++;
                }
            }
        }
        Components after = components(views, dead, index);

        return new Result(scenario, survivors, (double) before.largest() / survivors, before.count(),
                (double) after.largest() / survivors, after.count(), replacements, belowMin);
    }

    /** The full grid: every size × every minDegree (maxDegree 2 × minDegree) × every killed fraction. */
    public static List<Result> grid(List<Integer> sizes, List<Integer> minDegrees, List<Double> fractions, long seed) {
        List<Result> results = new ArrayList<>();
        for (int peers : sizes) {
            for (int minDegree : minDegrees) {
                for (double fraction : fractions) {
                    results.add(run(new Scenario(peers, ViewConfig.withMinDegree(minDegree), fraction, seed)));
                }
            }
        }
        return results;
    }

    /** A Markdown table, one row per result. */
    public static String table(List<Result> results) {
        StringBuilder out = new StringBuilder();
        out.append("| peers | minDegree | killed | survivors | largest component, no replacement | components, no repl. "
                + "| largest component, with replacement | components, with repl. | replacements |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            out.append(String.format(Locale.ROOT, "| %,d | %d | %.0f%% | %,d | %s | %,d | %s | %,d | %,d |%n",
                    r.scenario().peers(), r.scenario().config().minDegree(), 100 * r.scenario().killedFraction(),
                    r.survivors(), percent(r.largestWithoutReplacement()), r.componentsWithoutReplacement(),
                    percent(r.largestWithReplacement()), r.componentsWithReplacement(), r.replacements()));
        }
        return out.toString();
    }

    private static String percent(double fraction) {
        return fraction == 1.0 ? "100%" : String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    private record Components(int largest, int count) {}

    /** Connected components of the survivors in the undirected union of their views (union-find). */
    private static Components components(NeighbourView[] views, boolean[] dead, Map<PkiId, Integer> index) {
        int n = views.length;
        int[] parent = new int[n];
        int[] size = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
            size[i] = 1;
        }
        for (int i = 0; i < n; i++) {
            if (dead[i]) {
                continue;
            }
            PeerSet neighbours = views[i].neighbours();
            for (int k = 0; k < neighbours.size(); k++) {
                int j = index.get(neighbours.get(k));
                if (!dead[j]) {
                    union(parent, size, i, j);
                }
            }
        }
        int largest = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (!dead[i] && find(parent, i) == i) {
                count++;
                largest = Math.max(largest, size[i]);
            }
        }
        return new Components(largest, count);
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int[] size, int a, int b) {
        int rootA = find(parent, a);
        int rootB = find(parent, b);
        if (rootA == rootB) {
            return;
        }
        if (size[rootA] < size[rootB]) {
            int swap = rootA;
            rootA = rootB;
            rootB = swap;
        }
        parent[rootB] = rootA;
        size[rootA] += size[rootB];
    }
}
