package io.hearsay.testnet.cli;

import io.hearsay.testnet.bench.Json;
import io.hearsay.testnet.chart.CoverageCurve;
import io.hearsay.testnet.chart.CoverageRecorder;
import io.hearsay.testnet.chart.DisseminationChart;
import io.hearsay.testnet.sim.ModelComparison;
import io.hearsay.testnet.sim.SimulationRunner;
import io.hearsay.testnet.sim.SimulationRunner.Mode;
import io.hearsay.testnet.sim.SimulationRunner.Summary;
import io.hearsay.testnet.sim.SimulationRunner.SwimSummary;
import io.hearsay.testnet.sim.SwimSimulation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hearsay simulate}: the seeded simulator, one mode at a time, many peers in one process. */
@Command(name = "simulate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Simulate dissemination on many peers in one process, in virtual time, reproducibly from --seed.",
            "Item modes spread one update in synchronous rounds (Demers et al. 1987): push, pull, push-pull"
                    + " anti-entropy; rumor-feedback-counter and rumor-blind-coin rumor mongering with --k.",
            "Block modes run block gossip on a random graph of --degree: fabric (Fabric's defaults) and"
                    + " hearsay (ours); a round is the preset's heartbeat interval.",
            "swim runs SWIM failure detection (the lan() preset) and crashes --crashes peers: it reports the time"
                    + " until every live peer holds a crashed peer dead, false deaths under --loss, and messages per peer"
                    + " per second.",
            "models runs the three network models side by side on one seed (central index server, pure gossip, hybrid"
                    + " anchors): join success while the index server or an anchor is down, messages per join, routed"
                    + " delivery certainty, dissemination latency and residue.",
            "--modes runs several modes one after the other from the same seed; --chart FILE.svg (block modes) also"
                    + " draws the percentage of peers holding a block against the virtual ms since its cut, one line per"
                    + " mode, e.g. --modes fabric,hearsay --chart dissemination.svg.",
            "Prints a table, or one JSON object (one per mode) with --json."
        })
