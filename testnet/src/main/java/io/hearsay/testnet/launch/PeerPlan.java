package io.hearsay.testnet.launch;

import io.hearsay.testnet.spec.NetworkSpec;
import io.hearsay.testnet.spec.OrganizationSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * One peer of a spec, before it runs: its name, organisation, place in the port layout and role.
 *
 * @param networkIndex its position counting every organisation's peers in spec order (the port layout's k)
 * @param organizationIndex its index within its organisation ({@code peer<i>.<domain>})
 * @param visible whether other organisations link to it: an anchor, or a peer with an external endpoint
 */
public record PeerPlan(String name, String mspId, int networkIndex, int organizationIndex, boolean visible) {

    /** Every peer of {@code spec}, organisations in order. */
    public static List<PeerPlan> of(NetworkSpec spec) {
        List<PeerPlan> plans = new ArrayList<>();
        for (OrganizationSpec organization : spec.organizations()) {
            for (int i = 0; i < organization.peers(); i++) {
                boolean visible = organization.isAnchor(i) || organization.externalEndpoints().containsKey(i);
                plans.add(new PeerPlan(organization.peerName(i), organization.mspId(), plans.size(), i, visible));
            }
        }
        return List.copyOf(plans);
    }
}
