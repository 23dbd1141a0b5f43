package io.hearsay.testnet.cli;

import io.hearsay.testnet.faults.FaultTarget;
import io.hearsay.testnet.faults.NetworkFaultTarget;
import io.hearsay.testnet.faults.ProcessFaultTarget;
import io.hearsay.testnet.faults.Scenario;
import io.hearsay.testnet.faults.ScenarioClock;
import io.hearsay.testnet.faults.ScenarioReport;
import io.hearsay.testnet.faults.ScenarioRunner;
import io.hearsay.testnet.launch.LaunchedNetwork;
import io.hearsay.testnet.launch.NetworkLauncher;
import io.hearsay.testnet.launch.ProcessLauncher;
import io.hearsay.testnet.launch.ProcessNetwork;
import io.hearsay.testnet.launch.RunningNetwork;
import io.hearsay.testnet.launch.StatusTable;
import io.hearsay.testnet.launch.UntilStopped;
import io.hearsay.testnet.load.BankLoad;
import io.hearsay.testnet.spec.ConnectionProfile;
import io.hearsay.testnet.spec.NetworkSpec;
import io.hearsay.testnet.spec.OrganizationSpec;
import io.hearsay.testnet.verify.ChainSource;
import io.hearsay.testnet.verify.ConsistencyVerifier;
import io.hearsay.testnet.verify.DeliverChainSource;
import io.hearsay.testnet.verify.DeliverReadOptions;
import io.hearsay.testnet.verify.VerificationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.Collectors;
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
 *
 * <p>{@code --scenario FILE} runs a fault scenario once the network is ready as for {@code --once}:
 * <pre>
 *   launch ─▶ ready (linked, same height, led) ─▶ open bank accounts ─▶ scenario steps, each printed as it ends
 *     ─▶ load off ─▶ converge ─▶ verify the running peers' chains through Deliver ─▶ stop; exit 0 only if every step
 *     was done and the ledgers agree
 * </pre>
 * In this JVM the faults go through {@link NetworkFaultTarget}; with {@code --processes} through
 * {@link ProcessFaultTarget}, which adds SIGKILL and sends link faults to each peer's JVM on its stdin.
 */
@Command(name = "up", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Launch a network from a spec (default: two organisations of two peers, one channel) and show"
                + " each peer's height, head, leadership and neighbours until Ctrl-C.",
            "Launching again on the same data directory resumes the network: same identities, same ledgers."})
final class UpCommand implements Callable<Integer> {
    static final long REFRESH_MILLIS = 1_000;
    static final long ONCE_POLL_MILLIS = 100;
    static final int TIMEOUT_SECONDS_MAX = 3_600;
    /** Bank accounts the scenario's load transfers between, and each one's opening balance. */
    static final int SCENARIO_ACCOUNTS = 20;
    static final long SCENARIO_OPENING_BALANCE = 1_000;
    /** Concurrent clients carrying a scenario's load steps: enough to keep blocks coming on two cores. */
    static final int SCENARIO_WORKERS = 4;
    /** Each Gateway call's deadline during a scenario; a call to a killed peer fails within it and moves on. */
    static final Duration SCENARIO_CALL_TIMEOUT = Duration.ofSeconds(10);
    /** After the last step and the load stopped: how long the running peers may take to agree before verifying. */
    static final Duration SCENARIO_CONVERGENCE_TIMEOUT = Duration.ofSeconds(60);
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

    @Option(names = "--scenario", paramLabel = "FILE",
            description = "Once the network is ready (as for --once), run this fault scenario against it with bank"
                    + " transfers as load (format: scenarios/demo.yaml), print each step as it ends, verify the running"
                    + " peers' ledgers through Deliver, then stop. Exit code 1 if a step failed or did not converge, or"
                    + " the ledgers disagree. sigkill needs --processes.")
    Path scenarioFile;

