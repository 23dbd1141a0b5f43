package io.hearsay.testnet.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hearsay.testnet.launch.ProcessLauncher;
import io.hearsay.testnet.launch.ProcessNetwork;
import io.hearsay.testnet.load.BankLoad;
import io.hearsay.testnet.load.TransferOutcome;
import io.hearsay.testnet.spec.ConnectionProfile;
import io.hearsay.testnet.spec.NetworkSpec;
import io.hearsay.testnet.verify.ChainSource;
import io.hearsay.testnet.verify.ConsistencyVerifier;
import io.hearsay.testnet.verify.DeliverChainSource;
import io.hearsay.testnet.verify.DeliverReadOptions;
import io.hearsay.testnet.verify.PeerStatus;
import io.hearsay.testnet.verify.VerificationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's "SIGKILL a peer process mid-commit": the default network as five JVMs takes bank transfers through the
 * Fabric Gateway SDK; a peer's JVM is SIGKILLed the moment its {@code /status} shows a new block (under load the next
 * commit is then under way), the load goes on without it, it is restarted on its data and port, the load stops. Then
 * the ledgers must converge and agree through Deliver, every transfer the client saw committed VALID must be VALID on
 * every peer's chain, and the bank total must be unchanged on every peer. Replay with {@code -Dfaults.seed=N}.
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
                // Five JVMs warm up at once on a small CI machine: the quick compiler alone starts them sooner.
                ProcessLauncher.JavaCommand.current().withJvmOptions("-XX:TieredStopAtLevel=1", "-Xshare:auto"));
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
                List<ChainSource> chains = DeliverChainSource.forProfile(profile, CHANNEL, DeliverReadOptions.defaults());
                VerificationReport report = new ConsistencyVerifier().verify(chains);
                assertThat(report.consistent()).as("SEED=%d%n%s", SEED, report.toText()).isTrue();

                Set<String> clientValid = new HashSet<>();
                load.outcomes().stream().filter(TransferOutcome::committedValid)
                        .forEach(outcome -> clientValid.add(outcome.transactionId()));
                assertThat(clientValid).as("SEED=%d: transfers committed around the kill", SEED).hasSizeGreaterThan(10);
                for (Map.Entry<String, Set<String>> peer : validTransactions(chains).entrySet()) {
                    assertThat(peer.getValue()).as("SEED=%d: VALID transactions on %s", SEED, peer.getKey())
                            .containsAll(clientValid);
                }
                for (int i = 0; i < profile.peers().size(); i++) {
                    assertThat(load.total(i)).as("SEED=%d: bank total on %s", SEED, profile.peers().get(i).peer().name())
                            .isEqualTo(ACCOUNTS * BALANCE);
                }
            }
        } finally {
            network.close();
        }
        assertThat(Files.readString(network.processes().stream().filter(n -> n.name().equals(VICTIM)).findFirst()
                .orElseThrow().log())).as("the restarted JVM appended to the same log")
                .containsPattern("(?s)listening on.*listening on");
    }

    @Test
    void linkFaultsSayToRunInProcess() {
        ConnectionProfile.Peer peer = new ConnectionProfile.Peer("peer0.org1.example.com", "127.0.0.1:1", Path.of("ca.pem"),
                "peer0.org1.example.com", java.util.Optional.of("http://127.0.0.1:1"));
        ConnectionProfile profile = new ConnectionProfile("unused", List.of(CHANNEL),
                List.of(new ConnectionProfile.Organization("Org1MSP", List.of(peer), null)));
        // Link faults are refused before the network or the load is touched.
        ProcessFaultTarget target = new ProcessFaultTarget(null, profile, null, SEED, 1);

        assertThatThrownBy(() -> target.partition(List.of(Set.of("Org1MSP"))))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("partition")
                .hasMessageContaining("without --processes");
        assertThatThrownBy(() -> target.clog("peer0.org1.example.com"))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("in-process");
        target.heal(); // nothing to heal: no link fault can be in place
    }

    /** The peer's height on the channel by its {@code /status}, or -1 while it does not answer. */
    private static long heightOf(ProcessFaultTarget target, String peer) {
        return target.status(peer, CHANNEL).map(PeerStatus::height).orElse(-1L);
    }

    /** Each peer's transaction ids marked VALID in its chain, read through Deliver. */
    private static Map<String, Set<String>> validTransactions(List<ChainSource> chains) throws InvalidProtocolBufferException {
        Map<String, Set<String>> valid = new LinkedHashMap<>();
        for (ChainSource source : chains) {
            Set<String> ids = new HashSet<>();
            try (ChainSource.Chain chain = source.open()) {
                while (chain.hasNext()) {
                    Block block = chain.next();
                    ByteString filter = block.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE);
                    for (int i = 0; i < block.getData().getDataCount(); i++) {
                        if (Byte.toUnsignedInt(filter.byteAt(i)) == TxValidationCode.VALID_VALUE) {
                            Payload payload = Payload.parseFrom(Envelope.parseFrom(block.getData().getData(i)).getPayload());
                            ids.add(ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getTxId());
                        }
                    }
                }
            }
            valid.put(source.peer(), ids);
        }
        return valid;
    }
}
