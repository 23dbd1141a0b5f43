package io.hearsay.testnet.spec;

import io.hearsay.identity.OrgSpec;
import java.util.Objects;

/**
 * The (solo) orderer and its organisation.
 *
 * @param mspId the orderer organisation's MSP id. Default {@code OrdererMSP}.
 * @param domain its DNS domain; the orderer is {@code orderer0.<domain>}. Default {@code example.com}.
 * @param batch when it cuts blocks. Default {@link BatchSpec#defaults()}.
 */
public record OrdererSpec(String mspId, String domain, BatchSpec batch) {
    public OrdererSpec {
        OrganizationSpec.checkMspId("mspId", mspId);
        OrganizationSpec.checkDomain("domain", domain);
        Objects.requireNonNull(batch, "batch");
    }

    public static OrdererSpec defaults() {
        return new OrdererSpec("OrdererMSP", "example.com", BatchSpec.defaults());
    }

    /** The orderer's host name and TLS server name. */
    public String ordererName() {
        return "orderer0." + domain;
    }

    public OrgSpec cryptoSpec() {
        return OrgSpec.orderers(mspId, domain, 1);
    }
}
