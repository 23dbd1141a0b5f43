package io.hearsay.testnet.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearsay.identity.PkiId;
import io.hearsay.peer.transport.LinkFaults.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each node's stdin as its control channel, on one network of two single-peer organisations and the orderer, each
 * in its own JVM: a malformed control line is logged by the peer and ignored, and the next good one is applied and
 * acknowledged; {@code hearsay peer} without {@code --control} leaves stdin alone, so closing it changes nothing;
 * with it, a peer or orderer whose stdin closes — what the kernel does when its launcher dies, even by SIGKILL —
 * stops cleanly by itself within a bound. The tests run in order on the one network; the last stops its nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class ProcessControlTest {
    private static final Duration SETTLE = Duration.ofSeconds(40);
    private static final Duration EXIT_BOUND = Duration.ofSeconds(20);
    private static final String PEER1 = "peer0.org1.example.com";
    private static final String PEER2 = "peer0.org2.example.com";
    private static final ProcessLauncher.JavaCommand JAVA = TestNetworks.QUICK_JAVA;

    private ProcessNetwork network;

    @BeforeAll
    void launch(@TempDir Path directory) {
        network = ProcessLauncher.launch(TestNetworks.twoSinglePeerOrganizations(directory.resolve("net")), JAVA);
        await().atMost(SETTLE).until(() -> {
            assertThat(network.problems()).isEmpty();
            return network.linked();
        });
    }

    @AfterAll
    void close() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    @Order(1)
    void aMalformedControlLineIsLoggedAndIgnoredAndTheNextGoodOneApplies() throws Exception {
        ControlChannel control = network.control(PEER1);
        control.writeLine("faults banana");
        PkiId other = network.pkiId(PEER2);
        FaultsCommand sent = control.sendFaults(7, Rule.NONE, new TreeMap<>(Map.of(other, new Rule(0.2, 15, 0, false, false))));

        assertThat(control.awaitApplied(SETTLE)).isTrue();
        assertThat(control.applied()).contains(sent);
        Path log = network.processes().stream().filter(n -> n.name().equals(PEER1)).findFirst().orElseThrow().log();
        assertThat(Files.readString(log)).contains("ignored line \"faults banana\"").contains("control: applied " + sent.line());
        assertThat(network.isRunning(PEER1)).isTrue();

        control.sendFaults(7, Rule.NONE, new TreeMap<>());
        assertThat(control.awaitApplied(SETTLE)).isTrue();
        assertThat(control.applied().orElseThrow().peers()).as("healed").isEmpty();
    }

    @Test
    @Order(2)
    void aPeerStartedWithoutTheControlOptionIgnoresStdin() throws Exception {
        network.kill(PEER2);
        Path config = network.layout().peerConfig(PEER2);
        Process byHand = new ProcessBuilder(JAVA.arguments("peer", config, List.of())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(network.layout().peer(PEER2).resolve("by-hand.log").toFile()))
                .start();
        Path byHandLog = network.layout().peer(PEER2).resolve("by-hand.log");
        try {
            // Wait until it serves, so the line below reaches a running node (a loaded machine starts a JVM slowly).
            await().atMost(EXIT_BOUND).until(() -> Files.readString(byHandLog).contains("listening on"));
            byHand.getOutputStream().write("faults 1 seed=1\n".getBytes());
            byHand.getOutputStream().close();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(byHand::isAlive);
        } finally {
            byHand.destroy();
            assertThat(byHand.waitFor(EXIT_BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(byHandLog)).doesNotContain("control:");
        network.restart(PEER2);
    }

    @Test
    @Order(3)
    void aNodeWhoseStdinClosesStopsCleanly() throws Exception {
        ProcessNetwork.NodeProcess peer = node(PEER1);
        ProcessNetwork.NodeProcess orderer = network.processes().get(0);

        long started = System.nanoTime();
        peer.control().close();
        orderer.control().close();

        await().atMost(EXIT_BOUND).until(() -> !peer.process().isAlive() && !orderer.process().isAlive());
        System.out.printf("peer and orderer exited %d ms after their stdin closed%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        assertThat(peer.process().exitValue()).isZero();
        assertThat(orderer.process().exitValue()).isZero();
        assertThat(Files.readString(peer.log())).contains("stdin closed").contains("its launcher is gone");
        assertThat(Files.readString(orderer.log())).contains("its launcher is gone");
    }

    private ProcessNetwork.NodeProcess node(String name) {
        return network.processes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }
}
