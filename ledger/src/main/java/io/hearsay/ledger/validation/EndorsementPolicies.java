package io.hearsay.ledger.validation;

import io.hearsay.proto.ChannelConfig;
import io.hearsay.proto.EndorsementPolicy;
import java.util.Set;

/**
 * "At least N of these organisations" per chaincode namespace, from the channel configuration. A
 * transaction's endorsements satisfy the policy of every namespace it writes.
 */
public final class EndorsementPolicies {
    private final ChannelConfig config;

    public EndorsementPolicies(ChannelConfig config) {
        this.config = config;
        validate(config.getDefaultEndorsementPolicy(), "default_endorsement_policy");
        config.getChaincodePoliciesMap().forEach((name, policy) -> validate(policy, "chaincode_policies[" + name + "]"));
    }

    public EndorsementPolicy policyFor(String namespace) {
        return config.getChaincodePoliciesOrDefault(namespace, config.getDefaultEndorsementPolicy());
    }

    /** Whether endorsements from {@code endorsingOrganizations} (distinct MSP ids) satisfy {@code policy}. */
    public static boolean isSatisfied(EndorsementPolicy policy, Set<String> endorsingOrganizations) {
        long matching = policy.getMspIdsList().stream().distinct().filter(endorsingOrganizations::contains).count();
        return matching >= policy.getRequired();
    }

    private static void validate(EndorsementPolicy policy, String field) {
        long distinct = policy.getMspIdsList().stream().distinct().count();
        if (policy.getRequired() < 1 || policy.getRequired() > distinct) {
            throw new IllegalArgumentException(field + " requires " + policy.getRequired() + " of "
                    + distinct + " organisations; it must require between 1 and the number listed");
        }
    }
}
