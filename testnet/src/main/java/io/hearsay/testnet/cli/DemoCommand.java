package io.hearsay.testnet.cli;

import io.hearsay.testnet.demo.LedgerDemo;
import io.hearsay.testnet.faults.ChaosScenario;
import io.hearsay.testnet.faults.Scenario;
import io.hearsay.testnet.spec.NetworkSpec;
import java.time.Duration;
import io.hearsay.testnet.demo.NetworkDemo;
import io.hearsay.testnet.support.WorkDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hearsay demo}: the network demo ({@link NetworkDemo}); {@code --ledger} runs the ledger demo ({@link LedgerDemo}). */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Start a two-organisation network (2 x 2 peers and an orderer, mutual TLS, RocksDB), submit bank transfers"
                    + " through the official Fabric Gateway SDK, kill a peer and restart it while the load goes on,"
                    + " let it catch up, then verify that every ledger agrees and the total balance never changed.",
            "With --ledger: commit blocks of transfers to one RocksDB ledger, reopen it and check the total."
        })
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--ledger", description = "Run the ledger demo (one RocksDB ledger, no network) instead.")
    boolean ledgerOnly;

    @Option(names = "--workers", paramLabel = "W", defaultValue = "" + NetworkDemo.Config.WORKERS_DEFAULT,
            description = "Network demo: clients submitting transfers concurrently, 1 to 64. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--scenario", paramLabel = "FILE",
            description = "Network demo: the faults and load to run, a scenario file (see scenarios/demo.yaml)."
                    + " Default: the built-in demo scenario.")
    Path scenarioFile;

    @Option(names = "--chaos-seed", paramLabel = "SEED",
            description = "Network demo: instead of a scenario file, 20 s of random faults (kills, restarts, partitions,"
                    + " loss, latency) generated from SEED; the same seed replays the same faults.")
    Long chaosSeed;

    @Option(names = "--blocks", paramLabel = "N", defaultValue = "" + LedgerDemo.Config.BLOCKS_DEFAULT,
            description = "Ledger demo: blocks of transfers to commit after the genesis block, 1 to "
                    + LedgerDemo.Config.BLOCKS_MAX + ". Default: ${DEFAULT-VALUE}.")
    int blocks;

    @Option(names = "--transfers-per-block", paramLabel = "M",
            defaultValue = "" + LedgerDemo.Config.TRANSFERS_PER_BLOCK_DEFAULT,
            description = "Ledger demo: transfers per block, 1 to " + LedgerDemo.Config.TRANSFERS_PER_BLOCK_MAX
                    + ". Default: ${DEFAULT-VALUE}.")
    int transfersPerBlock;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "" + LedgerDemo.Config.SEED_DEFAULT,
            description = "Chooses accounts, amounts and the stale transfers. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the crypto material and the ledger in DIR, which must be new or empty."
                    + " Default: a temporary directory, deleted when the demo ends.")
    Path dataDirectory;

    @Override
    public Integer call() throws Exception {
        OptionRanges.check(spec, "--workers", workers, 1, 64);
        OptionRanges.check(spec, "--blocks", blocks, 1, LedgerDemo.Config.BLOCKS_MAX);
        OptionRanges.check(spec, "--transfers-per-block", transfersPerBlock, 1, LedgerDemo.Config.TRANSFERS_PER_BLOCK_MAX);
        if (dataDirectory != null && !WorkDirectory.isAbsentOrEmpty(dataDirectory)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--data-dir': " + dataDirectory
                    + " exists and is not an empty directory; the demo creates a new network each run, so give a new"
                    + " or empty directory");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (WorkDirectory directory = dataDirectory == null
                ? WorkDirectory.temporary("hearsay-demo-") : WorkDirectory.kept(dataDirectory)) {
            String where = directory.path() + (directory.isTemporary() ? " (temporary, deleted at exit; --data-dir DIR keeps it)" : "");
            if (ledgerOnly) {
                out.println("Hearsay ledger demo: " + blocks + " blocks of " + transfersPerBlock + " bank transfers on RocksDB");
                out.printf("  %-16s %s%n", "data directory", where);
                new LedgerDemo(new LedgerDemo.Config(blocks, transfersPerBlock, seed), out).run(directory.path());
                out.flush();
                return 0;
            }
            out.println("Hearsay network demo: 2 organisations x 2 peers and an orderer; bank transfers through the"
                    + " Fabric Gateway SDK");
            out.printf("  %-16s %s%n", "data directory", where);
            if (chaosSeed != null && scenarioFile != null) {
                throw new ParameterException(spec.commandLine(), "--chaos-seed and --scenario each choose the faults; give one");
            }
            Scenario scenario = chaosSeed != null
                    ? ChaosScenario.generate(chaosSeed, NetworkSpec.defaults().peersByOrganization(), Duration.ofSeconds(20), 25)
                    : scenarioFile == null ? Scenario.example("demo") : Scenario.load(scenarioFile);
            NetworkDemo demo = new NetworkDemo(new NetworkDemo.Config(NetworkDemo.Config.ACCOUNTS_DEFAULT,
                    NetworkDemo.Config.OPENING_BALANCE, workers, scenario), out);
            NetworkDemo.Result result = demo.run(directory.path());
            demo.report(result);
            if (directory.isTemporary()) {
                out.println("(the chart and the network's files go with the temporary directory; --data-dir DIR keeps them)");
                out.flush();
            }
            return result.passed() ? 0 : 1;
        }
    }
}
