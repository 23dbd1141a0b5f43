package io.hearsay.testnet.cli;

import io.hearsay.testnet.demo.LedgerDemo;
import io.hearsay.testnet.support.WorkDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hearsay demo}: for now the ledger demo ({@link LedgerDemo}); later the full network demo. */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Commit blocks of bank transfers to a RocksDB ledger of a two-organisation channel, reopen it from disk,"
                    + " and check that the total balance never changed.",
            "Some transfers are stale on purpose, so the output shows MVCC conflicts."
        })
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--blocks", paramLabel = "N", defaultValue = "" + LedgerDemo.Config.BLOCKS_DEFAULT,
            description = "Blocks of transfers to commit after the genesis block, 1 to "
                    + LedgerDemo.Config.BLOCKS_MAX + ". Default: ${DEFAULT-VALUE}.")
    int blocks;

    @Option(names = "--transfers-per-block", paramLabel = "M",
            defaultValue = "" + LedgerDemo.Config.TRANSFERS_PER_BLOCK_DEFAULT,
            description = "Transfers per block, 1 to " + LedgerDemo.Config.TRANSFERS_PER_BLOCK_MAX
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
            out.println("Hearsay ledger demo: " + blocks + " blocks of " + transfersPerBlock + " bank transfers on RocksDB");
            out.printf("  %-16s %s%n", "data directory", directory.path()
                    + (directory.isTemporary() ? " (temporary, deleted at exit; --data-dir DIR keeps it)" : ""));
            new LedgerDemo(new LedgerDemo.Config(blocks, transfersPerBlock, seed), out).run(directory.path());
        }
        out.flush();
        return 0;
    }
}
