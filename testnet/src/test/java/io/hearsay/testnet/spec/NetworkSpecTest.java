package io.hearsay.testnet.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearsay.gossip.block.BlockGossipConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Network specs: the shipped examples load and mean what their comments say, and every kind of mistake in a spec
 * file is refused with the path of the field and what is wrong, before anything is launched.
 */
class NetworkSpecTest {
    static final List<String> EXAMPLES = NetworkSpec.EXAMPLES;

    /** The default network as YAML, for tests that change one thing in it. */
    private static final String TWO_ORGS = """
            organizations:
              - {mspId: Org1MSP, domain: org1.example.com, peers: 2}
              - {mspId: Org2MSP, domain: org2.example.com, peers: 2}
            """;

    @ParameterizedTest
    @FieldSource("EXAMPLES")
    void everyShippedExampleLoads(String name) {
        NetworkSpec spec = NetworkSpec.example(name);

        assertThat(spec.peerCount()).isGreaterThanOrEqualTo(4);
        assertThat(spec.channelNames()).containsExactly("testchannel");
        assertThat(spec.blockGossipConfig()).isNotNull();
    }

    @Test
    void theTwoOrganisationExampleIsTheDefault() {
        assertThat(NetworkSpec.example("two-orgs")).isEqualTo(NetworkSpec.defaults());
        assertThat(NetworkSpec.parse("")).isEqualTo(NetworkSpec.defaults());
        assertThat(NetworkSpec.parse(TWO_ORGS)).isEqualTo(NetworkSpec.defaults());
    }

    @Test
    void defaultsDescribeTwoOrganisationsOfTwoPeersWithAnchorsAndPolicies() {
        NetworkSpec spec = NetworkSpec.defaults();

        assertThat(spec.organizations()).extracting(OrganizationSpec::mspId).containsExactly("Org1MSP", "Org2MSP");
        assertThat(spec.organization("Org1MSP").peerNames())
                .containsExactly("peer0.org1.example.com", "peer1.org1.example.com");
        assertThat(spec.organization("Org2MSP").isAnchor(0)).isTrue();
        assertThat(spec.organization("Org2MSP").isAnchor(1)).isFalse();
        assertThat(spec.model()).isEqualTo(NetworkModel.GOSSIP);
        assertThat(spec.blockGossipConfig()).isEqualTo(BlockGossipConfig.lan());
        assertThat(spec.channels().get(0).policy(ChannelSpec.KV).toString()).isEqualTo("1 of Org1MSP, Org2MSP");
        assertThat(spec.channels().get(0).policy(ChannelSpec.BANK).toString()).isEqualTo("2 of Org1MSP, Org2MSP");
        assertThat(spec.ports().pickFree()).isTrue();
        assertThat(spec.cryptoSpecs()).extracting(o -> o.mspId()).containsExactly("Org1MSP", "Org2MSP", "OrdererMSP");
    }

    @Test
    void theHybridExampleHasThreeOrganisationsWithTwoSuperNodesEach() {
        NetworkSpec spec = NetworkSpec.example("three-orgs-hybrid");

        assertThat(spec.model()).isEqualTo(NetworkModel.HYBRID);
        assertThat(spec.organizations()).hasSize(3).allSatisfy(o -> assertThat(o.anchors()).containsExactly(0, 1));
        assertThat(spec.organization("Org3MSP").externalEndpoints()).containsEntry(2, OrganizationSpec.AUTO_ENDPOINT);
        assertThat(spec.channels().get(0).policy(ChannelSpec.BANK).toProto().getRequired()).isEqualTo(2);
    }

