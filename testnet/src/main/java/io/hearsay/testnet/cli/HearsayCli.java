package io.hearsay.testnet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code hearsay}, the one command of {@code hearsay.jar}; everything it does is a subcommand.
 *
 * <p>Exit codes, the same for every subcommand: 0 success; 2 a usage error (unknown option, bad value),
 * reported by picocli with the usage message; 1 any other failure, reported as one line
 * {@code error: <message>} on stderr, with the stack trace only under {@code --verbose}.
 */
@Command(name = "hearsay",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Gossip ledger synchronisation for Hyperledger-Fabric-style peers.",
        subcommands = {DemoCommand.class, UpCommand.class, PeerCommand.class, OrdererCommand.class, VerifyCommand.class,
            SimulateCommand.class, BenchCommand.class, HelpCommand.class})
public final class HearsayCli implements Callable<Integer> {

    /** The option {@link FailureReporter} looks for; inherited, so it may follow any subcommand. */
    static final String VERBOSE_OPTION = "--verbose";

    @Spec
    CommandSpec spec;

    @Option(names = VERBOSE_OPTION, scope = ScopeType.INHERIT,
            description = "On failure, print the stack trace as well as the one-line error.")
    boolean verbose;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing a command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** The configured command line; tests call {@link CommandLine#execute} on it in-process. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new HearsayCli());
        commandLine.setExecutionExceptionHandler(new FailureReporter());
        return commandLine;
    }

    /** Runs a command; the simulator's may run in a child JVM with flags that speed it up ({@link TunedJvm}). */
    public static void main(String[] args) {
        System.exit(TunedJvm.runInChildIfUseful(args).orElseGet(() -> commandLine().execute(args)));
    }
}
