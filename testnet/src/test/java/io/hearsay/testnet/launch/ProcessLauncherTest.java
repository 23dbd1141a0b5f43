package io.hearsay.testnet.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearsay.testnet.spec.ConnectionProfile;
import io.hearsay.testnet.spec.NetworkSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default spec as five JVMs, each started by {@code hearsay orderer/peer --config} on the files the launcher
 * wrote: the peers link up, a transaction submitted through the Fabric Gateway client reaches all four (the status
 * table read over each peer's operations endpoint says so), and closing stops every process with SIGTERM, through its
 * shutdown hook rather than a forced kill.
 */
class ProcessLauncherTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final String CHANNEL = NetworkSpec.DEFAULT_CHANNEL;
    /** How a JVM ends on SIGTERM once its shutdown hooks have run: 128 + 15. */
    private static final int SIGTERM_EXIT_CODE = 143;

    @Test
    void everyNodeRunsInItsOwnProcess(@TempDir Path directory) throws Exception {
        NetworkSpec spec = NetworkLauncherTest.inDirectory(NetworkSpec.defaults(), directory.resolve("net"));
        ProcessNetwork network = ProcessLauncher.launch(spec, TestNetworks.QUICK_JAVA);
        try {
            assertThat(network.processes()).hasSize(5);
            await().atMost(SETTLE).until(() -> {
                assertThat(network.problems()).isEmpty();
                return network.linked();
            });
            ConnectionProfile profile = ConnectionProfile.read(network.connectionProfile());
            try (ProfileGateway client = new ProfileGateway(profile, "Org2MSP", "peer1.org2.example.com")) {
                client.gateway.getNetwork(CHANNEL).getContract("kv").submitTransaction("put", "colour", "green");
            }
            await().atMost(SETTLE).until(() -> network.sameHeight() && network.status().get(0).height() == 2);
            assertThat(network.status()).hasSize(4).allSatisfy(row -> assertThat(row.height()).isEqualTo(2));
        } finally {
            network.close();
        }
        assertThat(network.processes()).allSatisfy(node -> {
            assertThat(node.process().isAlive()).isFalse();
            // 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal. A node that outlived the stop
            // wait would have been SIGKILLed (137); one that crashed on its own, some other code.
            assertThat(node.process().exitValue()).as(node.name() + "'s exit code").isEqualTo(SIGTERM_EXIT_CODE);
            assertThat(Files.readString(node.log())).contains("listening on");
        });
        // Each peer's shutdown hook closed its node (ledgers, streams, gossip): PeerNode.close() logs this last.
        assertThat(network.processes()).filteredOn(node -> !node.name().contains("orderer")).hasSize(4)
                .allSatisfy(node -> assertThat(Files.readString(node.log()))
                        .contains("[hearsay-shutdown] INFO io.hearsay.peer.node.PeerNode - " + node.name() + " stopped"));
    }
}
