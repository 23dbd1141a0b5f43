package io.hearsay.testnet.spec;

import com.google.protobuf.ByteString;
import io.hearsay.gossip.block.BlockGossipConfig;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.OrgSpec;
import io.hearsay.identity.OrganizationMsp;
import io.hearsay.identity.Pem;
import io.hearsay.proto.ChannelConfig;
import io.hearsay.proto.Organization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A test network: its organisations and peers, the orderer, the channels, how peers find each other and
 * exchange blocks, where it listens and where it keeps its data. Read from YAML by {@link #load} (the format is
 * that of the examples in {@code src/main/resources/specs/}, and {@link SpecReader} documents every key); every
 * field has a default, so an empty file is {@link #defaults()}.
 *
 * <p>Checked at construction, each problem named by its path in the file ({@code organizations[1].peers: must be
 * between 1 and 64, got 0}), so a spec that loads can be launched.
 *
 * @param name the network's name, shown in status output and written to the connection profile. Default
 *     {@code hearsay}.
 * @param model central index, gossip or hybrid super-nodes. Default {@link NetworkModel#GOSSIP}.
 * @param protocol the block gossip preset and overrides. Default {@link ProtocolSpec#defaults()} (LAN).
 * @param organizations the peer organisations, 1 to {@value #ORGANIZATIONS_MAX}, with distinct MSP ids and
 *     domains. Default Org1MSP and Org2MSP with two peers each.
 * @param orderer the orderer organisation (not one of {@code organizations}). Default {@link OrdererSpec#defaults()}.
 * @param channels 1 to {@value #CHANNELS_MAX} channels with distinct names, every peer joined to each. Default one,
 *     {@code testchannel}.
 * @param ports listen host and ports. Default {@link PortSpec#defaults()}: loopback, free ports.
 * @param dataDirectory where crypto material, ledgers and the connection profile go; relative paths are resolved
 *     against the working directory of the launch. Default {@code hearsay-network}. A second launch on the same
 *     directory resumes the network.
 */
public record NetworkSpec(String name, NetworkModel model, ProtocolSpec protocol, List<OrganizationSpec> organizations,
        OrdererSpec orderer, List<ChannelSpec> channels, PortSpec ports, Path dataDirectory) {

    public static final int ORGANIZATIONS_MAX = 32;
    public static final int CHANNELS_MAX = 16;
    public static final String DEFAULT_NAME = "hearsay";
    public static final String DEFAULT_CHANNEL = "testchannel";
    public static final Path DEFAULT_DATA_DIRECTORY = Path.of("hearsay-network");
    /** The spec files shipped in {@code specs/} on the classpath; the first is {@link #defaults()}. */
    public static final List<String> EXAMPLES = List.of("two-orgs", "three-orgs-hybrid", "fabric-preset", "central-index");

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public NetworkSpec {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(orderer, "orderer");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        organizations = List.copyOf(organizations);
        channels = List.copyOf(channels);
        if (name == null || !NAME.matcher(name).matches()) {
            throw new SpecException("name", "must be 1-64 letters, digits, '.', '_' or '-', got " + SpecValues.describe(name));
        }
        checkOrganizations(organizations, orderer, model);
        checkChannels(channels, organizations);
        int peers = organizations.stream().mapToInt(OrganizationSpec::peers).sum();
        if (ports.highestPort(peers) > 65_535) {
            throw new SpecException("ports.base", "a network of " + peers + " peers needs ports " + ports.base() + " to "
                    + ports.highestPort(peers) + ", beyond 65535; choose a base of at most " + (65_535 - 2 * peers)
                    + " or 0 for free ports");
        }
    }

    /** Two organisations of two peers each (peer0 the anchor), the orderer, one channel, gossip on LAN settings. */
    public static NetworkSpec defaults() {
        List<OrganizationSpec> organizations = List.of(
                OrganizationSpec.of("Org1MSP", "org1.example.com", 2),
                OrganizationSpec.of("Org2MSP", "org2.example.com", 2));
        List<String> mspIds = organizations.stream().map(OrganizationSpec::mspId).toList();
        return new NetworkSpec(DEFAULT_NAME, NetworkModel.GOSSIP, ProtocolSpec.defaults(), organizations,
                OrdererSpec.defaults(), List.of(ChannelSpec.withDefaultPolicies(DEFAULT_CHANNEL, mspIds)),
                PortSpec.defaults(), DEFAULT_DATA_DIRECTORY);
    }

    /**
     * Reads a spec file.
     *
     * @throws SpecException if the file is missing, is not YAML, or describes an unusable network; the message
     *     names the file and the field
     */
    public static NetworkSpec load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SpecException("", "no spec file at " + file.toAbsolutePath()
                    + "; give the path of a YAML network spec, or leave it out for the default network");
        } catch (IOException e) {
            throw new SpecException("", "cannot read spec file " + file.toAbsolutePath() + ": " + e.getMessage());
        }
        try {
            return parse(text);
        } catch (SpecException e) {
            throw new SpecException(e.path(), e.problem() + " (in " + file + ")");
        }
    }

    /** Reads a spec from YAML text. */
    public static NetworkSpec parse(String yaml) {
        return SpecReader.read(yaml);
    }

    /** One of the {@link #EXAMPLES} shipped on the classpath under {@code specs/<name>.yaml}. */
    public static NetworkSpec example(String name) {
        if (!EXAMPLES.contains(name)) {
            throw new IllegalArgumentException("no example spec '" + name + "'; the examples are " + EXAMPLES);
        }
        try (InputStream in = NetworkSpec.class.getResourceAsStream("/specs/" + name + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("example spec specs/" + name + ".yaml is missing from the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read example spec " + name + ": " + e.getMessage(), e);
        }
    }

    /** The same network kept in {@code directory} (the demo and benchmarks run in a fresh one). */
    public NetworkSpec withDataDirectory(Path directory) {
        return new NetworkSpec(name, model, protocol, organizations, orderer, channels, ports, directory);
    }

    /** Every peer's name, by organisation (MSP id), in spec order. */
    public java.util.Map<String, List<String>> peersByOrganization() {
        java.util.Map<String, List<String>> peers = new java.util.LinkedHashMap<>();
        for (OrganizationSpec organization : organizations) {
            peers.put(organization.mspId(), organization.peerNames());
        }
        return peers;
    }

    /** The block gossip settings every peer runs with. */
    public BlockGossipConfig blockGossipConfig() {
        return protocol.blockGossipConfig();
    }

    public List<String> channelNames() {
        return channels.stream().map(ChannelSpec::name).toList();
    }

    public OrganizationSpec organization(String mspId) {
        return organizations.stream().filter(o -> o.mspId().equals(mspId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no organisation " + mspId + " in network " + name));
    }

    public int peerCount() {
        return organizations.stream().mapToInt(OrganizationSpec::peers).sum();
    }

    /** What the crypto generator needs: every peer organisation, then the orderer's. */
    public List<OrgSpec> cryptoSpecs() {
        List<OrgSpec> specs = new ArrayList<>();
        organizations.forEach(organization -> specs.add(organization.cryptoSpec()));
        specs.add(orderer.cryptoSpec());
        return specs;
    }

    /**
     * The configuration of {@code channel} for its genesis block: every peer organisation and the orderer's, with
     * their CAs from {@code crypto}, and the policy of each built-in contract. Any other chaincode needs a majority.
     */
    public ChannelConfig channelConfig(String channel, CryptoMaterial crypto) {
        ChannelSpec channelSpec = channels.stream().filter(c -> c.name().equals(channel)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no channel " + channel + " in network " + name
                        + "; its channels are " + channelNames()));
        List<String> mspIds = organizations.stream().map(OrganizationSpec::mspId).toList();
        ChannelConfig.Builder config = ChannelConfig.newBuilder()
                .setChannelId(channel)
                .setOrdererMspId(orderer.mspId())
                .setDefaultEndorsementPolicy(EndorsementPolicySpec.majority(mspIds).toProto());
        channelSpec.endorsement().forEach((contract, policy) -> config.putChaincodePolicies(contract, policy.toProto()));
        List<String> members = new ArrayList<>(mspIds);
        members.add(orderer.mspId());
        for (String mspId : members) {
            OrganizationMsp msp = crypto.organization(mspId).msp();
            config.addOrganizations(Organization.newBuilder()
                    .setMspId(mspId)
                    .setCaCertPem(ByteString.copyFrom(Pem.encodeCertificate(msp.caCertificate())))
                    .setTlsCaCertPem(ByteString.copyFrom(Pem.encodeCertificate(msp.tlsCaCertificate()))));
        }
        return config.build();
    }

    private static void checkOrganizations(List<OrganizationSpec> organizations, OrdererSpec orderer, NetworkModel model) {
        if (organizations.isEmpty() || organizations.size() > ORGANIZATIONS_MAX) {
            throw new SpecException("organizations", "must list between 1 and " + ORGANIZATIONS_MAX
                    + " organisations, got " + organizations.size());
        }
        Map<String, Integer> mspIds = new HashMap<>();
        Map<String, Integer> domains = new HashMap<>();
        for (int i = 0; i < organizations.size(); i++) {
            OrganizationSpec organization = organizations.get(i);
            String path = SpecPaths.index("organizations", i);
            Integer earlier = mspIds.putIfAbsent(organization.mspId(), i);
            if (earlier != null) {
                throw new SpecException(SpecPaths.join(path, "mspId"), organization.mspId()
                        + " is already the MSP id of organizations[" + earlier + "]");
            }
            earlier = domains.putIfAbsent(organization.domain(), i);
            if (earlier != null) {
                throw new SpecException(SpecPaths.join(path, "domain"), organization.domain()
                        + " is already the domain of organizations[" + earlier + "]");
            }
            if (organization.mspId().equals(orderer.mspId())) {
                throw new SpecException(SpecPaths.join(path, "mspId"), organization.mspId()
                        + " is the orderer organisation's MSP id; peer organisations need their own");
            }
            if (model == NetworkModel.HYBRID && organization.anchors().isEmpty()) {
                throw new SpecException(SpecPaths.join(path, "anchors"),
                        "the hybrid model needs at least one anchor peer (super-node) per organisation");
            }
        }
    }

    private static void checkChannels(List<ChannelSpec> channels, List<OrganizationSpec> organizations) {
        if (channels.isEmpty() || channels.size() > CHANNELS_MAX) {
            throw new SpecException("channels", "must list between 1 and " + CHANNELS_MAX + " channels, got "
                    + channels.size());
        }
        Set<String> mspIds = new HashSet<>(organizations.stream().map(OrganizationSpec::mspId).toList());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < channels.size(); i++) {
            ChannelSpec channel = channels.get(i);
            String path = SpecPaths.index("channels", i);
            if (!names.add(channel.name())) {
                throw new SpecException(SpecPaths.join(path, "name"), "channel " + channel.name() + " is listed twice");
            }
            for (Map.Entry<String, EndorsementPolicySpec> policy : channel.endorsement().entrySet()) {
                List<String> named = policy.getValue().organizations();
                for (int j = 0; j < named.size(); j++) {
                    if (!mspIds.contains(named.get(j))) {
                        throw new SpecException(SpecPaths.index(SpecPaths.join(path, "endorsement." + policy.getKey()
                                + ".organizations"), j), "no peer organisation " + named.get(j) + " in this network; the"
                                + " organisations are " + organizations.stream().map(OrganizationSpec::mspId).toList());
                    }
                }
            }
        }
    }
}
