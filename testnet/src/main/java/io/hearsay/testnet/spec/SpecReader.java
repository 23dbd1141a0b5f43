package io.hearsay.testnet.spec;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a {@link NetworkSpec} from YAML. Every key is optional (defaults in the records' documentation):
 *
 * <pre>
 * name: two-orgs
 * model: gossip                  # central | gossip | hybrid
 * protocol:
 *   preset: lan                  # lan | wan | fabric
 *   overrides: {pushFanout: 3}   # any field of BlockGossipConfig
 * organizations:                 # mspId and domain are required in each
 *   - mspId: Org1MSP
 *     domain: org1.example.com
 *     peers: 2
 *     anchors: [0]
 *     externalEndpoints: {1: auto}   # peer index: host:port | auto
 * orderer:
 *   mspId: OrdererMSP
 *   domain: example.com
 *   batch: {maxMessages: 10, maxBytes: 524288, timeoutMillis: 250}
 * channels:
 *   - name: testchannel
 *     endorsement:               # kv and bank; a word (any | majority | all) or {required, organizations}
 *       kv: any
 *       bank: {required: 2, organizations: [Org1MSP, Org2MSP]}
 * ports: {host: 127.0.0.1, base: 0}  # base 0: free ports
 * dataDirectory: hearsay-network
 * </pre>
 *
 * Only YAML's plain types are built (no tags that instantiate classes), duplicate keys are refused, and unknown
 * keys are refused with the allowed ones listed.
 */
final class SpecReader {
    private static final Set<String> ROOT_KEYS = Set.of("name", "model", "protocol", "organizations", "orderer",
            "channels", "ports", "dataDirectory");
    private static final Set<String> PROTOCOL_KEYS = Set.of("preset", "overrides");
    private static final Set<String> ORGANIZATION_KEYS = Set.of("mspId", "domain", "peers", "anchors", "externalEndpoints");
    private static final Set<String> ORDERER_KEYS = Set.of("mspId", "domain", "batch");
    private static final Set<String> BATCH_KEYS = Set.of("maxMessages", "maxBytes", "timeoutMillis");
    private static final Set<String> CHANNEL_KEYS = Set.of("name", "endorsement");
    private static final Set<String> POLICY_KEYS = Set.of("required", "organizations");
    private static final Set<String> PORT_KEYS = Set.of("host", "base");
    /** A spec is a page of text; anything near this is a mistake, not a network. */
    private static final int SPEC_CODE_POINTS_MAX = 1 << 20;

    private SpecReader() {}

    static NetworkSpec read(String yaml) {
        return read(parseYaml(yaml));
    }

    private static Object parseYaml(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(SPEC_CODE_POINTS_MAX);
        options.setMaxAliasesForCollections(16);
        try {
            return new Yaml(new SafeConstructor(options)).load(yaml);
        } catch (YAMLException e) {
            throw new SpecException("", "not a valid YAML spec: " + e.getMessage().replace('\n', ' ').replaceAll(" +", " "));
        }
    }

    private static NetworkSpec read(Object root) {
        NetworkSpec defaults = NetworkSpec.defaults();
        SpecFields fields = SpecFields.of("", root, ROOT_KEYS);
        String name = fields.string("name", defaults.name());
        NetworkModel model = readModel(fields);
        ProtocolSpec protocol = readProtocol(fields);
        List<OrganizationSpec> organizations = fields.has("organizations")
                ? readOrganizations(fields) : defaults.organizations();
        OrdererSpec orderer = readOrderer(SpecFields.of(fields.path("orderer"), fields.raw("orderer"), ORDERER_KEYS));
        // Distinct, so that a repeated MSP id is reported where it is repeated, not in a default policy.
        List<String> mspIds = organizations.stream().map(OrganizationSpec::mspId).distinct().toList();
        List<ChannelSpec> channels = fields.has("channels")
                ? readChannels(fields, mspIds)
                : List.of(ChannelSpec.withDefaultPolicies(NetworkSpec.DEFAULT_CHANNEL, mspIds));
        PortSpec ports = readPorts(SpecFields.of(fields.path("ports"), fields.raw("ports"), PORT_KEYS));
        Path dataDirectory = readPath(fields, "dataDirectory", defaults.dataDirectory());
        return new NetworkSpec(name, model, protocol, organizations, orderer, channels, ports, dataDirectory);
    }

    private static NetworkModel readModel(SpecFields fields) {
        String model = fields.string("model", NetworkModel.GOSSIP.specName());
        return NetworkModel.fromSpecName(model).orElseThrow(() -> new SpecException(fields.path("model"),
                "must be one of " + names(NetworkModel.values()) + ", got " + SpecValues.describe(model)));
    }

    private static ProtocolSpec readProtocol(SpecFields root) {
        SpecFields fields = SpecFields.of(root.path("protocol"), root.raw("protocol"), PROTOCOL_KEYS);
        String presetName = fields.string("preset", ProtocolPreset.LAN.specName());
        ProtocolPreset preset = ProtocolPreset.fromSpecName(presetName).orElseThrow(() -> new SpecException(
                fields.path("preset"), "must be one of " + names(ProtocolPreset.values()) + ", got "
                        + SpecValues.describe(presetName)));
        Object rawOverrides = fields.raw("overrides");
        Map<String, Object> overrides = new LinkedHashMap<>();
        if (rawOverrides != null) {
            if (!(rawOverrides instanceof Map<?, ?> map)) {
                throw new SpecException(fields.path("overrides"), "must be a mapping of field: value, got "
                        + SpecValues.describe(rawOverrides));
            }
            map.forEach((key, value) -> overrides.put(String.valueOf(key), value));
        }
        return SpecFields.construct(fields.path(), () -> new ProtocolSpec(preset, overrides));
    }

    private static List<OrganizationSpec> readOrganizations(SpecFields root) {
        List<Object> items = root.list("organizations", List::of);
        List<OrganizationSpec> organizations = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String path = SpecPaths.index(root.path("organizations"), i);
            organizations.add(readOrganization(SpecFields.of(path, items.get(i), ORGANIZATION_KEYS)));
        }
        return organizations;
    }

    private static OrganizationSpec readOrganization(SpecFields fields) {
        String mspId = fields.requiredString("mspId");
        String domain = fields.requiredString("domain");
        int peers = fields.smallInteger("peers", 2);
        List<Integer> anchors = new ArrayList<>();
        List<Object> rawAnchors = fields.list("anchors", () -> List.of(0));
        for (int i = 0; i < rawAnchors.size(); i++) {
            String path = SpecPaths.index(fields.path("anchors"), i);
            long anchor = SpecFields.integer(path, rawAnchors.get(i));
            SpecException.checkRange(path, anchor, 0, OrganizationSpec.PEERS_MAX - 1);
            anchors.add((int) anchor);
        }
        Map<Integer, String> endpoints = new LinkedHashMap<>();
        Object rawEndpoints = fields.raw("externalEndpoints");
        if (rawEndpoints != null) {
            if (!(rawEndpoints instanceof Map<?, ?> map)) {
                throw new SpecException(fields.path("externalEndpoints"),
                        "must be a mapping of peer index: host:port or auto, got " + SpecValues.describe(rawEndpoints));
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String path = SpecPaths.join(fields.path("externalEndpoints"), String.valueOf(entry.getKey()));
                long index = SpecFields.integer(path + " (the key)", entry.getKey());
                if (!(entry.getValue() instanceof String endpoint)) {
                    throw new SpecException(path, "must be host:port or auto, got " + SpecValues.describe(entry.getValue()));
                }
                SpecException.checkRange(path, index, 0, OrganizationSpec.PEERS_MAX - 1);
                endpoints.put((int) index, endpoint);
            }
        }
        return SpecFields.construct(fields.path(), () -> new OrganizationSpec(mspId, domain, peers, anchors, endpoints));
    }

    private static OrdererSpec readOrderer(SpecFields fields) {
        OrdererSpec defaults = OrdererSpec.defaults();
        String mspId = fields.string("mspId", defaults.mspId());
        String domain = fields.string("domain", defaults.domain());
        SpecFields batchFields = SpecFields.of(fields.path("batch"), fields.raw("batch"), BATCH_KEYS);
        BatchSpec batchDefaults = BatchSpec.defaults();
        int maxMessages = batchFields.smallInteger("maxMessages", batchDefaults.maxMessages());
        long maxBytes = batchFields.integer("maxBytes", batchDefaults.maxBytes());
        long timeoutMillis = batchFields.integer("timeoutMillis", batchDefaults.timeoutMillis());
        BatchSpec batch = SpecFields.construct(batchFields.path(), () -> new BatchSpec(maxMessages, maxBytes, timeoutMillis));
        return SpecFields.construct(fields.path(), () -> new OrdererSpec(mspId, domain, batch));
    }

    private static List<ChannelSpec> readChannels(SpecFields root, List<String> mspIds) {
        List<Object> items = root.list("channels", List::of);
        List<ChannelSpec> channels = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String path = SpecPaths.index(root.path("channels"), i);
            Object item = items.get(i);
            // A bare name is a channel with the default policies.
            SpecFields fields = item instanceof String name
                    ? SpecFields.of(path, Map.of("name", name), CHANNEL_KEYS)
                    : SpecFields.of(path, item, CHANNEL_KEYS);
            channels.add(readChannel(fields, mspIds));
        }
        return channels;
    }

    private static ChannelSpec readChannel(SpecFields fields, List<String> mspIds) {
        String name = fields.string("name", NetworkSpec.DEFAULT_CHANNEL);
        Map<String, EndorsementPolicySpec> policies = new LinkedHashMap<>(ChannelSpec.defaultPolicies(mspIds));
        Object rawEndorsement = fields.raw("endorsement");
        if (rawEndorsement != null) {
            SpecFields endorsement = SpecFields.of(fields.path("endorsement"), rawEndorsement, Set.copyOf(ChannelSpec.CONTRACTS));
            for (String contract : ChannelSpec.CONTRACTS) {
                if (endorsement.has(contract)) {
                    policies.put(contract, readPolicy(endorsement.path(contract), endorsement.raw(contract), mspIds));
                }
            }
        }
        return SpecFields.construct(fields.path(), () -> new ChannelSpec(name, policies));
    }

    private static EndorsementPolicySpec readPolicy(String path, Object raw, List<String> mspIds) {
        if (raw instanceof String word) {
            return switch (word) {
                case "any" -> EndorsementPolicySpec.any(mspIds);
                case "majority" -> EndorsementPolicySpec.majority(mspIds);
                case "all" -> EndorsementPolicySpec.all(mspIds);
                default -> throw new SpecException(path, "must be any, majority, all or {required, organizations}, got "
                        + SpecValues.describe(word));
            };
        }
        SpecFields fields = SpecFields.of(path, raw, POLICY_KEYS);
        List<String> organizations = new ArrayList<>();
        List<Object> rawOrganizations = fields.list("organizations", () -> new ArrayList<>(mspIds));
        for (int i = 0; i < rawOrganizations.size(); i++) {
            if (!(rawOrganizations.get(i) instanceof String mspId)) {
                throw new SpecException(SpecPaths.index(fields.path("organizations"), i),
                        "must be an MSP id, got " + SpecValues.describe(rawOrganizations.get(i)));
            }
            organizations.add(mspId);
        }
        if (!fields.has("required")) {
            throw new SpecException(fields.path("required"), "is required: how many of the organisations must endorse");
        }
        int required = fields.smallInteger("required", 1);
        return SpecFields.construct(path, () -> new EndorsementPolicySpec(required, organizations));
    }

    private static PortSpec readPorts(SpecFields fields) {
        PortSpec defaults = PortSpec.defaults();
        String host = fields.string("host", defaults.host());
        int base = fields.smallInteger("base", defaults.base());
        return SpecFields.construct(fields.path(), () -> new PortSpec(host, base));
    }

    private static Path readPath(SpecFields fields, String key, Path defaultValue) {
        String text = fields.string(key, null);
        if (text == null) {
            return defaultValue;
        }
        if (text.isBlank()) {
            throw new SpecException(fields.path(key), "must be a directory path, got an empty value");
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new SpecException(fields.path(key), "is not a usable path: " + e.getMessage());
        }
    }

    private static String names(Enum<?>[] values) {
        List<String> names = new ArrayList<>();
        for (Enum<?> value : values) {
            names.add(value.name().toLowerCase(java.util.Locale.ROOT));
        }
        return String.join(", ", names);
    }
}
