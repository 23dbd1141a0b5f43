package io.hearsay.testnet.demo;

import io.hearsay.gossip.block.GossipCounters;
import io.hearsay.peer.ChannelGossip;
import io.hearsay.peer.node.PeerNode;
import io.hearsay.testnet.chart.HeightRecorder;
import io.hearsay.testnet.launch.NetworkLauncher;
import io.hearsay.testnet.launch.RunningNetwork;
import io.hearsay.testnet.load.BankLoad;
import io.hearsay.testnet.load.TransferOutcome;
import io.hearsay.testnet.sim.Percentiles;
import io.hearsay.testnet.spec.ConnectionProfile;
import io.hearsay.testnet.spec.NetworkSpec;
import io.hearsay.testnet.verify.ConsistencyVerifier;
import io.hearsay.testnet.verify.DeliverChainSource;
import io.hearsay.testnet.verify.DeliverReadOptions;
import io.hearsay.testnet.verify.VerificationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The main job, end to end on embedded defaults: a two-organisation network (2 × 2 peers and the solo orderer, every
 * link mutual TLS, every ledger RocksDB) takes bank transfers through the official Fabric Gateway SDK; a peer is
 * killed while the load goes on, restarted, and catches up from its neighbours by itself; then the load stops, the
 * ledgers converge, and the consistency verifier reads every peer's chain through Deliver.
 *
 * <pre>
 *   launch ─▶ open accounts ─▶ load ─▶ kill one peer ─▶ load ─▶ restart it ─▶ it catches up ─▶ stop load
 *     ─▶ converge ─▶ verify (fork, hash chains, state hashes, bank total) + every VALID tx on every peer ─▶ report
 * </pre>
 */
public final class NetworkDemo {
    /** What to run; the defaults finish in well under two minutes on two cores. */
    public record Config(int accounts, long openingBalance, int workers, Duration phase, long seed) {
        public static final int ACCOUNTS_DEFAULT = 20;
        public static final long OPENING_BALANCE = 1_000;
        public static final int WORKERS_DEFAULT = 8;
        public static final Duration PHASE_DEFAULT = Duration.ofSeconds(8);

        public static Config defaults() {
            return new Config(ACCOUNTS_DEFAULT, OPENING_BALANCE, WORKERS_DEFAULT, PHASE_DEFAULT, 1);
        }
    }

    /** The outcome, for the report and for tests. */
    public record Result(long blocks, long valid, long invalid, long failed, double transactionsPerSecond,
            double latencyP50Millis, double latencyP99Millis, String killedPeer, double catchUpSeconds,
            double redundancy, long expectedTotal, List<Long> totals, List<String> missingValid,
            VerificationReport verification, Path chart) {
        public boolean passed() {
            return verification.consistent() && missingValid.isEmpty() && totals.stream().allMatch(t -> t == expectedTotal);
        }
    }

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CONVERGENCE_TIMEOUT = Duration.ofSeconds(60);

    private final Config config;
    private final PrintWriter out;
    private final long startNanos = System.nanoTime();

    public NetworkDemo(Config config, PrintWriter out) {
        this.config = config;
        this.out = out;
    }

    private void say(String format, Object... args) {
        out.printf("  [%5.1fs] %s%n", (System.nanoTime() - startNanos) / 1e9, String.format(format, args));
        out.flush();
    }

