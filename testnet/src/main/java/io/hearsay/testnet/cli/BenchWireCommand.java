package io.hearsay.testnet.cli;

import io.hearsay.testnet.bench.WireBenchmark;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hearsay bench wire}: gossip on a real loopback network ({@link WireBenchmark}). */
@Command(name = "wire",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Measure block gossip on a real loopback network of RocksDB peers in this JVM (gRPC, mutual TLS, signed"
                    + " messages, full validation): time until all peers have a block and bytes received per peer per"
                    + " block for the hearsay preset, the fabric preset and direct send; catch-up of an empty peer from"
                    + " three neighbours against the raw local import; resident memory of the largest network.",
            "Progress goes to stderr; the results table to stdout. A full run takes about 15 minutes."
        })
final class BenchWireCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--peers", split = ",", paramLabel = "N", defaultValue = "10,50,100",
            description = "Network sizes, even, 4 to 200. Default: ${DEFAULT-VALUE}.")
    List<Integer> peers;

    @Option(names = "--modes", split = ",", paramLabel = "MODE", defaultValue = "direct,hearsay,fabric",
            description = "Dissemination modes to run, of direct, hearsay, fabric. Default: ${DEFAULT-VALUE}.")
    List<String> modes;

    @Option(names = "--block-bytes", split = ",", paramLabel = "B", defaultValue = "1024,102400,1048576",
            description = "Target block sizes in bytes, 1 to 16777216. Default: ${DEFAULT-VALUE}.")
    List<Integer> blockBytes;

    @Option(names = "--blocks", paramLabel = "K", defaultValue = "20",
            description = "Blocks per series (hearsay and direct), 1 to 10000. Default: ${DEFAULT-VALUE}.")
    int blocks;

    @Option(names = "--fabric-blocks", paramLabel = "K", defaultValue = "5",
            description = "Blocks per series for the fabric preset (seconds each), 1 to 1000. Default: ${DEFAULT-VALUE}.")
    int fabricBlocks;

    @Option(names = "--degree", paramLabel = "D", defaultValue = "8",
            description = "Neighbours per peer in the gossip modes, 2 to 64. Default: ${DEFAULT-VALUE}.")
    int degree;

    @Option(names = "--catch-up-blocks", paramLabel = "N", defaultValue = "10000",
            description = "Blocks the empty peer syncs, 1 to 1000000. Default: ${DEFAULT-VALUE}.")
    int catchUpBlocks;

    @Option(names = "--catch-up-txs", paramLabel = "M", defaultValue = "100",
            description = "Transactions per catch-up block, 1 to 10000. Default: ${DEFAULT-VALUE}.")
    int catchUpTransactions;

    @Option(names = "--skip-dissemination", description = "Run only the catch-up part.")
    boolean skipDissemination;

    @Option(names = "--skip-catch-up", description = "Run only the dissemination and memory part.")
    boolean skipCatchUp;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Create the networks' temporary directories under DIR; deleted at the end. Default: java.io.tmpdir.")
    Path workParent;

    @Override
    public Integer call() throws Exception {
        for (int n : peers) {
            OptionRanges.check(spec, "--peers", n, 4, 200);
            if (n % 2 != 0) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--peers must be even (two organisations of equal size), got " + n);
            }
        }
        for (String mode : modes) {
            if (!WireBenchmark.Config.MODES.contains(mode)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--modes takes direct, hearsay and fabric, not '" + mode + "'");
            }
        }
        for (int b : blockBytes) {
            OptionRanges.check(spec, "--block-bytes", b, 1, 16 << 20);
        }
        OptionRanges.check(spec, "--blocks", blocks, 1, 10_000);
        OptionRanges.check(spec, "--fabric-blocks", fabricBlocks, 1, 1_000);
        OptionRanges.check(spec, "--degree", degree, 2, 64);
        OptionRanges.check(spec, "--catch-up-blocks", catchUpBlocks, 1, 1_000_000);
        OptionRanges.check(spec, "--catch-up-txs", catchUpTransactions, 1, 10_000);
        WireBenchmark.Config config = new WireBenchmark.Config(peers, modes, blockBytes, blocks, fabricBlocks, degree, catchUpBlocks,
                catchUpTransactions, !skipDissemination, !skipCatchUp, workParent);
        WireBenchmark.Result result = new WireBenchmark(config, spec.commandLine().getErr()).run();
        PrintWriter out = spec.commandLine().getOut();
        if (!result.dissemination().isEmpty()) {
            out.println("dissemination (time-to-all in ms; received = bytes per peer per block / block size)");
            out.printf(Locale.ROOT, "%-8s %6s %9s %9s %9s %9s%n", "mode", "peers", "block B", "p50 ms", "p99 ms", "received");
            for (WireBenchmark.Dissemination d : result.dissemination()) {
                out.printf(Locale.ROOT, "%-8s %6d %9d %9.1f %9.1f %9.2f%n", d.mode(), d.peers(), d.blockBytes(),
                        d.timeToAllMillis().p50(), d.timeToAllMillis().p99(), d.receivedPerPeerPerBlock());
            }
            out.printf(Locale.ROOT, "resident memory with %d peers running: %.0f MiB (%.1f MiB per peer)%n",
                    result.largestNetwork(), result.residentBytesLargest() / 1048576.0,
                    result.residentBytesLargest() / 1048576.0 / Math.max(1, result.largestNetwork()));
        }
        if (!result.catchUp().isEmpty()) {
            out.println("catch-up of an empty peer from 3 neighbours");
            double raw = result.catchUp().get(0).seconds();
            out.printf(Locale.ROOT, "%-12s %8s %10s %8s %9s%n", "path", "seconds", "blocks/s", "MB/s", "vs raw");
            for (WireBenchmark.CatchUp c : result.catchUp()) {
                out.printf(Locale.ROOT, "%-12s %8.1f %10.0f %8.1f %9.2f%n", c.mode(), c.seconds(), c.blocksPerSecond(),
                        c.megabytesPerSecond(), raw / c.seconds());
            }
        }
        out.flush();
        return 0;
    }
}