    @Override
    public Integer call() throws InterruptedException {
        OptionRanges.check(spec, "--timeout", timeoutSeconds, 1, TIMEOUT_SECONDS_MAX);
        if (!jvmOptions.isEmpty() && !processes) {
            throw new ParameterException(spec.commandLine(), "--jvm-option applies to the nodes' own JVMs; add --processes"
                    + " or leave it out");
        }
        NetworkSpec networkSpec = withDataDirectory(specFile == null ? NetworkSpec.defaults() : NetworkSpec.load(specFile));
        // A bad scenario file or a misspelt peer is reported before anything starts.
        Scenario scenario = scenarioFile == null ? null : checkedScenario(networkSpec);
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
        if (scenario != null) {
            try {
                int ready = printOnceAgreed(network, out);
                return ready != 0 ? ready : runScenario(network, networkSpec, scenario, out);
            } finally {
                network.close();
            }
        }
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

    private Scenario checkedScenario(NetworkSpec networkSpec) {
        Scenario scenario = Scenario.load(scenarioFile);
        Set<String> peers = networkSpec.peersByOrganization().values().stream().flatMap(List::stream)
                .collect(Collectors.toSet());
        scenario.checkNames(peers, networkSpec.organizations().stream().map(OrganizationSpec::mspId)
                .collect(Collectors.toSet()));
        return scenario;
    }

    /** Opens the accounts, runs the scenario, converges and verifies; returns the exit code. */
    private int runScenario(LaunchedNetwork network, NetworkSpec networkSpec, Scenario scenario, PrintWriter out)
            throws InterruptedException {
        ConnectionProfile profile = ConnectionProfile.read(network.connectionProfile());
        String channel = networkSpec.channelNames().get(0);
        try (BankLoad load = new BankLoad(profile, channel, SCENARIO_CALL_TIMEOUT)) {
            load.openAccounts(SCENARIO_ACCOUNTS, SCENARIO_OPENING_BALANCE);
            out.printf("opened %d bank accounts of %d on %s%n", SCENARIO_ACCOUNTS, SCENARIO_OPENING_BALANCE, channel);
            FaultTarget target;
            Predicate<String> running;
            if (network instanceof ProcessNetwork processNetwork) {
                target = new ProcessFaultTarget(processNetwork, profile, load, scenario.seed(), SCENARIO_WORKERS);
                running = processNetwork::isRunning;
            } else {
                RunningNetwork inProcess = (RunningNetwork) network;
                target = new NetworkFaultTarget(inProcess, load, scenario.seed(), SCENARIO_WORKERS);
                running = inProcess::isRunning;
            }
            out.printf("scenario %s (seed %d): %d steps%n", scenario.name(), scenario.seed(), scenario.steps().size());
            out.flush();
            ScenarioReport report = new ScenarioRunner(target, ScenarioClock.system(), step -> {
                out.println(step);
                out.flush();
            }).run(scenario);
            target.load(0);
            if (!target.awaitConvergence(SCENARIO_CONVERGENCE_TIMEOUT)) {
                out.printf("the running peers did not converge within %d s%n", SCENARIO_CONVERGENCE_TIMEOUT.toSeconds());
            }
            // The steps were printed as they ended; the summary is the verdict line and what was skipped.
            out.println(report.describe().lines().findFirst().orElseThrow());
            int skipped = scenario.steps().size() - report.results().size();
            if (skipped > 0) {
                out.println(skipped + " later step(s) not run");
            }
            boolean consistent = verifyRunning(profile, running, out);
            boolean passed = report.passed() && consistent;
            out.printf("verdict: %s%n", passed ? "CONSISTENT" : report.passed() ? "INCONSISTENT" : "SCENARIO FAILED");
            out.flush();
            return passed ? 0 : FailureReporter.FAILURE_EXIT_CODE;
        }
    }

    /** Verifies every running peer's chain on every channel through Deliver; a peer left stopped is named, not read. */
    private static boolean verifyRunning(ConnectionProfile profile, Predicate<String> running, PrintWriter out) {
        Set<String> stopped = new HashSet<>();
        boolean consistent = true;
        for (String channel : profile.channels()) {
            List<ChainSource> sources = new ArrayList<>();
            for (ChainSource source : DeliverChainSource.forProfile(profile, channel, DeliverReadOptions.defaults())) {
                if (running.test(source.peer())) {
                    sources.add(source);
                } else {
                    stopped.add(source.peer());
                }
            }
            if (sources.isEmpty()) {
                out.println("channel " + channel + ": no peer is running, nothing to verify");
                consistent = false;
                continue;
            }
            VerificationReport verification = new ConsistencyVerifier().verify(sources);
            out.println("channel " + channel + ":");
            out.print(verification.toText().indent(2));
            consistent &= verification.consistent();
        }
        if (!stopped.isEmpty()) {
            out.println("not verified (stopped at the end of the scenario): " + stopped.stream().sorted().toList());
        }
        return consistent;
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
