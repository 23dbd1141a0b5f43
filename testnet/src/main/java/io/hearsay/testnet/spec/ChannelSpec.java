package io.hearsay.testnet.spec;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One channel and the endorsement policy of each built-in contract on it.
 *
 * @param name the channel id: lower case, starting with a letter, letters, digits, '.' and '-' (Fabric's rule),
 *     up to 249 characters. Default {@code testchannel}.
 * @param endorsement contract name → policy, for exactly the built-in contracts {@value #KV} and {@value #BANK}.
 *     Defaults: {@code kv} any one organisation (a scratch pad); {@code bank} a majority, so a transfer needs more
 *     than one organisation to vouch for it.
 */
public record ChannelSpec(String name, Map<String, EndorsementPolicySpec> endorsement) {
    public static final String KV = "kv";
    public static final String BANK = "bank";
    public static final List<String> CONTRACTS = List.of(BANK, KV);
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9.-]{0,248}");

    public ChannelSpec {
        endorsement = Collections.unmodifiableMap(new TreeMap<>(endorsement));
        if (name == null || !NAME.matcher(name).matches()) {
            throw new SpecException("name", "must start with a lower-case letter and hold only lower-case letters, digits,"
                    + " '.' and '-' (at most 249), got " + SpecValues.describe(name));
        }
        for (String contract : endorsement.keySet()) {
            if (!CONTRACTS.contains(contract)) {
                throw new SpecException(SpecPaths.join("endorsement", contract),
                        "unknown contract; allowed: " + String.join(", ", CONTRACTS));
            }
        }
        for (String contract : CONTRACTS) {
            if (!endorsement.containsKey(contract)) {
                throw new SpecException(SpecPaths.join("endorsement", contract), "missing policy");
            }
        }
    }

    /** {@code kv}: any organisation; {@code bank}: a majority of {@code organizations}. */
    public static ChannelSpec withDefaultPolicies(String name, List<String> organizations) {
        return new ChannelSpec(name, defaultPolicies(organizations));
    }

    static Map<String, EndorsementPolicySpec> defaultPolicies(List<String> organizations) {
        return Map.of(KV, EndorsementPolicySpec.any(organizations), BANK, EndorsementPolicySpec.majority(organizations));
    }

    public EndorsementPolicySpec policy(String contract) {
        EndorsementPolicySpec policy = endorsement.get(contract);
        if (policy == null) {
            throw new IllegalArgumentException("no contract " + contract + " on channel " + name + "; contracts: " + CONTRACTS);
        }
        return policy;
    }
}
