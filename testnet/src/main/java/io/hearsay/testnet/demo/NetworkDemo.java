package io.hearsay.testnet.demo;

import io.hearsay.gossip.block.GossipCounters;
import io.hearsay.peer.ChannelGossip;
import io.hearsay.peer.node.PeerNode;
import io.hearsay.testnet.chart.HeightRecorder;
import io.hearsay.testnet.launch.NetworkLauncher;
import io.hearsay.testnet.launch.RunningNetwork;
import io.hearsay.testnet.faults.NetworkFaultTarget;
import io.hearsay.testnet.faults.Scenario;
import io.hearsay.testnet.faults.ScenarioClock;
import io.hearsay.testnet.faults.ScenarioReport;
import io.hearsay.testnet.faults.ScenarioRunner;
import io.hearsay.testnet.load.BankLoad;
import io.hearsay.testnet.load.TransferOutcome;
import io.hearsay.testnet.sim.Percentiles;
import io.hearsay.testnet.spec.ConnectionProfile;
import io.hearsay.testnet.spec.NetworkSpec;
import io.hearsay.testnet.verify.ConsistencyVerifier;
import io.hearsay.testnet.verify.DeliverChainSource;
import io.hearsay.testnet.verify.DeliverReadOptions;
import io.hearsay.testnet.verify.LoadAudit;
import io.hearsay.testnet.verify.VerificationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
    /** @param scenario the faults and load, in time; {@link Scenario#example(String) the demo scenario} by default */
    public record Config(int accounts, long openingBalance, int workers, Scenario scenario) {
        public static final int ACCOUNTS_DEFAULT = 100;
        public static final long OPENING_BALANCE = 1_000;
        public static final int WORKERS_DEFAULT = 8;

        public static Config defaults() {
            return new Config(ACCOUNTS_DEFAULT, OPENING_BALANCE, WORKERS_DEFAULT, Scenario.example("demo"));
        }
    }

    /** The outcome, for the report and for tests. */
    public record Result(long blocks, long valid, long invalid, long failed, double transactionsPerSecond,
            double latencyP50Millis, double latencyP99Millis, String catchUps, ScenarioReport scenario,
            double redundancy, LoadAudit audit, VerificationReport verification, Path chart) {
        public boolean passed() {
            return scenario.passed() && verification.consistent() && audit.passed();
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
            config.scenario().checkNames(Set.copyOf(network.peerNames()),
                    spec.organizations().stream().map(o -> o.mspId()).collect(Collectors.toSet()));
            Path profilePath = network.layout().connectionProfile();
            ConnectionProfile profile = ConnectionProfile.read(profilePath);
            say("network up: %d peers of %d organisations and the orderer; connection profile %s",
                    network.peers().size(), spec.organizations().size(), profilePath);
            try (BankLoad load = new BankLoad(profile, channel, CALL_TIMEOUT)) {
                load.openAccounts(config.accounts(), config.openingBalance());
                long expectedTotal = config.accounts() * config.openingBalance();
                say("opened %d accounts of %d (total %d) through the Fabric Gateway SDK", config.accounts(),
                        config.openingBalance(), expectedTotal);
                NetworkFaultTarget target = new NetworkFaultTarget(network, load, config.scenario().seed(), config.workers());
                CatchUps catchUps = new CatchUps(target);
                sampler.scheduleAtFixedRate(() -> {
                    sample(network, channel, heights);
                    catchUps.check(network, channel);
                }, 0, 20, TimeUnit.MILLISECONDS);
                long loadStart = System.nanoTime();
                say("scenario %s (seed %d): %d steps", config.scenario().name(), config.scenario().seed(),
                        config.scenario().steps().size());
                ScenarioReport scenario = new ScenarioRunner(target, ScenarioClock.system(),
                        step -> say("%s", step)).run(config.scenario());
                target.load(0);
                double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
                if (!target.awaitConvergence(CONVERGENCE_TIMEOUT)) {
                    say("the ledgers did not converge within %d s", CONVERGENCE_TIMEOUT.toSeconds());
                }
                sampler.shutdown();
                long height = network.peers().get(0).ledger(channel).height();
                say("converged at height %d", height);

                VerificationReport verification = new ConsistencyVerifier()
                        .verify(DeliverChainSource.forProfile(profile, channel, DeliverReadOptions.defaults()));
                LoadAudit audit = LoadAudit.of(profile, load, expectedTotal, DeliverReadOptions.defaults());
                Path chart = directory.resolve("catch-up.svg");
                heights.chart("Ledger height of each peer during scenario " + config.scenario().name(),
                        (System.nanoTime() - startNanos) / 1_000_000).writeSvg(chart);
                return summarise(load.outcomes(), height, loadSeconds, catchUps.describe(), scenario,
                        redundancy(network, channel), audit, verification, chart);
            }
        } finally {
            sampler.shutdownNow();
        }
    }

    /** How long each restarted peer took to reach the height the others had when it restarted. */
    private static final class CatchUps {
        private final NetworkFaultTarget target;
        private final Map<NetworkFaultTarget.Restart, Double> seconds = new LinkedHashMap<>();

        CatchUps(NetworkFaultTarget target) {
            this.target = target;
        }

        synchronized void check(RunningNetwork network, String channel) {
            for (NetworkFaultTarget.Restart restart : target.restarts()) {
                if (seconds.containsKey(restart) || !network.isRunning(restart.peer())) {
                    continue;
                }
                try {
                    if (network.peer(restart.peer()).ledger(channel).height() >= restart.othersHeight()) {
                        seconds.put(restart, (System.nanoTime() - restart.atNanos()) / 1e9);
                    }
                } catch (RuntimeException e) {
                    // stopped again between the check and the read
                }
            }
        }

        synchronized String describe() {
            if (target.restarts().isEmpty()) {
                return "no peer was restarted";
            }
            List<String> parts = new ArrayList<>();
            for (NetworkFaultTarget.Restart restart : target.restarts()) {
                Double taken = seconds.get(restart);
                parts.add(restart.peer() + (taken == null ? " did not catch up"
                        : String.format(" %.2f s to height %d", taken, restart.othersHeight())));
            }
            return String.join("; ", parts);
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

    private Result summarise(List<TransferOutcome> outcomes, long height, double loadSeconds, String catchUps,
            ScenarioReport scenario, double redundancy, LoadAudit audit, VerificationReport verification, Path chart) {
        long valid = outcomes.stream().filter(TransferOutcome::committedValid).count();
        long failed = outcomes.stream().filter(o -> o.code() == null).count();
        long invalid = outcomes.size() - valid - failed;
        Percentiles latency = Percentiles.of(outcomes.stream().filter(TransferOutcome::committedValid)
                .map(o -> o.latencyNanos() / 1e6).toList());
        return new Result(height, valid, invalid, failed, valid / loadSeconds, latency.p50(), latency.p99(), catchUps,
                scenario, redundancy, audit, verification, chart);
    }

    /** Prints the report; the verdict line is last. */
    public void report(Result result) {
        out.println();
        out.println("Report");
        out.printf("  %-28s %d%n", "blocks", result.blocks());
        out.printf("  %-28s %d valid, %d invalid (MVCC conflicts), %d failed (their peer was down or cut off)%n", "transfers",
                result.valid(), result.invalid(), result.failed());
        out.printf("  %-28s %.1f valid transfers/s%n", "throughput", result.transactionsPerSecond());
        out.printf("  %-28s p50 %.0f ms, p99 %.0f ms (endorse → commit status)%n", "commit latency",
                result.latencyP50Millis(), result.latencyP99Millis());
        out.printf("  %-28s %s%n", "catch-up after restart", result.catchUps());
        out.printf("  %-28s %s%n", "scenario", result.scenario().passed() ? "every step done"
                : "stopped: " + result.scenario().failure().map(Object::toString).orElse("?"));
        out.printf("  %-28s %.2f block bodies received per block needed%n", "redundancy", result.redundancy());
        List<String> missing = result.audit().missingValid();
        out.printf("  %-28s %s on every peer (expected %d)%n", "bank total", result.audit().totals().values(),
                result.audit().expectedTotal());
        out.printf("  %-28s %s%n", "VALID txs on every ledger", missing.isEmpty() ? "yes"
                : "NO: missing " + missing.subList(0, Math.min(5, missing.size())));
        out.printf("  %-28s %s%n", "chart", result.chart());
        out.print(result.verification().toText().indent(2));
        out.printf("verdict: %s%n", result.passed() ? "CONSISTENT" : "INCONSISTENT");
        out.flush();
    }

}