final class SimulateCommand implements Callable<Integer> {
    static final int PEERS_MAX = 1_000_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--peers", paramLabel = "N", defaultValue = "1000",
            description = "Simulated peers, 2 to " + PEERS_MAX + ". Default: ${DEFAULT-VALUE}.")
    int peers;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "hearsay",
            description = "push, pull, push-pull, rumor-feedback-counter, rumor-blind-coin, fabric, hearsay, swim or"
                    + " models. Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--fanout", paramLabel = "F", defaultValue = "0",
            description = "Partners per round (item modes, default 1) or push fanout (block modes, default the"
                    + " preset's: 3 fabric, 4 hearsay); 0 keeps the default, else 1 to 64.")
    int fanout;

    @Option(names = "--k", paramLabel = "K", defaultValue = "1",
            description = "Rumor modes: unnecessary contacts (counter) or 1/probability (coin) before a peer stops"
                    + " spreading, 1 to 100. Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--loss", paramLabel = "P", defaultValue = "0",
            description = "Probability that a message is lost, 0 to 0.9. Default: ${DEFAULT-VALUE}.")
    double loss;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the first run; run i uses S+i. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--runs", paramLabel = "R", defaultValue = "1",
            description = "Runs to average, 1 to 1000. Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--blocks", paramLabel = "B", defaultValue = "10",
            description = "Block modes: blocks the orderer cuts, 1 to 10000. Default: ${DEFAULT-VALUE}.")
    int blocks;

    @Option(names = "--block-bytes", paramLabel = "BYTES", defaultValue = "1024",
            description = "Block modes: payload bytes per block, 1 to 16777216. Default: ${DEFAULT-VALUE}.")
    int blockBytes;

    @Option(names = "--degree", paramLabel = "D", defaultValue = "8",
            description = "Block modes: neighbours per peer in the random graph, 2 to 64. Default: ${DEFAULT-VALUE}.")
    int degree;

    @Option(names = "--block-interval-ms", paramLabel = "MS", defaultValue = "1000",
            description = "Block modes: virtual milliseconds between blocks, 1 to 600000. Default: ${DEFAULT-VALUE}.")
    long blockIntervalMillis;

    @Option(names = "--crashes", paramLabel = "C", defaultValue = "20",
            description = "swim: peers crashed, one every 250 ms after 2 s of warm-up, 0 to half the peers."
                    + " Default: ${DEFAULT-VALUE}.")
    int crashes;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "10",
            description = "swim: virtual seconds run after the last crash, 1 to 3600. Default: ${DEFAULT-VALUE}.")
    long seconds;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--modes", paramLabel = "MODE[,MODE...]", split = ",",
            description = "Run these modes one after the other, each from the same --seed; replaces --mode."
                    + " With --chart, block modes only (fabric, hearsay).")
    List<String> modes;

    @Option(names = "--chart", paramLabel = "FILE.svg",
            description = "Block modes: also write an SVG chart of the percentage of peers holding a block against the"
                    + " virtual ms since the orderer cut it (log scale), one line per mode, averaged over every block"
                    + " of every run.")
    Path chart;

    @Override
    public Integer call() {
        List<String> requested = modes == null || modes.isEmpty() ? List.of(mode) : modes;
        boolean swim = requested.stream().anyMatch(m -> SimulationRunner.SWIM_MODE.equals(m.toLowerCase(Locale.ROOT)));
        if (swim && requested.size() == 1 && chart == null) {
            return callSwim();
        }
        if (requested.size() == 1 && MODELS_MODE.equals(requested.get(0).toLowerCase(Locale.ROOT)) && chart == null) {
            return callModels();
        }
        if (swim) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + (chart == null ? "--modes" : "--chart")
                    + "': swim measures failure detection, not dissemination, so it has no chart and no comparison;"
                    + " run it alone with --mode swim");
        }
        List<SimulationRunner.Options> runOptions = requested.stream().map(m -> options(spec, peers, m, fanout, k, loss,
                seed, runs, blocks, blockBytes, degree, blockIntervalMillis)).toList();
        checkModes(runOptions);
        PrintWriter out = spec.commandLine().getOut();
        LinkedHashMap<String, CoverageCurve> curves = new LinkedHashMap<>();
        for (SimulationRunner.Options options : runOptions) {
            CoverageRecorder recorder = chart == null ? null : new CoverageRecorder(options);
            Summary summary = recorder == null ? SimulationRunner.run(options) : SimulationRunner.run(options, recorder);
            out.println(json ? json(summary) : table(summary));
            out.flush();
            if (recorder != null) {
                curves.put(options.mode().cliName + ": " + SimulationRunner.blockPresetName(options) + " preset",
                        recorder.curve());
            }
        }
        if (chart != null) {
            DisseminationChart.of(chartTitle(runOptions.get(0)), curves).writeSvg(chart);
            // With --json, stdout stays JSON only.
            PrintWriter note = json ? spec.commandLine().getErr() : out;
            note.println("chart: " + chart.toAbsolutePath().normalize());
            note.flush();
        }
        return 0;
    }

    /** A mode listed twice would be two lines under one name; --chart has nothing to draw for item modes. */
    private void checkModes(List<SimulationRunner.Options> runOptions) {
        Set<Mode> seen = new HashSet<>();
        for (SimulationRunner.Options options : runOptions) {
            if (!seen.add(options.mode())) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--modes': '"
                        + options.mode().cliName + "' is listed twice; list each mode once");
            }
            if (chart != null && !options.mode().isBlockMode()) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--chart': it draws block"
                        + " dissemination over time, and '" + options.mode().cliName + "' is an item mode; chart the block"
                        + " modes, e.g. --modes fabric,hearsay");
            }
        }
    }

    static String chartTitle(SimulationRunner.Options o) {
        return String.format(Locale.ROOT, "Block dissemination, %,d peers (degree %d, %d block(s) × %d run(s), loss %s,"
                + " seed %d)", o.peers(), Math.min(o.degree(), o.peers() - 1), o.blocks(), o.runs(),
                java.math.BigDecimal.valueOf(o.loss()).stripTrailingZeros().toPlainString(), o.seed());
    }

    /** Checks the simulation options (shared with {@code bench simulator}); a bad one is a usage error naming it. */
    static SimulationRunner.Options options(CommandSpec spec, int peers, String mode, int fanout, int k, double loss,
            long seed, int runs, int blocks, int blockBytes, int degree, long blockIntervalMillis) {
        OptionRanges.check(spec, "--peers", peers, 2, PEERS_MAX);
        OptionRanges.check(spec, "--fanout", fanout, 0, 64);
        OptionRanges.check(spec, "--k", k, 1, 100);
        OptionRanges.check(spec, "--runs", runs, 1, 1000);
        OptionRanges.check(spec, "--blocks", blocks, 1, 10_000);
        OptionRanges.check(spec, "--block-bytes", blockBytes, 1, 16 * 1024 * 1024);
        OptionRanges.check(spec, "--degree", degree, 2, 64);
        OptionRanges.check(spec, "--block-interval-ms", blockIntervalMillis, 1, 600_000);
        if (!(loss >= 0 && loss <= 0.9)) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--loss': " + loss + " is out of range; it must be between 0 and 0.9");
        }
        Mode parsedMode;
        try {
            parsedMode = Mode.fromCliName(mode);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--mode': '" + mode
                    + "'; it must be one of " + Arrays.stream(Mode.values()).map(m -> m.cliName).collect(Collectors.joining(", "))
                    + ", " + SimulationRunner.SWIM_MODE);
        }
        return new SimulationRunner.Options(peers, parsedMode, fanout, k, loss, seed, runs, blocks, blockBytes, degree,
                blockIntervalMillis);
    }

    /** {@code --mode models}: the three network models side by side on one seed ({@link ModelComparison}). */
    static final String MODELS_MODE = "models";

    private Integer callModels() {
        OptionRanges.check(spec, "--peers", peers, 100, 100_000);
        PrintWriter out = spec.commandLine().getOut();
        ModelComparison.Result result = ModelComparison.run(ModelComparison.Scenario.defaults(seed).withPeers(peers));
        out.print(result.table());
        out.flush();
        return 0;
    }

    private Integer callSwim() {
        OptionRanges.check(spec, "--peers", peers, 2, PEERS_MAX);
        OptionRanges.check(spec, "--crashes", crashes, 0, peers / 2);
        OptionRanges.check(spec, "--seconds", seconds, 1, 3_600);
        if (!(loss >= 0 && loss <= 0.9)) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--loss': " + loss + " is out of range; it must be between 0 and 0.9");
        }
        SwimSummary summary = SimulationRunner.runSwim(new SimulationRunner.SwimOptions(peers, crashes, loss, seconds, seed));
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? swimJson(summary) : swimTable(summary));
        out.flush();
        return 0;
    }

    static String swimJson(SwimSummary summary) {
        SimulationRunner.SwimOptions o = summary.options();
        SwimSimulation.Result r = summary.result();
        return new Json()
                .field("peers", o.peers())
                .field("mode", SimulationRunner.SWIM_MODE)
                .field("seed", o.seed())
                .field("loss", o.loss())
                .field("crashes", r.crashed())
                .field("undetected", r.undetected())
                .field("detection_ms_p50", r.detectionMillis().p50())
                .field("detection_ms_p99", r.detectionMillis().p99())
                .field("detection_ms_max", r.detectionMillis().max())
                .field("false_deaths", r.falseDeaths())
                .field("false_suspicions", r.falseSuspicions())
                .field("refutations", r.refutations())
                .field("messages_per_peer_per_second", r.messagesPerPeerPerSecond())
                .field("bytes_per_peer_per_second", r.bytesPerPeerPerSecond())
                .field("virtual_ms", r.virtualMillis())
                .field("events", r.events())
                .field("wall_seconds", summary.wallSeconds())
                .field("trace_hash", Long.toHexString(r.traceHash()))
                .toString();
    }

    static String swimTable(SwimSummary summary) {
        SimulationRunner.SwimOptions o = summary.options();
        SwimSimulation.Result r = summary.result();
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Hearsay simulation: swim (lan preset), %,d peers, seed %d, loss %.2f%n",
                o.peers(), o.seed(), o.loss()));
        text.append(String.format(Locale.ROOT, "  %-34s %12d (%d undetected)%n", "peers crashed", r.crashed(), r.undetected()));
        text.append(String.format(Locale.ROOT, "  %-34s %12.0f / %.0f / %.0f%n", "detected by all, ms p50 / p99 / max",
                r.detectionMillis().p50(), r.detectionMillis().p99(), r.detectionMillis().max()));
        text.append(String.format(Locale.ROOT, "  %-34s %12d%n", "false deaths", r.falseDeaths()));
        text.append(String.format(Locale.ROOT, "  %-34s %12d (%d refutations)%n", "false suspicions", r.falseSuspicions(),
                r.refutations()));
        text.append(String.format(Locale.ROOT, "  %-34s %12.1f (%,.0f bytes)%n", "messages per peer per second",
                r.messagesPerPeerPerSecond(), r.bytesPerPeerPerSecond()));
        text.append(String.format(Locale.ROOT, "  %-34s %,12d in %.2f s, %,d virtual ms%n", "events", r.events(),
                summary.wallSeconds(), r.virtualMillis()));
        text.append(String.format(Locale.ROOT, "  %-34s %12s%n", "trace hash", Long.toHexString(r.traceHash())));
        return text.toString();
    }

    static String json(Summary s) {
        SimulationRunner.Options o = s.options();
        return new Json()
                .field("peers", o.peers())
                .field("mode", o.mode().cliName)
                .field("runs", o.runs())
                .field("seed", o.seed())
                .field("fanout", o.fanout())
                .field("k", o.k())
                .field("loss", o.loss())
                .field("rounds_mean", s.roundsMean())
                .field("rounds_max", s.roundsMax())
                .field("residue_mean", s.residueMean())
                .field("messages_per_peer_mean", s.messagesPerPeerMean())
                .field("t_ave_mean", s.tAveMean())
                .field("t_last_mean", s.tLastMean())
                .field("copies_per_peer_mean", s.copiesPerPeerMean())
                .field("bytes_per_peer_mean", s.bytesPerPeerMean())
                .field("virtual_ms_to_all_p50", s.virtualMsToAllP50())
                .field("virtual_ms_to_all_p99", s.virtualMsToAllP99())
                .field("events", s.events())
                .field("events_per_second", s.eventsPerSecond())
                .field("wall_seconds", s.wallSeconds())
                .field("trace_hash", Long.toHexString(s.traceHash()))
                .toString();
    }

    static String table(Summary s) {
        SimulationRunner.Options o = s.options();
        boolean blocks = o.mode().isBlockMode();
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Hearsay simulation: %s, %,d peers, %d run(s) from seed %d, loss %.2f%n",
                o.mode().cliName, o.peers(), o.runs(), o.seed(), o.loss()));
        if (blocks) {
            text.append(String.format(Locale.ROOT, "  %d blocks of %,d payload bytes every %d ms, degree %d%n",
                    o.blocks(), o.blockBytes(), o.blockIntervalMillis(), o.degree()));
        }
        String unit = blocks ? "per block" : "per peer";
        text.append(String.format(Locale.ROOT, "  %-34s %12.2f (max %.2f)%n", "rounds to all (mean)", s.roundsMean(), s.roundsMax()));
        text.append(String.format(Locale.ROOT, "  %-34s %12.4f%n", "residue (never reached)", s.residueMean()));
        text.append(String.format(Locale.ROOT, "  %-34s %12.2f / %.2f%n", "t_ave / t_last (rounds)", s.tAveMean(), s.tLastMean()));
        text.append(String.format(Locale.ROOT, "  %-34s %12.2f%n", "messages per peer", s.messagesPerPeerMean()));
        text.append(String.format(Locale.ROOT, "  %-34s %12.2f%n", "copies received " + unit, s.copiesPerPeerMean()));
        text.append(String.format(Locale.ROOT, "  %-34s %12.0f%n", "bytes " + (blocks ? "received per peer per block" : "sent per peer"),
                s.bytesPerPeerMean()));
        text.append(String.format(Locale.ROOT, "  %-34s %12.1f / %.1f%n", "virtual ms to all p50 / p99", s.virtualMsToAllP50(), s.virtualMsToAllP99()));
        text.append(String.format(Locale.ROOT, "  %-34s %,12d in %.2f s (%,.0f events/s)%n", "events", s.events(), s.wallSeconds(),
                s.eventsPerSecond()));
        text.append(String.format(Locale.ROOT, "  %-34s %12s%n", "trace hash", Long.toHexString(s.traceHash())));
        return text.toString();
    }
}
