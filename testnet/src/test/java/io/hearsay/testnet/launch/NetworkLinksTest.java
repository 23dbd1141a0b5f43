package io.hearsay.testnet.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.testnet.spec.NetworkSpec;
import org.junit.jupiter.api.Test;

/**
 * The anchor-peer linking rule on the shipped specs: across organisations only through visible peers, nothing
 * configured within one (discovery links those), and the count of connections a linked peer has at least.
 */
class NetworkLinksTest {

    @Test
    void twoOrganisationsLinkThroughTheirAnchors() {
        NetworkLinks links = NetworkLinks.of(PeerPlan.of(NetworkSpec.defaults()), 4);

        assertThat(links.of("peer0.org1.example.com")).containsExactly("peer0.org2.example.com", "peer1.org2.example.com");
        assertThat(links.of("peer1.org1.example.com")).containsExactly("peer0.org2.example.com");
        assertThat(links.of("peer1.org2.example.com")).containsExactly("peer0.org1.example.com");
        // Discovery keeps min(minDegree, organisation − 1) = 1 neighbour of its own organisation.
        assertThat(links.expected("peer0.org1.example.com")).isEqualTo(3);
        assertThat(links.expected("peer1.org1.example.com")).isEqualTo(2);
    }

    @Test
    void externalEndpointsMakeAPeerVisibleAcrossOrganisations() {
        NetworkLinks links = NetworkLinks.of(PeerPlan.of(NetworkSpec.example("three-orgs-hybrid")), 2);

        // peer2.org3 has an external endpoint, peer3.org1 is neither anchor nor external.
        assertThat(links.of("peer3.org1.example.com")).contains("peer2.org3.example.com", "peer0.org2.example.com",
                "peer1.org2.example.com").doesNotContain("peer2.org2.example.com", "peer3.org2.example.com",
                "peer0.org1.example.com");
        assertThat(links.of("peer2.org2.example.com")).contains("peer2.org3.example.com");
        assertThat(links.expected("peer3.org1.example.com")).isEqualTo(links.of("peer3.org1.example.com").size() + 2);
        links.neighbours().forEach((peer, neighbours) -> neighbours
                .forEach(n -> assertThat(links.of(n)).as("link %s - %s is symmetric", peer, n).contains(peer)));
    }
}
