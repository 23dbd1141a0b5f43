package io.hearsay.peer.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearsay.discovery.anchor.JoinConfig;
import io.hearsay.discovery.election.ElectionConfig;
import io.hearsay.discovery.routing.RoutingConfig;
import io.hearsay.identity.CryptoGen;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.OrgSpec;
import io.hearsay.peer.config.ConfigException;
import io.hearsay.peer.config.ConfigTree;
import io.hearsay.peer.config.ConfigTree.HostPort;
import io.hearsay.peer.election.ChannelElection;
import io.hearsay.peer.overlay.OverlaySettings;
import io.hearsay.peer.node.PeerConfig.GossipPreset;
import io.hearsay.peer.node.PeerConfig.LeaderMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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

    // ---- overlay ----

    /** An overlay section naming Org1's anchor by a real signing certificate. */
    private String overlay(String extra) throws Exception {
        CryptoMaterial crypto = CryptoGen.withDefaults().generate(directory.resolve("crypto"),
                List.of(OrgSpec.peers("Org1MSP", "org1.example.com", 1)));
        Path certificate;
        try (var files = Files.list(crypto.organization("Org1MSP").nodes().get(0).mspDirectory().resolve("signcerts"))) {
            certificate = files.findFirst().orElseThrow();
        }
        return VALID + """
                overlay:
                  anchors:
                    - mspId: Org1MSP
                      cert: %s
                      endpoint: anchor.org1.example.com:7051
                """.formatted(certificate) + extra;
    }

    @Test
    void theDiscoverySectionChoosesTheModeAndIsCheckedByName() throws Exception {
        assertThat(load(VALID, Map.of(), Map.of()).discovery().mode()).isEqualTo(DiscoveryConfig.Mode.STATIC);

        PeerConfig membership = load(VALID + """
                discovery:
                  mode: membership
                  minDegree: 2
                  seeds:
                    - {endpoint: 127.0.0.1:7052, cert: crypto/org1/peers/peer1/msp/signcerts/cert.pem}
                """, Map.of(), Map.of());
        assertThat(membership.discovery().mode()).isEqualTo(DiscoveryConfig.Mode.MEMBERSHIP);
        assertThat(membership.discovery().view().minDegree()).isEqualTo(2);
        assertThat(membership.discovery().seeds()).singleElement()
                .satisfies(seed -> assertThat(seed.serverName()).isEqualTo("127.0.0.1"));

        PeerConfig index = load(VALID, Map.of("HEARSAY_PEER_DISCOVERY_MODE", "index"),
                Map.of("discovery.index", "127.0.0.1:7050"));
        assertThat(index.discovery().index()).hasValueSatisfying(i -> assertThat(i.port()).isEqualTo(7050));

        assertThatThrownBy(() -> load(VALID, Map.of(), Map.of("discovery.mode", "index")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("discovery.index");
        assertThatThrownBy(() -> load(VALID, Map.of(), Map.of("discovery.mode", "tracker")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("[static, membership, index]");
        assertThatThrownBy(() -> load(VALID, Map.of(), Map.of("discovery.mode", "membership", "listen", "0.0.0.0:7051")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("discovery.endpoint").hasMessageContaining("wildcard");
        assertThatThrownBy(() -> load(VALID, Map.of(), Map.of("discovery.minDegree", "6", "discovery.maxDegree", "3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("discovery.maxDegree");
    }

    @Test
    void withoutAnOverlaySectionTheNodeRunsNoOverlay() throws Exception {
        assertThat(load(VALID, Map.of(), Map.of()).overlay()).isEmpty();
        assertThat(load(VALID + "overlay:\n", Map.of(), Map.of()).overlay()).isEmpty();
    }

    @Test
    void theOverlaySectionIsReadWithDocumentedDefaults() throws Exception {
        OverlayConfig overlay = load(overlay(""), Map.of(), Map.of()).overlay().orElseThrow();

        assertThat(overlay.anchors()).singleElement().satisfies(anchor -> {
            assertThat(anchor.mspId()).isEqualTo("Org1MSP");
            assertThat(anchor.endpoint()).isEqualTo(new HostPort("anchor.org1.example.com", 7051));
        });
        assertThat(overlay.internalEndpoint()).isEmpty();
        assertThat(overlay.externalEndpoint()).isEmpty();
        assertThat(overlay.join()).isEqualTo(JoinConfig.defaults());
        assertThat(overlay.routing()).isEqualTo(RoutingConfig.defaults());
        // The internal endpoint defaults to the address the node listens on, with the port it bound.
        OverlaySettings settings = overlay.settings(new HostPort("127.0.0.1", 41000), new TreeSet<>(List.of("Org1MSP")),
                overlay.anchorSpecs());
        assertThat(settings.internalEndpoint()).isEqualTo("127.0.0.1:41000");
        assertThat(settings.externalEndpoint()).isEmpty();
        assertThat(settings.anchors()).singleElement().satisfies(spec -> assertThat(spec.endpoint())
                .isEqualTo("anchor.org1.example.com:7051"));
    }

    @Test
    void overlayScalarsAreOverriddenByTheEnvironmentAndFlags() throws Exception {
        OverlayConfig overlay = load(overlay("  routing:\n    ackTimeout: 200ms\n"),
                Map.of("HEARSAY_PEER_OVERLAY_ROUTING_ACKTIMEOUT", "50ms", "HEARSAY_PEER_OVERLAY_JOIN_PARENTS", "1"),
                Map.of("overlay.externalEndpoint", "peer0.org1.example.com:7051",
                        "overlay.internalEndpoint", "10.0.0.5:7051")).overlay().orElseThrow();

        assertThat(overlay.routing().ackTimeoutMillis()).isEqualTo(50);
        assertThat(overlay.routing().deadlineMillis()).isEqualTo(300);
        assertThat(overlay.join().parents()).isEqualTo(1);
        assertThat(overlay.externalEndpoint()).contains(new HostPort("peer0.org1.example.com", 7051));
        assertThat(overlay.internalEndpoint()).contains(new HostPort("10.0.0.5", 7051));
    }

    @Test
    void aBadOverlayValueIsRefusedByNameBeforeAnythingStarts() throws Exception {
        String valid = overlay("");
        assertThatThrownBy(() -> load(VALID + "overlay:\n  internalEndpoint: 127.0.0.1:7051\n", Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("overlay.anchors: the overlay needs the channel's "
                        + "anchor peers");
        assertThatThrownBy(() -> load(valid.replaceFirst("      cert: .*", "      cert: " + directory.resolve("missing.pem")),
                Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("overlay.anchors[0].cert: cannot read")
                .hasMessageContaining("missing.pem");
        Path notPem = Files.writeString(directory.resolve("not.pem"), "hello");
        assertThatThrownBy(() -> load(valid.replaceFirst("      cert: .*", "      cert: " + notPem), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("overlay.anchors[0].cert: " + notPem + " is not a usable signing certificate");
        assertThatThrownBy(() -> load(valid.replace("anchor.org1.example.com:7051", "anchor.org1.example.com"),
                Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("overlay.anchors[0]: endpoint: must be host:port");
        assertThatThrownBy(() -> load(valid.replace("anchor.org1.example.com:7051", "anchor.org1.example.com:0"),
                Map.of(), Map.of()))
                .hasMessageContaining("endpoint: must be host:port with a port in [1, 65535]");
        assertThatThrownBy(() -> load(valid.replace("      endpoint: anchor.org1.example.com:7051\n", ""), Map.of(), Map.of()))
                .hasMessageContaining("overlay.anchors[0].endpoint: missing");
        assertThatThrownBy(() -> load(valid, Map.of(), Map.of("overlay.internalEndpoint", "nowhere")))
                .hasMessageContaining("overlay.internalEndpoint: must be host:port, got 'nowhere'");
        assertThatThrownBy(() -> load(valid, Map.of("HEARSAY_PEER_OVERLAY_ROUTING_ACKTIMEOUT", "fast"), Map.of()))
                .hasMessageContaining("overlay.routing.ackTimeout: must be a duration like 500ms");
        assertThatThrownBy(() -> load(valid, Map.of(), Map.of("overlay.join.parents", "9")))
                .hasMessageContaining("overlay.join.parents: must be between 1 and 8, got 9");
        assertThatThrownBy(() -> load(valid, Map.of(), Map.of("listen", "0.0.0.0:7051")))
                .hasMessageContaining("overlay.internalEndpoint: missing; listen is 0.0.0.0:7051, a wildcard address");
        assertThatThrownBy(() -> load(valid + "  routing:\n    hopTimout: 100ms\n", Map.of(), Map.of()))
                .hasMessageContaining("unknown option [overlay.routing.hopTimout]")
                .hasMessageContaining("overlay.routing.ackTimeout");
    }

    @Test
    void withoutAnElectionSectionTheLanPresetElects() throws Exception {
        PeerConfig config = load(VALID + "election:\n", Map.of(), Map.of());
        assertThat(config.election()).isEqualTo(ElectionOptions.lan());
        ChannelElection.Settings settings = config.election().settings();
        assertThat(settings.election()).isEqualTo(ElectionConfig.lan());
        assertThat(settings).isEqualTo(ChannelElection.Settings.lan());
    }

    @Test
    void theWanPresetAndSingleFieldsComeFromTheFileTheEnvironmentAndFlags() throws Exception {
        ElectionOptions wan = load(VALID + "election:\n  preset: wan\n", Map.of(), Map.of()).election();
        assertThat(wan.settings()).isEqualTo(ChannelElection.Settings.of(ElectionConfig.wan()));

        ElectionOptions tuned = load(VALID + "election:\n  preset: wan\n  leadersPerOrganization: 2\n",
                Map.of("HEARSAY_PEER_ELECTION_HEARTBEATINTERVAL", "2s"), Map.of("election.viewRefreshInterval", "100ms"))
                .election();
        assertThat(tuned.settings().election())
                .as("timeouts unset keep the wan preset's 4 × heartbeat")
                .isEqualTo(new ElectionConfig(2_000, 8_000, 8_000, 2, new TreeSet<>()));
        assertThat(tuned.settings().viewRefreshMillis()).isEqualTo(100);

        ElectionOptions lanSlower = load(VALID, Map.of(), Map.of("election.heartbeatInterval", "1s",
                "election.leaderTimeout", "5s")).election();
        assertThat(lanSlower.settings().election())
                .as("the lan preset's grace is 3 × heartbeat; view refresh a fifth of it")
                .isEqualTo(new ElectionConfig(1_000, 5_000, 3_000, 1, new TreeSet<>()));
        assertThat(lanSlower.viewRefreshInterval()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aBadElectionValueIsRefusedByNameWithItsRange() {
        assertThatThrownBy(() -> load(VALID, Map.of(), Map.of("election.preset", "fast")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("election.preset: must be one of [lan, wan], got 'fast'");
        assertThatThrownBy(() -> load(VALID, Map.of(), Map.of("election.leaderTimeout", "900ms")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("election.leaderTimeout: must be between 1000ms and 600000ms, got 900ms")
                .hasMessageContaining("at least 2 × election.heartbeatInterval");
        assertThatThrownBy(() -> load(VALID, Map.of(), Map.of("election.startupGrace", "100ms")))
                .hasMessageContaining("election.startupGrace: must be between 500ms and 600000ms, got 100ms");
        assertThatThrownBy(() -> load(VALID, Map.of(), Map.of("election.viewRefreshInterval", "600ms")))
                .hasMessageContaining("election.viewRefreshInterval: must be between 1ms and 500ms, got 600ms");
        assertThatThrownBy(() -> load(VALID, Map.of(), Map.of("election.heartbeatInterval", "2m")))
                .hasMessageContaining("election.heartbeatInterval: must be between PT0.001S and PT1M, got PT2M");
        assertThatThrownBy(() -> load(VALID, Map.of(), Map.of("election.leadersPerOrganization", "0")))
                .hasMessageContaining("election.leadersPerOrganization: must be between 1 and 100, got 0");
        assertThatThrownBy(() -> load(VALID + "election:\n  heartbeat: 1s\n", Map.of(), Map.of()))
                .hasMessageContaining("unknown option [election.heartbeat]");
    }

    @Test
    void everyOlderConstructorElectsWithTheLanPresetAndWithElectionReplacesIt() throws Exception {
        PeerConfig config = load(VALID, Map.of(), Map.of());
        PeerConfig rebuilt = new PeerConfig(config.name(), config.mspId(), config.msp(), config.tlsCertificate(),
                config.tlsKey(), config.listen(), config.operations(), config.dataDirectory(), config.channels(),
                config.orderer(), config.leader(), config.gossipPreset(), config.neighbours(), config.requestBytesMax(),
                config.timeWindow(), config.endorsementTimeout(), config.gossipOverrides(), config.overlay(),
                config.discovery());
        assertThat(rebuilt).isEqualTo(config);
        ElectionOptions wan = ElectionOptions.of(ElectionOptions.Preset.WAN);
        assertThat(config.withElection(wan).election()).isEqualTo(wan);
        assertThat(config.withElection(wan).withDiscovery(config.discovery()).election()).as("kept by other withers")
                .isEqualTo(wan);
    }
}
