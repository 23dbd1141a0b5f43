package io.hearsay.peer.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.discovery.anchor.AnchorMessage;
import io.hearsay.discovery.routing.RouteMessage;
import io.hearsay.identity.PkiId;
import io.hearsay.peer.overlay.OverlayCounters.Refusal;
import io.hearsay.peer.wire.OverlayMessage;
import io.hearsay.peer.wire.PeerEndpoints;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Fabric's organisation rules as one peer applies them: who may take part, who may announce for which organisation,
 * who may ask an invisible peer for membership, and which endpoints a peer of another organisation may see or keep.
 */
class OrganizationRulesTest {
    private static final Set<String> CHANNEL = Set.of("Org1MSP", "Org2MSP");
    private static final PkiId PEER = id(1);
    private static final OverlayMessage JOIN = new OverlayMessage.Anchoring(new AnchorMessage.JoinRequest());
    private static final OverlayMessage ATTACH = new OverlayMessage.Anchoring(new AnchorMessage.Attach());
    private static final OverlayMessage HEARTBEAT = new OverlayMessage.Anchoring(new AnchorMessage.Heartbeat());

    private final OrganizationRules anchor = new OrganizationRules("Org1MSP", true, true, CHANNEL);
    private final OrganizationRules invisible = new OrganizationRules("Org1MSP", false, false, CHANNEL);
    private final OrganizationRules visible = new OrganizationRules("Org1MSP", false, true, CHANNEL);

    @Test
    void anOrganisationTheChannelDoesNotKnowIsRefusedWhateverItSends() {
        for (OverlayMessage message : List.of(JOIN, ATTACH, HEARTBEAT,
                new OverlayMessage.Routing(new RouteMessage.Ack(PEER, 1, 1)))) {
            assertThat(anchor.refusal(Optional.of("Org3MSP"), message)).contains(Refusal.FOREIGN_ORGANIZATION);
            assertThat(anchor.refusal(Optional.empty(), message)).contains(Refusal.FOREIGN_ORGANIZATION);
        }
        assertThat(anchor.refusal(Optional.of("Org2MSP"), JOIN)).isEmpty();
    }

    @Test
    void anAnnouncementForAnotherOrganisationThanTheSendersCertificateIsAFalseClaim() {
        OverlayMessage claimsOrg2 = new OverlayMessage.Anchoring(new AnchorMessage.Announcement("Org2MSP", PEER, 1, 1, List.of()));

        assertThat(anchor.refusal(Optional.of("Org1MSP"), claimsOrg2)).contains(Refusal.ANCHOR_ORGANIZATION_MISMATCH);
        assertThat(anchor.refusal(Optional.of("Org2MSP"), claimsOrg2)).isEmpty();
    }

    @Test
    void aPeerWithNoExternalEndpointRefusesMembershipRequestsFromOtherOrganisations() {
        for (OverlayMessage request : List.of(JOIN, ATTACH, HEARTBEAT, new OverlayMessage.Anchoring(new AnchorMessage.Detach()))) {
            assertThat(invisible.refusal(Optional.of("Org2MSP"), request)).contains(Refusal.NOT_VISIBLE);
            assertThat(invisible.refusal(Optional.of("Org1MSP"), request)).isEmpty();
            assertThat(visible.refusal(Optional.of("Org2MSP"), request)).isEmpty();
            assertThat(anchor.refusal(Optional.of("Org2MSP"), request)).isEmpty();
        }
        // Routed payloads are not membership requests: any organisation's anchor may deliver to it.
        assertThat(invisible.refusal(Optional.of("Org2MSP"), new OverlayMessage.Routing(
                new RouteMessage.Route(PEER, 1, id(2), new byte[0], 3, 100)))).isEmpty();
    }

    @Test
    void internalEndpointsStayInTheirOrganisation() {
        PeerEndpoints internalOnly = new PeerEndpoints(PEER, "Org2MSP", "10.0.0.2:7051", "");
        PeerEndpoints both = new PeerEndpoints(PEER, "Org2MSP", "10.0.0.2:7051", "peer.org2.example.com:7051");

        assertThat(internalOnly.isVisibleTo("Org1MSP")).isFalse();
        assertThat(internalOnly.isVisibleTo("Org2MSP")).isTrue();
        assertThat(both.visibleTo("Org1MSP")).isEqualTo(new PeerEndpoints(PEER, "Org2MSP", "", "peer.org2.example.com:7051"));
        assertThat(both.visibleTo("Org2MSP")).isEqualTo(both);
        // Arriving anyway at an Org1 peer: the internal endpoint is discarded, and the leak noticed.
        assertThat(anchor.leaksInternal(both, "Org2MSP")).isTrue();
        assertThat(anchor.admit(both, "Org2MSP")).isEqualTo(both.visibleTo("Org1MSP"));
        assertThat(anchor.leaksInternal(both.visibleTo("Org1MSP"), "Org2MSP")).isFalse();
        PeerEndpoints org1 = new PeerEndpoints(PEER, "Org1MSP", "10.0.0.1:7051", "");
        assertThat(anchor.leaksInternal(org1, "Org1MSP")).isFalse();
        assertThat(anchor.admit(org1, "Org1MSP")).isEqualTo(org1);
        // An Org1 peer's internal endpoint told by an Org2 anchor: Org2 could not have known it legitimately.
        assertThat(anchor.leaksInternal(org1, "Org2MSP")).isTrue();
        assertThat(anchor.admit(org1, "Org2MSP").internalEndpoint()).isEmpty();
    }

    private static PkiId id(int fill) {
        byte[] bytes = new byte[PkiId.LENGTH_BYTES];
        Arrays.fill(bytes, (byte) fill);
        return PkiId.fromBytes(bytes);
    }
}
