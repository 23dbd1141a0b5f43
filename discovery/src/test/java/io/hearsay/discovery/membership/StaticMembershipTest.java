package io.hearsay.discovery.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearsay.identity.PkiId;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Static membership answers from the shared directory and refuses inconsistent topologies. */
class StaticMembershipTest {
    private static PkiId peer(int i) {
        return PkiId.of("Org1MSP", ("peer" + i).getBytes(StandardCharsets.UTF_8));
    }

    private final TreeMap<PkiId, String> directory = new TreeMap<>();

    StaticMembershipTest() {
        directory.put(peer(0), "Org1MSP");
        directory.put(peer(1), "Org1MSP");
        directory.put(peer(2), "Org2MSP");
    }

    @Test
    void answersNeighboursInIdOrderAndOrganisations() {
        TreeSet<PkiId> neighbours = new TreeSet<>(java.util.List.of(peer(2), peer(1)));
        StaticMembership membership = new StaticMembership(peer(0), PeerSet.of(neighbours), directory);
        assertThat(membership.neighbours().toList()).containsExactlyElementsOf(neighbours);
        assertThat(membership.organization(peer(2))).contains("Org2MSP");
        assertThat(membership.organization(peer(9))).isEmpty();
    }

    @Test
    void refusesSelfAsNeighbourAndUnknownPeers() {
        assertThatThrownBy(() -> new StaticMembership(peer(0), PeerSet.of(java.util.List.of(peer(0))), directory))
                .hasMessageContaining("own neighbour");
        assertThatThrownBy(() -> new StaticMembership(peer(0), PeerSet.of(java.util.List.of(peer(7))), directory))
                .hasMessageContaining("no organisation for neighbour");
        assertThatThrownBy(() -> new StaticMembership(peer(8), PeerSet.empty(), directory))
                .hasMessageContaining("no organisation for");
    }
}
