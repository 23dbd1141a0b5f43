package io.hearsay.testnet.bench;

import io.hearsay.testnet.launch.NetworkLauncher;
import io.hearsay.testnet.launch.RunningNetwork;
import io.hearsay.testnet.load.BankLoad;
import io.hearsay.testnet.load.TransferOutcome;
import io.hearsay.testnet.sim.Percentiles;
import io.hearsay.testnet.spec.ConnectionProfile;
import io.hearsay.testnet.spec.NetworkSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sustained load through the Fabric Gateway on the default two-organisation network (2 × 2 peers, the solo orderer,
 * every peer's RocksDB ledger, mutual TLS everywhere), driven by the official SDK: closed-loop clients each submit a
 * bank transfer (endorsed by both organisations), wait for its commit status, and submit the next. One series per
 * client count on the same network; a warm-up series runs first and is not reported.
 *
 * <p>Throughput counts transfers committed VALID per second of the series; latency runs from the start of endorsement
 * to the commit status (what an application waits for in {@code submitTransaction}).
 */
public final class GatewayBenchmark {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GatewayBenchmark.class);

    /** @param accounts bank accounts the transfers pick from (more accounts, fewer MVCC conflicts) */
    public record Options(List<Integer> clients, Duration seriesDuration, Duration warmUp, int accounts, Path workDirectory) {}

    public record Series(int clients, long valid, long invalid, long failed, double validPerSecond,
            double latencyP50Millis, double latencyP99Millis, long blocks) {}

    private GatewayBenchmark() {}

    public static List<Series> run(Options options, PrintWriter progress) throws Exception {
        NetworkSpec spec = NetworkSpec.defaults().withDataDirectory(options.workDirectory());
        String channel = spec.channelNames().get(0);
        List<Series> results = new ArrayList<>();
        try (RunningNetwork network = NetworkLauncher.launch(spec)) {
            ConnectionProfile profile = ConnectionProfile.read(network.layout().connectionProfile());
            try (BankLoad opener = new BankLoad(profile, channel, Duration.ofSeconds(30))) {
                opener.openAccounts(options.accounts(), 1_000_000);
            }
            progress.printf("opened %d accounts%n", options.accounts());
            series(network, profile, channel, Math.max(1, options.clients().get(0)), options.warmUp(), options.accounts(), 0);
            progress.println("warmed up");
            for (int clients : options.clients()) {
                Series series = series(network, profile, channel, clients, options.seriesDuration(), options.accounts(),
                        clients);
                progress.printf("%d clients: %.1f valid tx/s, p50 %.0f ms, p99 %.0f ms%n", clients, series.validPerSecond(),
                        series.latencyP50Millis(), series.latencyP99Millis());
                results.add(series);
            }
        }
        return results;
    }

    private static Series series(RunningNetwork network, ConnectionProfile profile, String channel, int clients,
            Duration duration, int accounts, long seed) throws Exception {
        long heightBefore = network.peers().get(0).ledger(channel).height();
        try (BankLoad load = new BankLoad(profile, channel, Duration.ofSeconds(30))) {
            load.useOpenedAccounts(accounts);
            long start = System.nanoTime();
            load.start(clients, seed);
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
            load.stop();
            double seconds = (System.nanoTime() - start) / 1e9;
            List<TransferOutcome> outcomes = load.outcomes();
            long valid = outcomes.stream().filter(TransferOutcome::committedValid).count();
            long failed = outcomes.stream().filter(o -> o.code() == null).count();
            Percentiles latency = Percentiles.of(outcomes.stream().filter(TransferOutcome::committedValid)
                    .map(o -> o.latencyNanos() / 1e6).toList());
            long blocks = network.peers().get(0).ledger(channel).height() - heightBefore;
            outcomes.stream().filter(o -> o.failure() != null).map(TransferOutcome::failure).findFirst()
                    .ifPresent(reason -> LOG.warn("{} clients: {} transfers failed, the first: {}", clients, failed, reason));
            return new Series(clients, valid, outcomes.size() - valid - failed, failed, valid / seconds, latency.p50(),
                    latency.p99(), blocks);
        }
    }

    /** The results as a Markdown table, for BENCHMARKS.md. */
    public static String table(List<Series> results) {
        StringBuilder out = new StringBuilder();
        out.append("| clients | valid tx/s | commit latency p50 | p99 | valid | MVCC conflicts | failed | blocks |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Series s : results) {
            out.append(String.format("| %d | %.1f | %.0f ms | %.0f ms | %d | %d | %d | %d |%n", s.clients(),
                    s.validPerSecond(), s.latencyP50Millis(), s.latencyP99Millis(), s.valid(), s.invalid(), s.failed(),
                    s.blocks()));
        }
        return out.toString();
    }
}
