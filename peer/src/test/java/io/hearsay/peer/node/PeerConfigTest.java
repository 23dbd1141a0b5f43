package io.hearsay.peer.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearsay.peer.config.ConfigException;
import io.hearsay.peer.config.ConfigTree;
import io.hearsay.peer.node.PeerConfig.GossipPreset;
import io.hearsay.peer.node.PeerConfig.LeaderMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerConfigTest {
    @TempDir
    Path directory;

    private static final String VALID = """
            name: peer0.org1.example.com
            mspId: Org1MSP
            msp: crypto/org1/peers/peer0/msp
            tls:
              cert: crypto/org1/peers/peer0/tls/server.crt
              key: crypto/org1/peers/peer0/tls/server.key
            listen: 127.0.0.1:0
            orderer: 127.0.0.1:7050
            channels:
              - name: testchannel
                genesis: channel-artifacts/testchannel.block
            neighbours:
              - endpoint: 127.0.0.1:7061
                mspId: Org2MSP
                cert: crypto/org2/peers/peer0/msp/signcerts/cert.pem
            """;

    private PeerConfig load(String yaml, Map<String, String> environment, Map<String, String> flags) throws Exception {
        Path file = directory.resolve("peer.yaml");
        Files.writeString(file, yaml);
        return PeerConfig.from(ConfigTree.load(file, "HEARSAY_PEER", environment, flags));
    }

    @Test
    void readsAFileWithDocumentedDefaults() throws Exception {
        PeerConfig config = load(VALID, Map.of(), Map.of());
        assertThat(config.name()).isEqualTo("peer0.org1.example.com");
        assertThat(config.listen().port()).isZero();
        assertThat(config.operations()).isEqualTo(PeerConfig.DEFAULT_OPERATIONS);
        assertThat(config.channels()).singleElement().extracting(PeerConfig.ChannelEntry::name).isEqualTo("testchannel");
        assertThat(config.neighbours()).singleElement().satisfies(n -> assertThat(n.endpoint().port()).isEqualTo(7061));
        assertThat(config.gossipPreset()).isEqualTo(GossipPreset.LAN);
        assertThat(config.leader()).isEqualTo(LeaderMode.ELECTED);
        assertThat(config.timeWindow()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.requestBytesMax()).isEqualTo(PeerConfig.DEFAULT_REQUEST_BYTES_MAX);
    }

    @Test
    void environmentOverridesTheFileAndFlagsOverrideTheEnvironment() throws Exception {
        PeerConfig config = load(VALID, Map.of("HEARSAY_PEER_GOSSIP_PRESET", "wan", "HEARSAY_PEER_LISTEN", "0.0.0.0:7051",
                "HEARSAY_PEER_TIMEWINDOW", "5m"), Map.of("listen", "127.0.0.1:9051"));
        assertThat(config.gossipPreset()).isEqualTo(GossipPreset.WAN);
        assertThat(config.listen().port()).isEqualTo(9051);
        assertThat(config.timeWindow()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aValueOutOfRangeIsReportedByNameWithTheRange() {
        assertThatThrownBy(() -> load(VALID, Map.of(), Map.of("listen", "127.0.0.1:70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listen: port must be between 0 and 65535, got 70000");
        assertThatThrownBy(() -> load(VALID, Map.of(), Map.of("requestBytesMax", "12")))
                .hasMessageContaining("requestBytesMax: must be between 1048576 and");
        assertThatThrownBy(() -> load(VALID, Map.of(), Map.of("timeWindow", "soon")))
                .hasMessageContaining("timeWindow: must be a duration like 500ms, 10s, 15m or 1h, got 'soon'");
        assertThatThrownBy(() -> load(VALID, Map.of(), Map.of("gossip.preset", "fast")))
                .hasMessageContaining("gossip.preset: must be one of [lan, wan, fabric], got 'fast'");
        assertThatThrownBy(() -> load(VALID, Map.of(), Map.of("leader", "yes")))
                .hasMessageContaining("leader: must be one of [elected, static, none]").hasMessageContaining("got 'yes'");
    }

    @Test
    void theLeaderModeIsElectedStaticOrNoneWithTheOldBooleansAsAliases() throws Exception {
        assertThat(load(VALID + "leader: static\n", Map.of(), Map.of()).leader()).isEqualTo(LeaderMode.STATIC);
        assertThat(load(VALID + "leader: true\n", Map.of(), Map.of()).leader()).isEqualTo(LeaderMode.STATIC);
        assertThat(load(VALID + "leader: false\n", Map.of(), Map.of()).leader()).isEqualTo(LeaderMode.NONE);
        assertThat(load(VALID, Map.of("HEARSAY_PEER_LEADER", "none"), Map.of()).leader()).isEqualTo(LeaderMode.NONE);
        assertThat(load(VALID, Map.of(), Map.of("leader", "Elected")).leader()).isEqualTo(LeaderMode.ELECTED);
        // A peer that never leads needs no orderer.
        assertThat(load(VALID.replace("orderer: 127.0.0.1:7050\n", "") + "leader: none\n", Map.of(), Map.of()).orderer())
                .isEmpty();
    }

    @Test
    void aMissingRequiredOptionSaysWhatItIs() {
        assertThatThrownBy(() -> load(VALID.replace("mspId: Org1MSP\n", ""), Map.of(), Map.of()))
                .hasMessageContaining("mspId: missing; the peer's organisation");
        assertThatThrownBy(() -> load(VALID.replace("orderer: 127.0.0.1:7050\n", ""), Map.of(), Map.of()))
                .hasMessageContaining("leader: a leader peer pulls blocks from the orderer").hasMessageContaining("leader: none");
        assertThatThrownBy(() -> load(VALID.replace("orderer: 127.0.0.1:7050\n", "") + "leader: static\n", Map.of(), Map.of()))
                .hasMessageContaining("leader: a leader peer pulls blocks from the orderer");
    }

    @Test
    void aMisspeltOptionIsRefusedWithTheKnownOnesListed() {
        assertThatThrownBy(() -> load(VALID + "gosip:\n  preset: wan\n", Map.of(), Map.of()))
                .hasMessageContaining("unknown option [gosip.preset]").hasMessageContaining("gossip.preset");
        assertThatThrownBy(() -> load(VALID.replace("    genesis:", "    genesys:"), Map.of(), Map.of()))
                .hasMessageContaining("channels[0]").hasMessageContaining("genesis: missing");
    }

    @Test
    void aFileThatIsNotYamlIsRefusedClearly() {
        assertThatThrownBy(() -> load("name: [unclosed\n", Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is not valid YAML");
    }

    @Test
    void gossipOverridesReplaceSingleFieldsOfThePresetFromTheFileOrTheEnvironment() throws Exception {
        PeerConfig config = load(VALID + "gossip:\n  preset: wan\n  overrides:\n    pushFanout: 6\n",
                Map.of("HEARSAY_PEER_GOSSIP_OVERRIDES_TREEPUSH", "false"), Map.of());
        assertThat(config.gossipConfig().pushFanout()).isEqualTo(6);
        assertThat(config.gossipConfig().treePush()).isFalse();
        assertThat(config.gossipConfig().heartbeatIntervalMillis())
                .isEqualTo(io.hearsay.gossip.block.BlockGossipConfig.wan().heartbeatIntervalMillis());
        assertThatThrownBy(() -> load(VALID, Map.of(), Map.of("gossip.overrides.fanout", "3")))
                .hasMessageContaining("gossip.overrides.fanout: unknown field; allowed: ").hasMessageContaining("pushFanout");
        assertThatThrownBy(() -> load(VALID, Map.of(), Map.of("gossip.overrides.pushFanout", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pushFanout is 0");
    }
}
