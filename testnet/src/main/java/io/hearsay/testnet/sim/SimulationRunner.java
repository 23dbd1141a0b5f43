package io.hearsay.testnet.sim;

import io.hearsay.discovery.swim.SwimConfig;
import io.hearsay.gossip.block.BlockGossipConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs {@code runs} seeded simulations of one mode and aggregates them into the figures
 * {@code hearsay simulate} reports. Item modes are Demers' synchronous rounds; block modes ({@code fabric},
 * {@code hearsay}) run block gossip in virtual time, where a "round" is the preset's heartbeat interval.
 */
public final class SimulationRunner {
    /** Modes, by their command-line names. */
    public enum Mode {
        PUSH("push"), PULL("pull"), PUSH_PULL("push-pull"), RUMOR_FEEDBACK_COUNTER("rumor-feedback-counter"),
        RUMOR_BLIND_COIN("rumor-blind-coin"), FABRIC("fabric"), HEARSAY("hearsay");

        public final String cliName;

        Mode(String cliName) {
            this.cliName = cliName;
        }

        public boolean isBlockMode() {
            return this == FABRIC || this == HEARSAY;
        }

        public static Mode fromCliName(String name) {
            for (Mode mode : values()) {
                if (mode.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("unknown mode '" + name + "'");
        }
    }

    /** What to run; {@code fanout} 0 means the mode's default (1 partner per round; the preset's push fanout). */
    public record Options(int peers, Mode mode, int fanout, int k, double loss, long seed, int runs, int blocks,
            int blockBytes, int degree, long blockIntervalMillis) {}

    /**
     * The aggregate over runs; field names follow the JSON the command prints. {@code wallSeconds} is the
     * whole call; {@code setupSeconds} (building peers, graph and network) and {@code runSeconds} (the event
     * loop) are its parts summed over runs, so event rates can be given with and without setup;
     * {@code runCpuSeconds} is the CPU time the simulating thread spent in the runs (GC threads not counted),
     * steadier than wall time on a shared machine.
     */
    public record Summary(Options options, double roundsMean, double roundsMax, double residueMean,
            double messagesPerPeerMean, double tAveMean, double tLastMean, double copiesPerPeerMean,
            double bytesPerPeerMean, double virtualMsToAllP50, double virtualMsToAllP99, long events,
            double wallSeconds, double setupSeconds, double runSeconds, double runCpuSeconds, long traceHash) {
        /** Events per wall second of the whole call, setup included. */
        public double eventsPerSecond() {
            return wallSeconds > 0 ? events / wallSeconds : Double.NaN;
        }

        /** Events per wall second of the event loop alone: the simulator's speed. */
        public double runEventsPerSecond() {
            return runSeconds > 0 ? events / runSeconds : Double.NaN;
        }
    }

    /**
     * Told after each run while its simulation is still reachable, so the simulator benchmark can measure the
     * heap a live simulation holds. Wall-clock figures only; nothing here feeds back into a run.
     */
    @FunctionalInterface
    public interface RunObserver {
        RunObserver NONE = (run, setupNanos, runNanos, events) -> { };

        void afterRun(int run, long setupNanos, long runNanos, long events);

        /**
         * Told after {@link #afterRun} in block modes, with the run's simulation, so a caller can read when each
         * peer committed each block (e.g. {@link BlockSimulation#commitDelaysMillis}) to draw coverage over time.
         */
        default void afterBlockRun(int run, BlockSimulation simulation) {}
    }

    /** Wall and thread CPU time of one run's setup and event loop. */
    private static final class Stopwatch {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        long setupStart;
        long runStart;
        long runEnd;
        long runCpuStart;
        long runCpuEnd;

        void setupStarts() {
            setupStart = System.nanoTime();
        }

        void runStarts() {
            runStart = System.nanoTime();
            runCpuStart = cpuNanos();
        }

        void runEnds() {
            runCpuEnd = cpuNanos();
            runEnd = System.nanoTime();
        }

        private static long cpuNanos() {
            return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
        }
    }

    private SimulationRunner() {}

    /** The {@code swim} mode's name on the command line; not a {@link Mode}, as it measures failure detection. */
    public static final String SWIM_MODE = "swim";

    /**
     * What {@code simulate --mode swim} runs: {@code peers} SWIM members on LAN links (the {@code lan()} preset),
     * 2 s of warm-up, then {@code crashes} random peers crashed 250 ms apart, then {@code seconds} more.
     */
    public record SwimOptions(int peers, int crashes, double loss, long seconds, long seed) {}

    /** A SWIM run's figures and the wall-clock seconds it took. */
    public record SwimSummary(SwimOptions options, SwimSimulation.Result result, double wallSeconds) {}

    /** Anchors in a SWIM run: the peers a restarted peer rejoins through (never crashed by the run). */
    private static final int SWIM_ANCHORS = 4;
    private static final long SWIM_WARM_UP_MILLIS = 2_000;
    private static final long SWIM_CRASH_SPACING_MILLIS = 250;

    public static SwimSummary runSwim(SwimOptions options) {
        long started = System.nanoTime();
        SwimSimulation simulation = new SwimSimulation(new SwimSimulation.Scenario(options.peers(),
                Math.min(SWIM_ANCHORS, options.peers()), SwimConfig.lan(), LinkModel.lan().withLoss(options.loss()),
                options.seed()));
        simulation.advance(SWIM_WARM_UP_MILLIS);
        simulation.crashRandom(options.crashes(), SWIM_CRASH_SPACING_MILLIS);
        simulation.advance(options.seconds() * 1000);
        return new SwimSummary(options, simulation.result(), (System.nanoTime() - started) / 1e9);
    }

    public static Summary run(Options options) {
        return run(options, RunObserver.NONE);
    }

    public static Summary run(Options options, RunObserver observer) {
        long started = System.nanoTime();
        Summary summary = options.mode().isBlockMode() ? runBlocks(options, observer) : runItems(options, observer);
        return new Summary(options, summary.roundsMean(), summary.roundsMax(), summary.residueMean(),
                summary.messagesPerPeerMean(), summary.tAveMean(), summary.tLastMean(), summary.copiesPerPeerMean(),
                summary.bytesPerPeerMean(), summary.virtualMsToAllP50(), summary.virtualMsToAllP99(), summary.events(),
                (System.nanoTime() - started) / 1e9, summary.setupSeconds(), summary.runSeconds(), summary.runCpuSeconds(),
                summary.traceHash());
    }

    /** Sums of one run's figures over runs; the summary divides by the number of runs. */
    private static final class Totals {
        double rounds;
        double roundsMax;
        double residue;
        double messages;
        double tAve;
        double tLast;
        double copies;
        double bytes;
        long events;
        long setupNanos;
        long runNanos;
        long runCpuNanos;
        long trace;

        void time(Stopwatch stopwatch) {
            setupNanos += stopwatch.runStart - stopwatch.setupStart;
            runNanos += stopwatch.runEnd - stopwatch.runStart;
            runCpuNanos += stopwatch.runCpuEnd - stopwatch.runCpuStart;
        }

        void add(double runRounds, double runRoundsMax, double runResidue, double runMessages, double runTAve,
                double runTLast, double runCopies, double runBytes, long runEvents, long runTrace) {
            rounds += runRounds;
            roundsMax = Math.max(roundsMax, runRoundsMax);
            residue += runResidue;
            messages += runMessages;
            tAve += runTAve;
            tLast += runTLast;
            copies += runCopies;
            bytes += runBytes;
            events += runEvents;
            trace = trace * 31 + runTrace;
        }

        Summary summary(Options options, double toAllP50, double toAllP99) {
            int r = options.runs();
            return new Summary(options, rounds / r, roundsMax, residue / r, messages / r, tAve / r, tLast / r,
                    copies / r, bytes / r, toAllP50, toAllP99, events, 0, setupNanos / 1e9, runNanos / 1e9, runCpuNanos / 1e9,
                    trace);
        }
    }

    private static Summary runItems(Options options, RunObserver observer) {
        ItemSimulation.Mode mode = ItemSimulation.Mode.valueOf(options.mode().name());
        int fanout = options.fanout() == 0 ? 1 : options.fanout();
        Totals totals = new Totals();
        List<Double> toAll = new ArrayList<>();
        for (int run = 0; run < options.runs(); run++) {
            ItemSimulation simulation = new ItemSimulation(new ItemSimulation.Scenario(options.peers(), mode, fanout,
                    options.k(), options.loss(), options.seed() + run));
            Stopwatch stopwatch = new Stopwatch();
            stopwatch.setupStarts();
            simulation.setUp();
            stopwatch.runStarts();
            ItemSimulation.Result result = simulation.run();
            stopwatch.runEnds();
            totals.time(stopwatch);
            observer.afterRun(run, stopwatch.runStart - stopwatch.setupStart, stopwatch.runEnd - stopwatch.runStart,
                    result.events());
            Reference.reachabilityFence(simulation);
            totals.add(result.rounds(), result.rounds(), result.residue(), result.messagesPerPeer(), result.tAve(),
                    result.tLast(), result.copiesPerPeer(), result.bytesPerPeer(), result.events(), result.traceHash());
            if (result.virtualMillisToAll() >= 0) {
                toAll.add((double) result.virtualMillisToAll());
            }
        }
        int r = options.runs();
        Percentiles percentiles = Percentiles.of(toAll);
        // A run that never reached everyone has no time-to-all: it counts as infinitely slow in the percentiles.
        double p50 = toAll.size() * 2 >= r ? percentiles.p50() : Double.NaN;
        double p99 = toAll.size() == r ? percentiles.p99() : Double.NaN;
        return totals.summary(options, p50, p99);
    }

    /** Above this many peers the hearsay mode runs the {@code simulation()} preset, at or below it {@code lan()}. */
    private static final int SIMULATION_PRESET_ABOVE_PEERS = 5_000;

    /** The name of the block gossip preset a block mode runs with these options, e.g. "lan()"; null for item modes. */
    public static String blockPresetName(Options options) {
        if (!options.mode().isBlockMode()) {
            return null;
        }
        return options.mode() == Mode.FABRIC ? "fabric()"
                : options.peers() > SIMULATION_PRESET_ABOVE_PEERS ? "simulation()" : "lan()";
    }

    private static Summary runBlocks(Options options, RunObserver observer) {
        BlockGossipConfig config = options.mode() == Mode.FABRIC ? BlockGossipConfig.fabric()
                : options.peers() > SIMULATION_PRESET_ABOVE_PEERS ? BlockGossipConfig.simulation() : BlockGossipConfig.lan();
        if (options.fanout() > 0) {
            config = config.withPushFanout(options.fanout());
        }
        double interval = config.heartbeatIntervalMillis();
        Totals totals = new Totals();
        List<Double> toAll = new ArrayList<>();
        for (int run = 0; run < options.runs(); run++) {
            Stopwatch stopwatch = new Stopwatch();
            stopwatch.setupStarts();
            BlockSimulation simulation = new BlockSimulation(new BlockSimulation.Scenario(options.peers(),
                    Math.min(options.degree(), options.peers() - 1), config, LinkModel.lan().withLoss(options.loss()),
                    options.blockBytes(), options.blocks(), options.blockIntervalMillis(), options.seed() + run));
            long limitMillis = options.blockIntervalMillis() * options.blocks() + 120_000;
            stopwatch.runStarts();
            BlockSimulation.Result result = simulation.run(limitMillis);
            stopwatch.runEnds();
            totals.time(stopwatch);
            observer.afterRun(run, stopwatch.runStart - stopwatch.setupStart, stopwatch.runEnd - stopwatch.runStart,
                    result.events());
            observer.afterBlockRun(run, simulation);
            Reference.reachabilityFence(simulation);
            toAll.addAll(result.timeToAllMillisByBlock());
            totals.add(result.timeToAllMillis().mean() / interval, result.timeToAllMillis().max() / interval,
                    result.residue(), result.messagesPerPeer(), result.perPeerLatencyMillis().mean() / interval,
                    result.timeToAllMillis().mean() / interval, result.copiesPerPeerPerBlock(),
                    result.bytesPerPeerPerBlockRatio() * result.blockBytes(), result.events(), result.traceHash());
        }
        Percentiles percentiles = Percentiles.of(toAll);
        return totals.summary(options, percentiles.p50(), percentiles.p99());
    }
}
