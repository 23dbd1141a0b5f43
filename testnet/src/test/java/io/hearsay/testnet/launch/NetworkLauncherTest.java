package io.hearsay.testnet.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hearsay.identity.PkiId;
import io.hearsay.peer.config.ConfigTree;
import io.hearsay.peer.node.DiscoveryConfig;
import io.hearsay.peer.node.OrdererProcessConfig;
import io.hearsay.peer.node.PeerConfig;
import io.hearsay.peer.node.PeerNode;
import io.hearsay.testnet.spec.ConnectionProfile;
import io.hearsay.testnet.spec.NetworkSpec;
import io.hearsay.testnet.verify.ConsistencyVerifier;
import io.hearsay.testnet.verify.DeliverChainSource;
import io.hearsay.testnet.verify.DeliverReadOptions;
import io.hearsay.testnet.verify.VerificationReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default spec launched for real (orderer and 2 × 2 peers on loopback, mutual TLS, RocksDB): a transaction
 * submitted through the official Fabric Gateway client from the written connection profile reaches every peer, the
 * consistency verifier reading every chain over Deliver finds them equal, the node files it wrote read back as the
 * configs the nodes run with, and a second launch on the same directory resumes with the same identities and height.
 */
class NetworkLauncherTest {
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final String CHANNEL = NetworkSpec.DEFAULT_CHANNEL;

    @Test
    void launchesSubmitsVerifiesAndResumes(@TempDir Path directory) throws Exception {
        NetworkSpec spec = inDirectory(NetworkSpec.defaults(), directory.resolve("net"));
        Map<String, PkiId> identities = new LinkedHashMap<>();
        long height;
        try (RunningNetwork network = NetworkLauncher.launch(spec)) {
            assertThat(network.material().created()).isTrue();
            assertThat(network.warnings()).isEmpty();
            await().atMost(SETTLE).until(network::linked);
            ConnectionProfile profile = ConnectionProfile.read(network.connectionProfile());
            assertThat(profile.peers()).hasSize(4).allSatisfy(p -> assertThat(p.peer().operations()).isPresent());

            // Through a peer that does not lead: its block arrives by gossip, its endorsement for Org2 by a neighbour.
            try (ProfileGateway client = new ProfileGateway(profile, "Org1MSP", "peer1.org1.example.com")) {
                client.gateway.getNetwork(CHANNEL).getContract("kv").submitTransaction("put", "colour", "blue");
            }
            await().atMost(SETTLE).until(() -> network.sameHeight() && network.peers().get(0).ledger(CHANNEL).height() == 2);

            VerificationReport report = new ConsistencyVerifier()
                    .verify(DeliverChainSource.forProfile(profile, CHANNEL, DeliverReadOptions.defaults()));
            assertThat(report.consistent()).as(report.toText()).isTrue();
            assertThat(report.peers()).hasSize(4);

            assertNodeFilesMatch(network);
            network.peers().forEach(p -> identities.put(p.name(), p.id()));
            height = network.peers().get(0).ledger(CHANNEL).height();
        }

        try (RunningNetwork resumed = NetworkLauncher.launch(spec)) {
            assertThat(resumed.material().created()).isFalse();
            assertThat(resumed.peers()).allSatisfy(p -> {
                assertThat(p.id()).isEqualTo(identities.get(p.name()));
                assertThat(p.ledger(CHANNEL).height()).isEqualTo(height);
            });
            await().atMost(SETTLE).until(resumed::linked);
            ConnectionProfile profile = ConnectionProfile.read(resumed.connectionProfile());
            try (ProfileGateway client = new ProfileGateway(profile, "Org2MSP", "peer1.org2.example.com")) {
                byte[] value = client.gateway.getNetwork(CHANNEL).getContract("kv").evaluateTransaction("get", "colour");
                assertThat(new String(value, StandardCharsets.UTF_8)).isEqualTo("blue");
            }
        }
    }

    /** Each written peer.yaml / orderer.yaml loads as the bound config: a node can be started alone from it. */
    private static void assertNodeFilesMatch(RunningNetwork network) {
        for (PeerNode peer : network.peers()) {
            PeerConfig config = PeerConfig.from(ConfigTree.load(network.layout().peerConfig(peer.name()), "HEARSAY_PEER",
                    Map.of(), Map.of()));
            assertThat(config.name()).isEqualTo(peer.name());
            assertThat(config.listen().port()).isEqualTo(peer.port());
            assertThat(config.operations().port()).isEqualTo(peer.operationsPort());
            assertThat(config.leader()).isEqualTo(PeerConfig.LeaderMode.ELECTED);
            assertThat(config.orderer()).hasValueSatisfying(o -> assertThat(o.port()).isEqualTo(network.orderer().port()));
            assertThat(config.neighbours()).hasSize(network.links().of(peer.name()).size());
            assertThat(config.discovery().mode()).isEqualTo(DiscoveryConfig.Mode.MEMBERSHIP);
            assertThat(config.channels()).singleElement().satisfies(c -> assertThat(c.genesis()).exists());
            assertThat(config.dataDirectory()).isEqualTo(network.layout().peer(peer.name()));
        }
        OrdererProcessConfig orderer = OrdererProcessConfig.from(ConfigTree.load(network.layout().ordererConfig(),
                "HEARSAY_ORDERER", Map.of(), Map.of()));
        assertThat(orderer.listen().port()).isEqualTo(network.orderer().port());
        assertThat(orderer.batch()).isEqualTo(NetworkLauncher.batch(network.spec().orderer().batch()));
        assertThat(orderer.genesisBlocks()).containsExactly(network.layout().genesis(CHANNEL));
    }

    @Test
    void everyExampleSpecRunsAsItSaysWithoutWarnings() {
        for (String example : NetworkSpec.EXAMPLES) {
            assertThat(NetworkLauncher.warnings(NetworkSpec.example(example))).as(example).isEmpty();
        }
    }

    @Test
    void theSpecsProtocolOverridesReachEveryPeerAndItsConfigFile(@TempDir Path directory) {
        NetworkSpec fabric = inDirectory(NetworkSpec.example("fabric-preset"), directory);
        try (RunningNetwork network = NetworkLauncher.launch(fabric)) {
            for (PeerNode peer : network.peers()) {
                PeerConfig config = PeerConfig.from(ConfigTree.load(network.layout().peerConfig(peer.name()), "HEARSAY_PEER",
                        Map.of(), Map.of()));
                assertThat(config.gossipConfig()).isEqualTo(fabric.blockGossipConfig());
            }
        }
    }

    @Test
    void cryptoMaterialOfAnotherSpecIsRefusedWithAdvice(@TempDir Path directory) {
        NetworkSpec small = inDirectory(NetworkSpec.defaults(), directory);
        NetworkMaterial.prepare(small, new NetworkLayout(directory));
        NetworkSpec other = inDirectory(NetworkSpec.example("three-orgs-hybrid"), directory);

        assertThatThrownBy(() -> NetworkMaterial.prepare(other, new NetworkLayout(directory)))
                .hasMessageContaining("does not match this spec").hasMessageContaining("new data directory");
        assertThat(List.of(directory.resolve("crypto"), directory.resolve("genesis/testchannel.block")))
                .allMatch(Files::exists);
    }

    static NetworkSpec inDirectory(NetworkSpec s, Path directory) {
        return new NetworkSpec(s.name(), s.model(), s.protocol(), s.organizations(), s.orderer(), s.channels(), s.ports(),
                directory);
    }
}
