package io.hearsay.testnet.cli;

import io.hearsay.testnet.launch.LaunchedNetwork;
import io.hearsay.testnet.launch.NetworkLauncher;
import io.hearsay.testnet.launch.ProcessLauncher;
import io.hearsay.testnet.launch.StatusTable;
import io.hearsay.testnet.launch.UntilStopped;
import io.hearsay.testnet.spec.NetworkSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hearsay up [SPEC]}: launches the network a spec describes in this process (see {@link NetworkLauncher}),
 * prints where its connection profile is, then a status table refreshed every second until Ctrl-C. Stopping keeps
 * the data, so {@code up} again resumes the same network. {@code --once} prints one table when every peer has the
 * same height and every link is up, and exits: for scripts and tests. {@code --processes} runs each node in a JVM of
 * its own ({@link ProcessLauncher}) instead of all in this one.
 */
@Command(name = "up", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Launch a network from a spec (default: two organisations of two peers, one channel) and show"
                + " each peer's height, head, leadership and neighbours until Ctrl-C.",
            "Launching again on the same data directory resumes the network: same identities, same ledgers."})
final class UpCommand implements Callable<Integer> {
    static final long REFRESH_MILLIS = 1_000;
    static final long ONCE_POLL_MILLIS = 100;
    static final int TIMEOUT_SECONDS_MAX = 3_600;
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SPEC", arity = "0..1",
            description = "The network spec (YAML). Default: the built-in two-organisation network.")
    Path specFile;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where crypto material, ledgers and connection.json go, instead of the spec's dataDirectory.")
    Path dataDirectory;

    @Option(names = "--once", description = "Print one status table once every peer has the same height and all"
            + " links are up, then stop the network and exit.")
    boolean once;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "With --once: how long to wait for the peers to agree, 1 to " + TIMEOUT_SECONDS_MAX
                    + ". Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Option(names = "--processes", description = "Run each node in its own JVM ('hearsay peer/orderer --config' on the"
            + " files 'up' writes; each node's output in <node folder>/" + ProcessLauncher.LOG_FILE + "), instead of all"
            + " in this one.")
    boolean processes;

    @Option(names = "--jvm-option", paramLabel = "OPTION",
            description = "With --processes: an option for each node's JVM, e.g. --jvm-option=-Xmx512m. Repeatable.")
    List<String> jvmOptions = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        OptionRanges.check(spec, "--timeout", timeoutSeconds, 1, TIMEOUT_SECONDS_MAX);
        if (!jvmOptions.isEmpty() && !processes) {
            throw new ParameterException(spec.commandLine(), "--jvm-option applies to the nodes' own JVMs; add --processes"
                    + " or leave it out");
        }
        NetworkSpec networkSpec = withDataDirectory(specFile == null ? NetworkSpec.defaults() : NetworkSpec.load(specFile));
        PrintWriter out = spec.commandLine().getOut();
        LaunchedNetwork network = processes
                ? ProcessLauncher.launch(networkSpec,
                        ProcessLauncher.JavaCommand.current().withJvmOptions(jvmOptions.toArray(String[]::new)))
                : NetworkLauncher.launch(networkSpec);
        out.println("network " + networkSpec.name() + (network.material().created() ? " created" : " resumed") + " in "
                + network.layout().root());
        out.println("connection profile: " + network.connectionProfile());
        network.warnings().forEach(w -> out.println("warning: " + w));
        out.flush();
        if (once) {
            try {
                return printOnceAgreed(network, out);
            } finally {
                network.close();
            }
        }
        showUntilStopped(network, out);
        return 0;
    }

    private int printOnceAgreed(LaunchedNetwork network, PrintWriter out) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        boolean agreed = network.linked() && network.sameHeight() && network.led();
        while (!agreed && network.problems().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(ONCE_POLL_MILLIS); // a foreground command waiting for a condition, not a node thread
            agreed = network.linked() && network.sameHeight() && network.led();
        }
        out.print(StatusTable.render(network.status()));
        out.flush();
        if (!network.problems().isEmpty()) {
            network.problems().forEach(p -> spec.commandLine().getErr().println("error: " + p));
            spec.commandLine().getErr().flush();
            return FailureReporter.FAILURE_EXIT_CODE;
        }
        if (!agreed) {
            spec.commandLine().getErr().println("error: within " + timeoutSeconds + " s the peers did not all link up"
                    + " and reach the same height (table above); see the log, or give a longer --timeout");
            spec.commandLine().getErr().flush();
            return FailureReporter.FAILURE_EXIT_CODE;
        }
        return 0;
    }

    /**
     * Prints the table (and any node that exited) every second until Ctrl-C. On a terminal the screen is redrawn;
     * otherwise (a log file) it is printed only when it changed, so an idle network does not fill the log.
     */
    private void showUntilStopped(LaunchedNetwork network, PrintWriter out) throws InterruptedException {
        UntilStopped stopped = UntilStopped.closingOnShutdown(network);
        boolean terminal = System.console() != null;
        String previous = "";
        do {
            String screen;
            try {
                StringBuilder text = new StringBuilder(StatusTable.render(network.status()));
                network.problems().forEach(p -> text.append("warning: ").append(p).append('\n'));
                screen = text.toString();
            } catch (RuntimeException e) {
                break; // the shutdown hook closed the network between two refreshes
            }
            if (terminal) {
                out.print(CLEAR_SCREEN + "connection profile: " + network.connectionProfile() + "   (Ctrl-C stops)\n\n"
                        + screen);
            } else if (!screen.equals(previous)) {
                out.print("\n" + screen);
            }
            previous = screen;
            out.flush();
        } while (!stopped.awaitMillis(REFRESH_MILLIS));
        stopped.await();
    }

    private NetworkSpec withDataDirectory(NetworkSpec s) {
        if (dataDirectory == null) {
            return s;
        }
        return new NetworkSpec(s.name(), s.model(), s.protocol(), s.organizations(), s.orderer(), s.channels(), s.ports(),
                dataDirectory);
    }
}
