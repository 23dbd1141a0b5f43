package io.hearsay.testnet.bench;

import io.hearsay.testnet.spec.NetworkModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The three network models side by side on real nodes: for each model in turn, a fresh network in this JVM measured
 * by {@link ModelTrial} (startup, dissemination, idle cost, failure detection, and a restart with the model's key
 * component down). The simulator compares the same models at scale ({@code simulate --mode models}); this shows the
 * trade-offs on the real transport, ledgers and discovery.
 */
public final class ModelsBenchmark {
    /**
     * What to run.
     *
     * @param models the models, in the order run (default all three)
     * @param organizations organisations (default 2: the smallest network with links between organisations); at least
     *     2, so the Gateway client's organisation (the first) is never the one whose peers are stopped (the last)
     * @param peersPerOrganization peers per organisation (default 4: two anchors and two ordinary peers); at least 3,
     *     so the organisation has an ordinary peer to stop beside its two anchors
     * @param blocks measured blocks, one transaction each (default 20: enough for a p50; p99 of 20 is the largest)
     * @param idle the window the idle cost is counted over (default 10 s: 20 heartbeats, 5 index refreshes, tens of
     *     SWIM probes per peer)
     * @param joinWindow how long a restarted peer may take to find its organisation, and a block to reach it (default
     *     10 s: five index refreshes; SWIM joins in well under one)
     * @param workDirectory where the networks' data goes, one subdirectory per model
     */
    public record Options(List<NetworkModel> models, int organizations, int peersPerOrganization, int blocks, Duration idle,
            Duration joinWindow, Path workDirectory) {
        public Options {
            models = List.copyOf(models);
            if (models.isEmpty()) {
                throw new IllegalArgumentException("name at least one model: central, gossip, hybrid");
            }
            if (organizations < 2 || peersPerOrganization < 3 || blocks < 1) {
                throw new IllegalArgumentException("need at least 2 organisations, 3 peers per organisation (two anchors "
                        + "and an ordinary peer to stop) and 1 block, got " + organizations + ", " + peersPerOrganization
                        + ", " + blocks);
            }
            if (idle.isNegative() || idle.isZero() || joinWindow.isNegative() || joinWindow.isZero()) {
                throw new IllegalArgumentException("the idle window and the join window must be positive");
            }
        }
    }

    /** The figures of every model run, with the machine they ran on. */
    public record Result(Options options, Machine machine, List<ModelFigures> models) {}

    private ModelsBenchmark() {}

    public static Result run(Options options, PrintWriter progress) throws Exception {
        Machine machine = Machine.describe(options.workDirectory());
        progress.println("warming up: one unmeasured launch");
        ModelTrial.warmUp(options.models().get(0), options, options.workDirectory().resolve("warm-up"));
        List<ModelFigures> figures = new ArrayList<>();
        for (NetworkModel model : options.models()) {
            figures.add(ModelTrial.run(model, options, options.workDirectory().resolve(model.specName()), progress));
            progress.flush();
        }
        return new Result(options, machine, figures);
    }

    /** The figures as a Markdown table, one column per model, for BENCHMARKS.md. */
    public static String table(Result result) {
        StringBuilder out = new StringBuilder();
        Options options = result.options();
        out.append(String.format(Locale.ROOT, "%d organisations × %d peers (anchors 0 and 1), %d blocks, idle window %d s, "
                        + "join window %d s; %s, %d cores, Java %s%n%n", options.organizations(),
                options.peersPerOrganization(), options.blocks(), options.idle().toSeconds(), options.joinWindow().toSeconds(),
                result.machine().date(), result.machine().cores(), result.machine().java()));
        List<ModelFigures> models = result.models();
        row(out, "", models, m -> switch (m.model()) {
            case CENTRAL -> "central index";
            case GOSSIP -> "pure gossip";
            case HYBRID -> "hybrid (anchors)";
        });
        out.append("|---").append("|---:".repeat(models.size())).append("|\n");
        row(out, "launch: orderer and peers started", models, m -> millis(m.launchMillis()));
        row(out, "startup: every view full", models, m -> millis(m.startupMillis()));
        row(out, "block, orderer to last peer: p50 / p99", models, m -> String.format(Locale.ROOT, "%.1f / %.1f ms",
                m.disseminationMillis().p50(), m.disseminationMillis().p99()));
        row(out, "stopped peer dropped from every view", models, m -> millis(m.failureDetectionMillis()));
        row(out, "key component taken down", models, ModelFigures::keyComponent);
        row(out, "restarted peer finds its organisation", models, m -> (m.rejoined() ? "yes, " + millis(m.rejoinMillis())
                : "no, not within " + options.joinWindow().toSeconds() + " s") + " (view " + m.rejoinView() + "/"
                + m.rejoinViewExpected() + ")");
        row(out, "a new block reaches it", models, m -> !m.rejoinedGotBlock() ? "no"
                : "yes, " + millis(m.rejoinedBlockMillis()) + (m.rejoinedLeads() ? " (it leads: from the orderer)" : ""));
        row(out, "idle: discovery messages / peer / s", models, m -> number(m.idle().discoveryMessages()));
        row(out, "idle: discovery bytes / peer / s", models, m -> String.format(Locale.ROOT, "%,.0f", m.idle().discoveryBytes()));
        row(out, "idle: block-gossip messages / peer / s", models, m -> number(m.idle().blockGossipMessages()));
        row(out, "idle: block-gossip bytes / peer / s", models,
                m -> String.format(Locale.ROOT, "%,.0f", m.idle().blockGossipBytes()));
        row(out, "idle: SWIM probes, index registrations / peer / s", models,
                m -> number(m.idle().swimProbes()) + ", " + number(m.idle().indexRegistrations()));
        long invalid = models.stream().mapToLong(ModelFigures::invalidTransactions).sum();
        if (invalid > 0) {
            out.append("WARNING: ").append(invalid).append(" measured transactions did not commit VALID; report this\n");
        }
        return out.toString();
    }

    /** The figures as one JSON object, snake_case keys, a member per model. */
    public static String json(Result result) {
        Options options = result.options();
        Machine machine = result.machine();
        Json models = new Json();
        result.models().forEach(m -> models.field(m.model().specName(), m.json()));
        return new Json()
                .field("benchmark", "models")
                .field("date", machine.date().toString())
                .field("machine", new Json()
                        .field("cores", machine.cores())
                        .field("max_heap_bytes", machine.maxHeapBytes())
                        .field("ram_bytes", machine.ramBytes())
                        .field("java", machine.java())
                        .field("os", machine.os()))
                .field("shape", new Json()
                        .field("organizations", options.organizations())
                        .field("peers_per_organization", options.peersPerOrganization())
                        .field("anchors_per_organization", 2)
                        .field("blocks", options.blocks())
                        .field("idle_seconds", options.idle().toMillis() / 1e3)
                        .field("join_window_seconds", options.joinWindow().toMillis() / 1e3))
                .field("models", models)
                .toString();
    }

    private static void row(StringBuilder out, String name, List<ModelFigures> models,
            Function<ModelFigures, String> cell) {
        out.append("| ").append(name);
        models.forEach(m -> out.append(" | ").append(cell.apply(m)));
        out.append(" |\n");
    }

    private static String millis(double millis) {
        return Double.isFinite(millis) ? String.format(Locale.ROOT, "%,.0f ms", millis) : "—";
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
