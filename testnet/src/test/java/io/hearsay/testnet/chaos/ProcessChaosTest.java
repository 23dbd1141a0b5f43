package io.hearsay.testnet.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearsay.testnet.faults.ChaosScenario;
import io.hearsay.testnet.faults.FaultAction;
import io.hearsay.testnet.faults.ProcessFaultTarget;
import io.hearsay.testnet.faults.Scenario;
import io.hearsay.testnet.faults.ScenarioClock;
import io.hearsay.testnet.faults.ScenarioReport;
import io.hearsay.testnet.faults.ScenarioRunner;
import io.hearsay.testnet.faults.ScenarioStep;
import io.hearsay.testnet.faults.StepResult;
import io.hearsay.testnet.launch.ProcessLauncher;
import io.hearsay.testnet.launch.ProcessNetwork;
import io.hearsay.testnet.launch.TestNetworks;
import io.hearsay.testnet.load.BankLoad;
import io.hearsay.testnet.load.TransferOutcome;
import io.hearsay.testnet.spec.ConnectionProfile;
import io.hearsay.testnet.spec.NetworkSpec;
import io.hearsay.testnet.verify.ConsistencyVerifier;
import io.hearsay.testnet.verify.DeliverChainSource;
import io.hearsay.testnet.verify.DeliverReadOptions;
import io.hearsay.testnet.verify.LoadAudit;
import io.hearsay.testnet.verify.VerificationReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's chaos test with real crashes: the default network (2 organisations × 2 peers and the orderer) as five
 * JVMs takes bank transfers through the Fabric Gateway SDK while a seeded {@link ChaosScenario} SIGKILLs and kills
 * peers and restarts them, partitions organisations, and adds loss and latency, for 20 s. Then everything is healed
 * and restarted, the load stops, and the ledgers must converge; after that the chains read through Deliver must agree,
 * every transfer the client saw committed VALID must be VALID on every peer, and every peer's bank total must be the
 * opened one. The seed is printed and in every assertion message; replay with {@code -Dchaos.seed=N}. A failed run
 * keeps its network directory, whose {@code <node>/node.log} files tell what each JVM did.
 */