    public Result run(Path directory) throws Exception {
        NetworkSpec spec = NetworkSpec.defaults().withDataDirectory(directory);
        String channel = spec.channelNames().get(0);
        HeightRecorder heights = new HeightRecorder();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "demo-heights");
            thread.setDaemon(true);
            return thread;
        });
        try (RunningNetwork network = NetworkLauncher.launch(spec)) {
            Path profilePath = network.layout().connectionProfile();
            ConnectionProfile profile = ConnectionProfile.read(profilePath);
            say("network up: %d peers of %d organisations and the orderer; connection profile %s",
                    network.peers().size(), spec.organizations().size(), profilePath);
            sampler.scheduleAtFixedRate(() -> sample(network, channel, heights), 0, 100, TimeUnit.MILLISECONDS);

            try (BankLoad load = new BankLoad(profile, channel, CALL_TIMEOUT)) {
                load.openAccounts(config.accounts(), config.openingBalance());
                long expectedTotal = config.accounts() * config.openingBalance();
                say("opened %d accounts of %d (total %d) through the Fabric Gateway SDK", config.accounts(),
                        config.openingBalance(), expectedTotal);
                long loadStart = System.nanoTime();
                load.start(config.workers(), config.seed());
                say("load: %d clients submitting transfers to every peer", config.workers());
                sleep(config.phase());

                String killed = network.peerNames().get(network.peerNames().size() - 1);
                long killedAt = network.peer(killed).ledger(channel).height();
                network.stop(killed);
                say("killed %s at height %d; the load goes on", killed, killedAt);
                sleep(config.phase());

                PeerNode restarted = network.restart(killed);
                long restartNanos = System.nanoTime();
                long target = highest(network, channel);
                say("restarted %s at height %d; the others are at %d", killed, restarted.ledger(channel).height(), target);
                awaitTrue(() -> restarted.ledger(channel).height() >= target, CONVERGENCE_TIMEOUT);
                double catchUp = (System.nanoTime() - restartNanos) / 1e9;
                say("%s caught up to height %d in %.2f s, from its neighbours", killed, target, catchUp);
                sleep(config.phase().dividedBy(2));

                load.stop();
                double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
                say("load stopped; waiting for every ledger to converge");
                awaitTrue(() -> sameHeight(network, channel), CONVERGENCE_TIMEOUT);
                sampler.shutdown();
                long height = network.peers().get(0).ledger(channel).height();
                say("converged at height %d", height);

                VerificationReport verification = new ConsistencyVerifier()
                        .verify(DeliverChainSource.forProfile(profile, channel, DeliverReadOptions.defaults()));
                List<TransferOutcome> outcomes = load.outcomes();
                List<String> missing = missingValid(network, channel, outcomes);
                List<Long> totals = new ArrayList<>();
                for (int i = 0; i < network.peers().size(); i++) {
                    totals.add(load.total(i));
                }
                Path chart = directory.resolve("catch-up.svg");
                heights.chart("Ledger height of each peer (" + killed + " killed, then restarted)",
                        (System.nanoTime() - startNanos) / 1_000_000).writeSvg(chart);
                return summarise(outcomes, height, loadSeconds, killed, catchUp, redundancy(network, channel),
                        expectedTotal, totals, missing, verification, chart);
            }
        } finally {
            sampler.shutdownNow();
        }
    }

    private void sample(RunningNetwork network, String channel, HeightRecorder heights) {
        long now = (System.nanoTime() - startNanos) / 1_000_000;
        for (PeerNode peer : network.peers()) {
            try {
                heights.record(peer.name(), now, peer.ledger(channel).height());
            } catch (RuntimeException e) {
                // A peer stopping between listing and reading: its line simply pauses.
            }
        }
    }

    private static long highest(RunningNetwork network, String channel) {
        return network.peers().stream().mapToLong(p -> p.ledger(channel).height()).max().orElse(0);
    }

    private static boolean sameHeight(RunningNetwork network, String channel) {
        return network.peers().stream().mapToLong(p -> p.ledger(channel).height()).distinct().count() == 1;
    }

    /** Transactions the client saw committed VALID that some peer's ledger does not hold: must be none. */
    private static List<String> missingValid(RunningNetwork network, String channel, List<TransferOutcome> outcomes) {
        List<String> missing = new ArrayList<>();
        for (TransferOutcome outcome : outcomes) {
            if (!outcome.committedValid()) {
                continue;
            }
            for (PeerNode peer : network.peers()) {
                if (peer.ledger(channel).transaction(outcome.transactionId()).isEmpty()) {
                    missing.add(outcome.transactionId() + " on " + peer.name());
                }
            }
        }
        return missing;
    }

    /** Block bodies received per body needed: 1.0 means every peer received each block exactly once. */
    private static double redundancy(RunningNetwork network, String channel) {
        long received = 0;
        long duplicates = 0;
        for (PeerNode peer : network.peers()) {
            ChannelGossip gossip = peer.gossip().channel(channel).orElseThrow();
            received += gossip.counters().get(GossipCounters.Counter.BODIES_RECEIVED);
            duplicates += gossip.counters().get(GossipCounters.Counter.DUPLICATE_BODIES);
        }
        long useful = received - duplicates;
        return useful == 0 ? 1.0 : (double) received / useful;
    }

    private Result summarise(List<TransferOutcome> outcomes, long height, double loadSeconds, String killed, double catchUp,
            double redundancy, long expectedTotal, List<Long> totals, List<String> missing, VerificationReport verification,
            Path chart) {
        long valid = outcomes.stream().filter(TransferOutcome::committedValid).count();
        long failed = outcomes.stream().filter(o -> o.code() == null).count();
        long invalid = outcomes.size() - valid - failed;
        Percentiles latency = Percentiles.of(outcomes.stream().filter(TransferOutcome::committedValid)
                .map(o -> o.latencyNanos() / 1e6).toList());
        return new Result(height, valid, invalid, failed, valid / loadSeconds, latency.p50(), latency.p99(), killed,
                catchUp, redundancy, expectedTotal, totals, missing, verification, chart);
    }

    /** Prints the report; the verdict line is last. */
    public void report(Result result) {
        out.println();
        out.println("Report");
        out.printf("  %-28s %d%n", "blocks", result.blocks());
        out.printf("  %-28s %d valid, %d invalid (MVCC conflicts), %d failed while a peer was down%n", "transfers",
                result.valid(), result.invalid(), result.failed());
        out.printf("  %-28s %.1f valid transfers/s%n", "throughput", result.transactionsPerSecond());
        out.printf("  %-28s p50 %.0f ms, p99 %.0f ms (endorse → commit status)%n", "commit latency",
                result.latencyP50Millis(), result.latencyP99Millis());
        out.printf("  %-28s %.2f s (%s)%n", "killed peer's catch-up", result.catchUpSeconds(), result.killedPeer());
        out.printf("  %-28s %.2f block bodies received per block needed%n", "redundancy", result.redundancy());
        out.printf("  %-28s %s on every peer (expected %d)%n", "bank total", result.totals(), result.expectedTotal());
        out.printf("  %-28s %s%n", "VALID txs on every ledger", result.missingValid().isEmpty() ? "yes"
                : "NO: missing " + result.missingValid().subList(0, Math.min(5, result.missingValid().size())));
        out.printf("  %-28s %s%n", "chart", result.chart());
        out.print(result.verification().toText().indent(2));
        out.printf("verdict: %s%n", result.passed() ? "CONSISTENT" : "INCONSISTENT");
        out.flush();
    }

    private static void sleep(Duration duration) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(duration.toMillis());
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached within " + timeout.toSeconds() + " s");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
