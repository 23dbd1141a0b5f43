package io.hearsay.testnet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hearsay bench}: the parent of the benchmarks, one subcommand per component measured. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Run a benchmark on this machine and print its figures.",
        subcommands = {BenchLedgerCommand.class, BenchSimulatorCommand.class, BenchWireCommand.class, BenchGatewayCommand.class,
                BenchModelsCommand.class})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing a benchmark: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
