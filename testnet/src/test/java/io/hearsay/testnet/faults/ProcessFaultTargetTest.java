package io.hearsay.testnet.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hearsay.peer.transport.LinkFaults.Rule;
import io.hearsay.testnet.launch.TestNetworks;
import io.hearsay.testnet.launch.ProcessLauncher;
import io.hearsay.testnet.launch.ProcessNetwork;
import io.hearsay.testnet.load.BankLoad;
import io.hearsay.testnet.spec.ConnectionProfile;
import io.hearsay.testnet.spec.NetworkSpec;
import io.hearsay.testnet.verify.ConsistencyVerifier;
import io.hearsay.testnet.verify.DeliverChainSource;
import io.hearsay.testnet.verify.DeliverReadOptions;
import io.hearsay.testnet.verify.LoadAudit;
import io.hearsay.testnet.verify.PeerStatus;
import io.hearsay.testnet.verify.VerificationReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's "SIGKILL a peer process mid-commit": the default network as five JVMs takes bank transfers through the
 * Fabric Gateway SDK; a peer's JVM is SIGKILLed the moment its {@code /status} shows a new block (under load the next
 * commit is then under way), the load goes on without it, it is restarted on its data and port, the load stops. Then
 * the ledgers must converge and agree through Deliver, every transfer the client saw committed VALID must be VALID on
 * every peer's chain, and the bank total must be unchanged on every peer. Then link faults across processes: each
 * peer's JVM applies and acknowledges the rules a step gives it before the step returns. Replay with
 * {@code -Dfaults.seed=N}.
 */
