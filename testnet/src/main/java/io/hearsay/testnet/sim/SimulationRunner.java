package io.hearsay.testnet.sim;

import io.hearsay.gossip.block.BlockGossipConfig;
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

    /** The aggregate over runs; field names follow the JSON the command prints. */
    public record Summary(Options options, double roundsMean, double roundsMax, double residueMean,
            double messagesPerPeerMean, double tAveMean, double tLastMean, double copiesPerPeerMean,
            double bytesPerPeerMean, double virtualMsToAllP50, double virtualMsToAllP99, long events,
            double wallSeconds, long traceHash) {
        public double eventsPerSecond() {
            return wallSeconds > 0 ? events / wallSeconds : Double.NaN;
        }
    }

    private SimulationRunner() {}

    public static Summary run(Options options) {
        long started = System.nanoTime();
        Summary summary = options.mode().isBlockMode() ? runBlocks(options) : runItems(options);
        return new Summary(options, summary.roundsMean(), summary.roundsMax(), summary.residueMean(),
                summary.messagesPerPeerMean(), summary.tAveMean(), summary.tLastMean(), summary.copiesPerPeerMean(),
                summary.bytesPerPeerMean(), summary.virtualMsToAllP50(), summary.virtualMsToAllP99(), summary.events(),
                (System.nanoTime() - started) / 1e9, summary.traceHash());
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
        long trace;

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
                    copies / r, bytes / r, toAllP50, toAllP99, events, 0, trace);
        }
    }

    private static Summary runItems(Options options) {
        ItemSimulation.Mode mode = ItemSimulation.Mode.valueOf(options.mode().name());
        int fanout = options.fanout() == 0 ? 1 : options.fanout();
        Totals totals = new Totals();
        List<Double> toAll = new ArrayList<>();
        for (int run = 0; run < options.runs(); run++) {
            ItemSimulation.Result result = new ItemSimulation(new ItemSimulation.Scenario(options.peers(), mode, fanout,
                    options.k(), options.loss(), options.seed() + run)).run();
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

    private static Summary runBlocks(Options options) {
        BlockGossipConfig config = options.mode() == Mode.FABRIC ? BlockGossipConfig.fabric()
                : options.peers() > 5_000 ? BlockGossipConfig.simulation() : BlockGossipConfig.lan();
        if (options.fanout() > 0) {
            config = config.withPushFanout(options.fanout());
        }
        double interval = config.heartbeatIntervalMillis();
        Totals totals = new Totals();
        List<Double> toAll = new ArrayList<>();
        for (int run = 0; run < options.runs(); run++) {
            BlockSimulation simulation = new BlockSimulation(new BlockSimulation.Scenario(options.peers(),
                    Math.min(options.degree(), options.peers() - 1), config, LinkModel.lan().withLoss(options.loss()),
                    options.blockBytes(), options.blocks(), options.blockIntervalMillis(), options.seed() + run));
            long limitMillis = options.blockIntervalMillis() * options.blocks() + 120_000;
            BlockSimulation.Result result = simulation.run(limitMillis);
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
