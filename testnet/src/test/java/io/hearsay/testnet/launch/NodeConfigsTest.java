package io.hearsay.testnet.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.peer.config.ConfigTree;
import io.hearsay.peer.config.ConfigTree.HostPort;
import io.hearsay.peer.node.DiscoveryConfig;
import io.hearsay.peer.node.ElectionOptions;
import io.hearsay.peer.node.OrdererProcessConfig;
import io.hearsay.peer.node.PeerConfig;
import io.hearsay.testnet.spec.NetworkSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each network model becomes the node configuration it promises — the central index on the orderer, SWIM membership
 * seeded by the organisation's anchors, the anchor overlay — and every peer.yaml / orderer.yaml written for it reads
 * back as exactly the config the node runs with.
 */
class NodeConfigsTest {
    @TempDir
    Path directory;

    private NodeConfigs configs(String example) {
        NetworkSpec spec = NetworkLauncherTest.inDirectory(NetworkSpec.example(example), directory.resolve(example));
        NetworkLayout layout = new NetworkLayout(spec.dataDirectory());
        NetworkMaterial material = NetworkMaterial.prepare(spec, layout);
        List<PeerPlan> plans = PeerPlan.of(spec);
        int[] ports = new int[1 + 2 * plans.size()];
        for (int i = 0; i < ports.length; i++) {
            ports[i] = 20_000 + i;
        }
        return NodeConfigs.of(spec, layout, material, plans, ports);
    }

    private static void assertFilesReadBack(NodeConfigs configs, Path directory) throws Exception {
        for (PeerConfig config : configs.peers().values()) {
            Path file = directory.resolve(config.name() + ".yaml");
            Files.writeString(file, NodeConfigFiles.peerYaml(config));
            assertThat(PeerConfig.from(ConfigTree.load(file, "HEARSAY_PEER", Map.of(), Map.of()))).isEqualTo(config);
            PeerConfig tuned = config.withElection(ElectionOptions.of(ElectionOptions.Preset.WAN));
            Files.writeString(file, NodeConfigFiles.peerYaml(tuned));
            assertThat(PeerConfig.from(ConfigTree.load(file, "HEARSAY_PEER", Map.of(), Map.of()))).isEqualTo(tuned);
        }
        Path orderer = directory.resolve("orderer.yaml");
        Files.writeString(orderer, NodeConfigFiles.ordererYaml(configs.orderer()));
        assertThat(OrdererProcessConfig.from(ConfigTree.load(orderer, "HEARSAY_ORDERER", Map.of(), Map.of())))
                .isEqualTo(configs.orderer());
    }

    @Test
    void gossipRunsSwimMembershipSeededByTheOrganisationsAnchor() throws Exception {
        NodeConfigs configs = configs("two-orgs");

        PeerConfig anchor = configs.peers().get("peer0.org1.example.com");
        PeerConfig ordinary = configs.peers().get("peer1.org1.example.com");
        assertThat(anchor.discovery().mode()).isEqualTo(DiscoveryConfig.Mode.MEMBERSHIP);
        assertThat(anchor.discovery().seeds()).as("the anchor is found by others, not seeded").isEmpty();
        assertThat(ordinary.discovery().seeds()).singleElement()
                .satisfies(seed -> assertThat(seed.endpoint()).isEqualTo(anchor.listen()));
        assertThat(ordinary.neighbours()).as("only other organisations' visible peers are configured")
                .allSatisfy(n -> assertThat(n.mspId()).isEqualTo("Org2MSP"));
        assertThat(configs.peers().values()).allSatisfy(c -> assertThat(c.overlay()).isEmpty());
        assertThat(configs.orderer().index()).isEmpty();
        assertThat(configs.links().expected("peer1.org1.example.com")).isEqualTo(1 + 1);
        assertFilesReadBack(configs, directory);
    }

    @Test
    void hybridAddsTheAnchorOverlayWithEveryOrganisationsAnchors() throws Exception {
        NodeConfigs configs = configs("three-orgs-hybrid");

        assertThat(configs.peers().values()).allSatisfy(c -> {
            assertThat(c.discovery().mode()).isEqualTo(DiscoveryConfig.Mode.MEMBERSHIP);
            assertThat(c.overlay()).hasValueSatisfying(o -> assertThat(o.anchors()).hasSize(6));
        });
        PeerConfig external = configs.peers().get("peer2.org3.example.com");
        assertThat(external.overlay().orElseThrow().externalEndpoint()).contains(external.listen());
        assertThat(configs.peers().get("peer3.org1.example.com").discovery().seeds()).hasSize(2);
        assertFilesReadBack(configs, directory);
    }

    @Test
    void centralRegistersEveryPeerWithTheIndexTheOrdererServes() throws Exception {
        NodeConfigs configs = configs("central-index");

        assertThat(configs.orderer().index()).isPresent();
        assertThat(configs.peers().values()).allSatisfy(c -> {
            assertThat(c.discovery().mode()).isEqualTo(DiscoveryConfig.Mode.INDEX);
            assertThat(c.discovery().index()).contains(new HostPort("127.0.0.1", configs.orderer().listen().port()));
            assertThat(c.overlay()).isEmpty();
        });
        assertFilesReadBack(configs, directory);
    }
}
