package io.hearsay.testnet.spec;

import io.hearsay.proto.EndorsementPolicy;
import java.util.HashSet;
import java.util.List;

/**
 * "At least {@code required} of these organisations must endorse." In a spec file either a mapping
 * {@code {required: 2, organizations: [Org1MSP, Org2MSP]}} (organisations default to all peer organisations) or
 * one of the words {@code any}, {@code majority}, {@code all} over all peer organisations.
 */
public record EndorsementPolicySpec(int required, List<String> organizations) {
    public EndorsementPolicySpec {
        organizations = List.copyOf(organizations);
        if (organizations.isEmpty()) {
            throw new SpecException("organizations", "must name at least one organisation");
        }
        if (new HashSet<>(organizations).size() != organizations.size()) {
            throw new SpecException("organizations", "names an organisation twice: " + organizations);
        }
        SpecException.checkRange("required", required, 1, organizations.size());
    }

    public static EndorsementPolicySpec any(List<String> organizations) {
        return new EndorsementPolicySpec(1, organizations);
    }

    public static EndorsementPolicySpec majority(List<String> organizations) {
        return new EndorsementPolicySpec(organizations.size() / 2 + 1, organizations);
    }

    public static EndorsementPolicySpec all(List<String> organizations) {
        return new EndorsementPolicySpec(organizations.size(), organizations);
    }

    public EndorsementPolicy toProto() {
        return EndorsementPolicy.newBuilder().setRequired(required).addAllMspIds(organizations).build();
    }

    @Override
    public String toString() {
        return required + " of " + String.join(", ", organizations);
    }
}