class ProcessChaosTest {
    /** The seed run by default; {@link ChaosScenarioStopsTest} checks that its scenario SIGKILLs. */
    static final long DEFAULT_SEED = 20261124L;
    private static final long SEED = Long.getLong("chaos.seed", DEFAULT_SEED);
    private static final String CHANNEL = NetworkSpec.DEFAULT_CHANNEL;
    private static final Duration FAULTS = Duration.ofSeconds(20);
    /** Low enough for five JVMs on two cores to commit it through the faults, high enough to keep every peer busy. */
    private static final double TRANSACTIONS_PER_SECOND = 20;
    private static final int WORKERS = 4;
    private static final int ACCOUNTS = 20;
    private static final long BALANCE = 1_000;
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void theLedgersAgreeAfterSigkillsPartitionsAndLossUnderLoad(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path directory)
            throws Exception {
        NetworkSpec spec = NetworkSpec.defaults().withDataDirectory(directory.resolve("net"));
        Scenario scenario = scenario(SEED, spec);
        List<ScenarioStep> sigkills = sigkills(scenario);
        System.out.println("chaos SEED=" + SEED + " (replay: -Dchaos.seed=" + SEED + "): " + sigkills.size()
                + " sigkills; the nodes' logs are under " + spec.dataDirectory());
        // Without a sigkill this would be ChaosTest again in five JVMs, passing without ever crashing a process.
        assertThat(sigkills).as("SEED=%d draws no sigkill in %s; choose a seed that does", SEED, FAULTS).isNotEmpty();
        String context = "SEED=" + SEED + " (node logs under " + spec.dataDirectory() + ")";
        ProcessNetwork network = ProcessLauncher.launch(spec, TestNetworks.QUICK_JAVA);
        try {
            await().atMost(SETTLE).until(() -> {
                assertThat(network.problems()).as(context).isEmpty();
                return network.linked();
            });
            ConnectionProfile profile = ConnectionProfile.read(network.connectionProfile());
            try (BankLoad load = new BankLoad(profile, CHANNEL, CALL_TIMEOUT)) {
                load.openAccounts(ACCOUNTS, BALANCE);
                ProcessFaultTarget target = new ProcessFaultTarget(network, profile, load, SEED, WORKERS);

                ScenarioReport report = new ScenarioRunner(target, ScenarioClock.system(),
                        step -> System.out.println("  " + step)).run(scenario);
                List<TransferOutcome> outcomes = load.outcomes();
                System.out.printf("chaos SEED=%d: %d of %d transfers committed VALID; the others:%n%s", SEED,
                        outcomes.stream().filter(TransferOutcome::committedValid).count(), outcomes.size(), notValid(outcomes));

                assertThat(report.passed()).as("%s: the scenario, ending healed and converged%n%s", context,
                        report.describe()).isTrue();
                assertThat(report.results()).as("%s: the sigkills were carried out", context)
                        .filteredOn(result -> result.step().action() instanceof FaultAction.Sigkill)
                        .hasSameSizeAs(sigkills).allMatch(result -> result.outcome() == StepResult.Outcome.DONE);
                assertThat(network.problems()).as("%s: no JVM died that the scenario did not kill", context).isEmpty();
                assertThat(network.peerNames()).as("%s: every peer runs again", context).allMatch(network::isRunning);
                VerificationReport verification = new ConsistencyVerifier()
                        .verify(DeliverChainSource.forProfile(profile, CHANNEL, DeliverReadOptions.defaults()));
                assertThat(verification.consistent()).as("%s%n%s", context, verification.toText()).isTrue();
                LoadAudit audit = LoadAudit.of(profile, load, ACCOUNTS * BALANCE, DeliverReadOptions.defaults());
                assertThat(audit.clientValid()).as("%s: transfers committed through the faults", context).isPositive();
                assertThat(audit.missingValid()).as("%s: VALID transfers missing from a peer's chain", context).isEmpty();
                assertThat(audit.totalsUnchanged()).as("%s: every peer's bank total is the opened %d: %s", context,
                        ACCOUNTS * BALANCE, audit.totals()).isTrue();
            }
        } finally {
            network.close();
        }
    }

    /** The scenario a run of {@code seed} injects into the network of {@code spec}. */
    static Scenario scenario(long seed, NetworkSpec spec) {
        return ChaosScenario.generate(seed, spec.peersByOrganization(), FAULTS, TRANSACTIONS_PER_SECOND,
                ChaosScenario.Stops.KILL_OR_SIGKILL);
    }

    static List<ScenarioStep> sigkills(Scenario scenario) {
        return scenario.steps().stream().filter(step -> step.action() instanceof FaultAction.Sigkill).toList();
    }

    /** How the transfers that did not commit VALID ended, by peer and reason, one line each: why the load suffered. */
    private static String notValid(List<TransferOutcome> outcomes) {
        Map<String, Long> counts = outcomes.stream().filter(outcome -> !outcome.committedValid())
                .collect(Collectors.groupingBy(ProcessChaosTest::reason, TreeMap::new, Collectors.counting()));
        StringBuilder text = new StringBuilder();
        counts.forEach((reason, count) -> text.append(String.format("  %5d  %s%n", count, reason)));
        return text.toString();
    }

    private static String reason(TransferOutcome outcome) {
        String reason = outcome.failure() == null ? String.valueOf(outcome.code())
                : outcome.failure().replaceAll("[0-9a-f]{64}", "<tx id>"); // so that one reason is one line
        return outcome.peer() + ": " + (reason.length() > 240 ? reason.substring(0, 240) + "…" : reason);
    }
}
