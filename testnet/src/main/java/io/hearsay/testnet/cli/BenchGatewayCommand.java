package io.hearsay.testnet.cli;

import io.hearsay.testnet.bench.GatewayBenchmark;
import io.hearsay.testnet.support.WorkDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hearsay bench gateway}: sustained transfers through the Fabric Gateway ({@link GatewayBenchmark}). */
@Command(name = "gateway",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Measure sustained bank transfers through the Fabric Gateway SDK on the default two-organisation network"
                    + " in this JVM: valid transactions per second and commit latency (endorse to commit status) p50 and"
                    + " p99, one series per number of closed-loop clients.",
            "Progress goes to stderr; the results table to stdout."
        })
final class BenchGatewayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--clients", split = ",", paramLabel = "N", defaultValue = "1,8,32",
            description = "Closed-loop clients per series, 1 to 512. Default: ${DEFAULT-VALUE}.")
    List<Integer> clients;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "20",
            description = "Seconds per series, 1 to 3600. Default: ${DEFAULT-VALUE}.")
    int seconds;

    @Option(names = "--accounts", paramLabel = "A", defaultValue = "1000",
            description = "Bank accounts the transfers pick from, 2 to 100000. Default: ${DEFAULT-VALUE}.")
    int accounts;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Keep the network in DIR (new or empty). Default: a temporary directory, deleted at exit.")
    Path workDirectory;

    @Override
    public Integer call() throws Exception {
        for (int n : clients) {
            OptionRanges.check(spec, "--clients", n, 1, 512);
        }
        OptionRanges.check(spec, "--seconds", seconds, 1, 3600);
        OptionRanges.check(spec, "--accounts", accounts, 2, 100_000);
        PrintWriter progress = spec.commandLine().getErr();
        try (WorkDirectory directory = workDirectory == null
                ? WorkDirectory.temporary("hearsay-bench-gateway-") : WorkDirectory.kept(workDirectory)) {
            List<GatewayBenchmark.Series> results = GatewayBenchmark.run(new GatewayBenchmark.Options(clients,
                    Duration.ofSeconds(seconds), Duration.ofSeconds(Math.min(5, seconds)), accounts, directory.path()),
                    progress);
            PrintWriter out = spec.commandLine().getOut();
            out.print(GatewayBenchmark.table(results));
            out.flush();
        }
        return 0;
    }
}