    @Test
    void theFabricPresetExampleRunsFabricsSettingsWithItsOverride() {
        NetworkSpec spec = NetworkSpec.example("fabric-preset");

        BlockGossipConfig fabric = BlockGossipConfig.fabric();
        assertThat(spec.protocol().preset()).isEqualTo(ProtocolPreset.FABRIC);
        assertThat(spec.blockGossipConfig().pushFanout()).isEqualTo(fabric.pushFanout());
        assertThat(spec.blockGossipConfig().lazyPushThresholdBytes()).isEqualTo(Long.MAX_VALUE);
        assertThat(spec.blockGossipConfig().heartbeatIntervalMillis()).isEqualTo(4_000);
        assertThat(spec.orderer().batch().timeoutMillis()).isEqualTo(2_000);
        assertThat(spec.orderer().mspId()).isEqualTo("OrdererMSP");
    }

    @Test
    void overridesChangeOnlyTheNamedFields() {
        NetworkSpec spec = NetworkSpec.parse("protocol: {preset: wan, overrides: {pushFanout: 6, treePush: false}}");

        assertThat(spec.blockGossipConfig()).isEqualTo(BlockGossipConfig.wan().withPushFanout(6).withTreePush(false));
    }

    @Test
    void fixedPortsFollowTheDocumentedLayout() {
        NetworkSpec spec = NetworkSpec.parse("ports: {base: 7050}");

        assertThat(spec.ports().ordererPort()).isEqualTo(7050);
        assertThat(spec.ports().peerPort(0)).isEqualTo(7051);
        assertThat(spec.ports().operationsPort(0)).isEqualTo(7052);
        assertThat(spec.ports().peerPort(3)).isEqualTo(7057);
    }

    @Test
    void aFileIsReadAndProblemsNameIt(@TempDir Path directory) throws Exception {
        Path good = Files.writeString(directory.resolve("net.yaml"), "name: mine\n" + TWO_ORGS);
        Path bad = Files.writeString(directory.resolve("bad.yaml"), "model: star\n");

        assertThat(NetworkSpec.load(good).name()).isEqualTo("mine");
        assertThatThrownBy(() -> NetworkSpec.load(bad)).isInstanceOf(SpecException.class)
                .hasMessageStartingWith("model: must be one of central, gossip, hybrid, got \"star\"")
                .hasMessageContaining("bad.yaml");
        assertThatThrownBy(() -> NetworkSpec.load(directory.resolve("absent.yaml"))).isInstanceOf(SpecException.class)
                .hasMessageContaining("no spec file at").hasMessageContaining("absent.yaml");
    }

    // One test per kind of mistake: the message names the field path and the problem.

    @Test
    void aNumberOutOfRangeNamesTheFieldAndTheRange() {
        assertRefused(TWO_ORGS.replace("org2.example.com, peers: 2", "org2.example.com, peers: 0"),
                "organizations[1].peers", "organizations[1].peers: must be between 1 and 64, got 0");
        assertRefused("orderer: {batch: {maxMessages: 0}}",
                "orderer.batch.maxMessages", "orderer.batch.maxMessages: must be between 1 and 10000, got 0");
    }

    @Test
    void anUnknownKeyIsRefusedWithTheAllowedOnesListed() {
        assertRefused("organisations: []", "organisations", "organisations: unknown key; allowed keys: channels,"
                + " dataDirectory, model, name, orderer, organizations, ports, protocol");
        assertRefused("organizations:\n  - {mspId: Org1MSP, domain: org1.example.com, peer: 2}",
                "organizations[0].peer", "organizations[0].peer: unknown key; allowed keys: anchors, domain,"
                        + " externalEndpoints, mspId, peers");
        assertRefused("channels: [{name: c, endorsement: {kv: any, token: any}}]", "channels[0].endorsement.token",
                "channels[0].endorsement.token: unknown key; allowed keys: bank, kv");
    }

    @Test
    void aValueOfTheWrongTypeSaysWhatWasExpected() {
        assertRefused("organizations:\n  - {mspId: Org1MSP, domain: org1.example.com, peers: two}",
                "organizations[0].peers", "organizations[0].peers: must be an integer, got \"two\"");
        assertRefused("organizations: {mspId: Org1MSP}", "organizations", "organizations: must be a list, got a mapping");
        assertRefused("ports: 7050", "ports", "ports: must be a mapping of base, host, got 7050");
    }