class ProcessFaultTargetTest {
    private static final long SEED = Long.getLong("faults.seed", 20261124L);
    private static final String CHANNEL = NetworkSpec.DEFAULT_CHANNEL;
    private static final String VICTIM = "peer1.org2.example.com";
    private static final int ACCOUNTS = 20;
    private static final long BALANCE = 1_000;
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void aPeerSigkilledMidCommitRecoversAndTheLedgersAgree(@TempDir Path directory) throws Exception {
        System.out.println("process faults SEED=" + SEED + " (replay: -Dfaults.seed=" + SEED + ")");
        ProcessNetwork network = ProcessLauncher.launch(NetworkSpec.defaults().withDataDirectory(directory.resolve("net")),
                TestNetworks.QUICK_JAVA);
        try {
            await().atMost(SETTLE).until(() -> {
                assertThat(network.problems()).isEmpty();
                return network.linked();
            });
            ConnectionProfile profile = ConnectionProfile.read(network.connectionProfile());
            try (BankLoad load = new BankLoad(profile, CHANNEL, CALL_TIMEOUT)) {
                load.openAccounts(ACCOUNTS, BALANCE);
                ProcessFaultTarget target = new ProcessFaultTarget(network, profile, load, SEED, 4);
                target.load(40);

                long before = heightOf(target, VICTIM);
                await().atMost(SETTLE).pollInterval(Duration.ofMillis(5)).until(() -> heightOf(target, VICTIM) > before + 2);
                // It has just committed a block; with transfers still arriving, the next is being committed now.
                long committed = heightOf(target, VICTIM);
                int exitCode = network.sigkill(VICTIM);

                assertThat(exitCode).as("SEED=%d: the exit code of a SIGKILLed JVM (128 + 9)", SEED).isEqualTo(137);
                assertThat(network.isRunning(VICTIM)).isFalse();
                assertThat(network.problems()).as("a peer killed on purpose is not a problem").isEmpty();
                assertThatThrownBy(() -> network.sigkill(VICTIM)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("not running");
                long othersAtKill = heightOf(target, "peer0.org1.example.com");
                await().atMost(SETTLE).until(() -> heightOf(target, "peer0.org1.example.com") > othersAtKill + 3);

                target.restart(VICTIM);
                assertThatThrownBy(() -> network.restart(VICTIM)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("is running");
                long recovered = await().atMost(SETTLE).until(() -> heightOf(target, VICTIM), h -> h >= 0);
                assertThat(recovered).as("SEED=%d: every block its /status reported before SIGKILL survives it", SEED)
                        .isGreaterThanOrEqualTo(committed);
                await().atMost(SETTLE).until(() -> heightOf(target, VICTIM) > othersAtKill + 3);
                target.load(0);

                assertThat(target.awaitConvergence(SETTLE)).as("SEED=%d: converged", SEED).isTrue();
                VerificationReport report = new ConsistencyVerifier()
                        .verify(DeliverChainSource.forProfile(profile, CHANNEL, DeliverReadOptions.defaults()));
                assertThat(report.consistent()).as("SEED=%d%n%s", SEED, report.toText()).isTrue();

                LoadAudit audit = LoadAudit.of(profile, load, ACCOUNTS * BALANCE, DeliverReadOptions.defaults());
                assertThat(audit.clientValid()).as("SEED=%d: transfers committed around the kill", SEED).isGreaterThan(10);
                assertThat(audit.missingValid()).as("SEED=%d: VALID transfers missing from a peer's chain", SEED).isEmpty();
                assertThat(audit.totalsUnchanged()).as("SEED=%d: bank totals %s", SEED, audit.totals()).isTrue();
            }
        } finally {
            network.close();
        }
        assertThat(Files.readString(network.processes().stream().filter(n -> n.name().equals(VICTIM)).findFirst()
                .orElseThrow().log())).as("the restarted JVM appended to the same log")
                .containsPattern("(?s)listening on.*listening on");
    }

    /**
     * Link faults across processes, on two single-peer organisations and the orderer as three JVMs: each step returns
     * once both peers' JVMs acknowledge the rules {@link NetworkFaults} gave them, so the rules shown are in force; a
     * partition of one organisation makes both peers drop gossip frames (their {@code /metrics} counters rise) and a
     * heal stops it and the ledgers converge; loss and latency reach the one peer's links they name; and a peer
     * restarted during a partition comes back into it.
     */
    @Test
    void linkFaultsReachEveryPeerProcessAndHold(@TempDir Path directory) throws Exception {
        System.out.println("process link faults SEED=" + SEED + " (replay: -Dfaults.seed=" + SEED + ")");
        ProcessNetwork network = ProcessLauncher.launch(TestNetworks.twoSinglePeerOrganizations(directory.resolve("net")),
                TestNetworks.QUICK_JAVA);
        String org1 = "peer0.org1.example.com";
        String org2 = "peer0.org2.example.com";
        try {
            await().atMost(SETTLE).until(() -> {
                assertThat(network.problems()).isEmpty();
                return network.linked();
            });
            ConnectionProfile profile = ConnectionProfile.read(network.connectionProfile());
            ProcessFaultTarget target = new ProcessFaultTarget(network, profile, null, SEED, 1);

            long started = System.nanoTime();
            target.partition(List.of(Set.of("Org1MSP")));
            System.out.printf("partition applied and acknowledged by both peers in %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            assertThat(applied(network, org1, org2)).as("SEED=%d", SEED).isEqualTo(new Rule(0, 0, 0, true, false))
                    .isEqualTo(target.faults().rule(org1, org2));
            assertThat(applied(network, org2, org1).blocked()).as("both ends cut the link").isTrue();
            double dropped = faultDropped(profile, org1) + faultDropped(profile, org2);
            await().atMost(SETTLE).until(() -> faultDropped(profile, org1) + faultDropped(profile, org2) > dropped);

            target.loss(LinkSelector.of(org2), 0.3);
            target.latency(LinkSelector.of(org1), Duration.ofMillis(20), Duration.ofMillis(5));
            assertThat(applied(network, org1, org2)).isEqualTo(new Rule(0.3, 20, 5, true, false));
            assertThat(applied(network, org2, org1)).isEqualTo(target.faults().rule(org2, org1));

            target.kill(org2);
            target.restart(org2);
            target.clog(org1); // waits for the restarted JVM too
            assertThat(applied(network, org2, org1)).as("the restarted peer is back in the partition")
                    .isEqualTo(new Rule(0.3, 20, 5, true, true));

            target.heal();
            assertThat(network.control(org1).applied().orElseThrow().peers()).isEmpty();
            assertThat(network.control(org2).applied().orElseThrow().peers()).isEmpty();
            assertThat(target.awaitConvergence(SETTLE)).as("SEED=%d: converged after the heal", SEED).isTrue();
            double healed = faultDropped(profile, org1);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> faultDropped(profile, org1) == healed);

            // The same steps from a scenario file, as 'hearsay up --processes --scenario' runs them.
            Scenario scenario = Scenario.parse("processes", """
                    seed: %d
                    steps:
                      - {at: 0s,    partition: [[Org2MSP]]}
                      - {at: 0s,    latency: {link: "*", delay: 5ms, jitter: 5ms}}
                      - {at: 500ms, loss: {link: [Org1MSP, Org2MSP], rate: 0.2}}
                      - {at: 500ms, clog: %s}
                      - {at: 1s,    heal: true}
                      - {at: 1s,    converge: {timeout: 30s}}
                    """.formatted(SEED, org2));
            ScenarioReport report = new ScenarioRunner(target, ScenarioClock.system()).run(scenario);
            assertThat(report.passed()).as("SEED=%d%n%s", SEED, report.describe()).isTrue();
            assertThat(network.control(org2).applied().orElseThrow().peers()).as("healed at the end").isEmpty();
        } finally {
            network.close();
        }
    }

    /** The rule peer {@code from}'s JVM acknowledged for its link to {@code to}. */
    private static Rule applied(ProcessNetwork network, String from, String to) {
        return network.control(from).applied().orElseThrow().peers().getOrDefault(network.pkiId(to), Rule.NONE);
    }

    /** The gossip frames peer {@code name} dropped for link faults, from its {@code /metrics}. */
    private static double faultDropped(ConnectionProfile profile, String name) throws Exception {
        String url = profile.peers().stream().filter(p -> p.peer().name().equals(name)).findFirst().orElseThrow()
                .peer().operations().orElseThrow();
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher counter = Pattern.compile("(?m)^gossip_comm_fault_dropped_total\\S* (\\S+)$").matcher(metrics);
        assertThat(counter.find()).as("a fault_dropped counter in %s/metrics", url).isTrue();
        return Double.parseDouble(counter.group(1));
    }

    /** The peer's height on the channel by its {@code /status}, or -1 while it does not answer. */
    private static long heightOf(ProcessFaultTarget target, String peer) {
        return target.status(peer, CHANNEL).map(PeerStatus::height).orElse(-1L);
    }
}