    @Test
    void aRequiredFieldThatIsMissingIsNamed() {
        assertRefused("organizations:\n  - {domain: org1.example.com}", "organizations[0].mspId",
                "organizations[0].mspId: is required");
    }

    @Test
    void anUnknownModelOrPresetListsTheChoices() {
        assertRefused("model: star", "model", "model: must be one of central, gossip, hybrid, got \"star\"");
        assertRefused("protocol: {preset: fast}", "protocol.preset",
                "protocol.preset: must be one of lan, wan, fabric, got \"fast\"");
    }

    @Test
    void overridesAreCheckedByName_type_andTheProtocolsOwnRules() {
        assertThatThrownBy(() -> NetworkSpec.parse("protocol: {overrides: {fanout: 3}}"))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("protocol.overrides.fanout: unknown field; allowed: ")
                .hasMessageContaining("pushFanout");
        assertRefused("protocol: {overrides: {treePush: 1}}", "protocol.overrides.treePush",
                "protocol.overrides.treePush: must be true or false, got 1");
        assertRefused("protocol: {overrides: {pushFanout: 0}}", "protocol.overrides",
                "protocol.overrides: pushFanout is 0; it must be between 1 and 1024");
        assertThatThrownBy(() -> NetworkSpec.parse("protocol: {overrides: {repairBatchBlocks: 500}}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("rangeRequestBlocksMax");
    }

    @Test
    void anchorsAndExternalEndpointsMustNameThePeersOfTheirOrganisation() {
        assertRefused(TWO_ORGS.replace("org1.example.com, peers: 2", "org1.example.com, peers: 2, anchors: [0, 2]"),
                "organizations[0].anchors[1]", "organizations[0].anchors[1]: must name one of this organisation's 2"
                        + " peers, an index between 0 and 1, got 2");
        assertRefused(TWO_ORGS.replace("org1.example.com, peers: 2", "org1.example.com, peers: 2, anchors: [1, 1]"),
                "organizations[0].anchors[1]", "organizations[0].anchors[1]: peer 1 is listed twice");
        assertRefused(TWO_ORGS.replace("org1.example.com, peers: 2",
                        "org1.example.com, peers: 2, externalEndpoints: {1: 'nowhere'}"),
                "organizations[0].externalEndpoints.1", "organizations[0].externalEndpoints.1: must be host:port with a"
                        + " port between 1 and 65535, or auto, got \"nowhere\"");
    }

    @Test
    void theHybridModelNeedsAnAnchorInEveryOrganisation() {
        assertRefused("model: hybrid\n" + TWO_ORGS.replace("org2.example.com, peers: 2", "org2.example.com, peers: 2, anchors: []"),
                "organizations[1].anchors", "organizations[1].anchors: the hybrid model needs at least one anchor peer"
                        + " (super-node) per organisation");
    }

    @Test
    void namesThatMustBeUniqueAreRefusedTwiceWithTheFirstUseNamed() {
        assertRefused(TWO_ORGS.replace("Org2MSP", "Org1MSP"), "organizations[1].mspId",
                "organizations[1].mspId: Org1MSP is already the MSP id of organizations[0]");
        assertRefused(TWO_ORGS.replace("org2.example.com", "org1.example.com"), "organizations[1].domain",
                "organizations[1].domain: org1.example.com is already the domain of organizations[0]");
        assertRefused(TWO_ORGS.replace("Org2MSP", "OrdererMSP"), "organizations[1].mspId",
                "organizations[1].mspId: OrdererMSP is the orderer organisation's MSP id; peer organisations need their own");
        assertRefused("channels: [one, one]", "channels[1].name", "channels[1].name: channel one is listed twice");
    }

    @Test
    void malformedIdentifiersAreRefused() {
        assertRefused("organizations:\n  - {mspId: 'Org 1', domain: org1.example.com}", "organizations[0].mspId",
                "organizations[0].mspId: must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit,"
                        + " got \"Org 1\"");
        assertRefused("organizations:\n  - {mspId: Org1MSP, domain: Org1.Example.com}", "organizations[0].domain",
                "organizations[0].domain: must be a lower-case DNS name such as org1.example.com, got \"Org1.Example.com\"");
        assertRefused("channels: [{name: TestChannel}]", "channels[0].name", "channels[0].name: must start with a"
                + " lower-case letter and hold only lower-case letters, digits, '.' and '-' (at most 249), got \"TestChannel\"");
    }

    @Test
    void endorsementPoliciesMustBeSatisfiableByTheNetworksOrganisations() {
        assertRefused("channels: [{name: c, endorsement: {bank: {required: 3}}}]", "channels[0].endorsement.bank.required",
                "channels[0].endorsement.bank.required: must be between 1 and 2, got 3");
        assertRefused("channels: [{name: c, endorsement: {bank: {required: 1, organizations: [Org1MSP, Org9MSP]}}}]",
                "channels[0].endorsement.bank.organizations[1]", "channels[0].endorsement.bank.organizations[1]: no peer"
                        + " organisation Org9MSP in this network; the organisations are [Org1MSP, Org2MSP]");
        assertRefused("channels: [{name: c, endorsement: {kv: most}}]", "channels[0].endorsement.kv",
                "channels[0].endorsement.kv: must be any, majority, all or {required, organizations}, got \"most\"");
        assertRefused("channels: [{name: c, endorsement: {kv: {organizations: [Org1MSP]}}}]",
                "channels[0].endorsement.kv.required",
                "channels[0].endorsement.kv.required: is required: how many of the organisations must endorse");
    }

    @Test
    void portsMustBeUsableAndTheLayoutMustFit() {
        assertRefused("ports: {base: 80}", "ports.base", "ports.base: must be between 1024 and 65535, got 80");
        assertRefused("ports: {base: 65530}", "ports.base", "ports.base: a network of 4 peers needs ports 65530 to 65538,"
                + " beyond 65535; choose a base of at most 65527 or 0 for free ports");
        assertRefused("ports: {host: ''}", "ports.host", "ports.host: must be a host name or IPv4 address (IPv6 in"
                + " brackets), got \"\"");
    }

    @Test
    void yamlThatDoesNotParseOrRepeatsAKeyIsRefusedAsAWhole() {
        assertThatThrownBy(() -> NetworkSpec.parse("organizations: [\n")).isInstanceOf(SpecException.class)
                .hasMessageStartingWith("not a valid YAML spec: ").hasMessageContaining("line");
        assertThatThrownBy(() -> NetworkSpec.parse("name: a\nname: b\n")).isInstanceOf(SpecException.class)
                .hasMessageStartingWith("not a valid YAML spec: ").hasMessageContaining("duplicate key name");
        assertThatThrownBy(() -> NetworkSpec.parse("!!java.io.File [x]")).isInstanceOf(SpecException.class)
                .hasMessageStartingWith("not a valid YAML spec: ");
    }

    @Test
    void specsBuiltInCodeAreCheckedTheSameWay() {
        NetworkSpec defaults = NetworkSpec.defaults();

        assertThatThrownBy(() -> new NetworkSpec("n", NetworkModel.GOSSIP, defaults.protocol(), List.of(),
                defaults.orderer(), defaults.channels(), defaults.ports(), defaults.dataDirectory()))
                .isInstanceOf(SpecException.class)
                .hasMessage("organizations: must list between 1 and 32 organisations, got 0");
        assertThatThrownBy(() -> new BatchSpec(10, 10, 250)).isInstanceOf(SpecException.class)
                .hasMessage("maxBytes: must be between 1024 and 67108864, got 10");
    }

    private static void assertRefused(String yaml, String path, String message) {
        assertThatThrownBy(() -> NetworkSpec.parse(yaml))
                .isInstanceOf(SpecException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((SpecException) e).path()).isEqualTo(path));
    }
}
