package io.hearsay.peer.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearsay.identity.CryptoMaterial;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The roster a node builds from its configured anchors: a spec is accepted only if its certificate is a valid member
 * of the organisation it names and the channel knows that organisation; anything else is refused with a reason,
 * and a configuration with no usable anchor is refused outright with what to do.
 */
class OverlayRosterTest {
    @TempDir
    static Path directory;
    private static OverlayCrypto crypto;

    @BeforeAll
    static void generateCrypto() {
        crypto = new OverlayCrypto(directory);
    }

    @Test
    void specsAreAcceptedOnlyForTheOrganisationTheirCertificateProves() {
        AnchorSpec org1 = spec("Org1MSP", crypto.peer("Org1MSP", 0), 7051);
        AnchorSpec org2 = spec("Org2MSP", crypto.peer("Org2MSP", 0), 7052);
        AnchorSpec org1ClaimingOrg2 = spec("Org2MSP", crypto.peer("Org1MSP", 1), 7053);
        AnchorSpec foreign = spec("Org3MSP", crypto.foreignPeer(), 7054);

        OverlayRoster roster = OverlayRoster.build(List.of(org1, org2, org1ClaimingOrg2, foreign, org1),
                crypto.organizations, OverlayCrypto.CHANNEL_ORGANIZATIONS);

        assertThat(roster.specs()).containsOnlyKeys(org1.pkiId(), org2.pkiId());
        assertThat(roster.roster().isAnchorOf("Org1MSP", org1.pkiId())).isTrue();
        assertThat(roster.roster().isAnchorOf("Org2MSP", org2.pkiId())).isTrue();
        assertThat(roster.roster().isAnchor(org1ClaimingOrg2.pkiId())).isFalse();
        assertThat(roster.refusals()).hasSize(3);
        assertThat(roster.refusals().get(0)).contains("of Org2MSP", "not a valid member of Org2MSP");
        assertThat(roster.refusals().get(1)).contains("Org3MSP is not in the channel configuration");
        assertThat(roster.refusals().get(2)).contains("listed twice");
        assertThat(roster.spec(org2.pkiId())).get().extracting(AnchorSpec::endpoint).isEqualTo("127.0.0.1:7052");
    }

    @Test
    void aConfigurationWithNoUsableAnchorIsRefusedWithWhatToDo() {
        AnchorSpec pretender = spec("Org2MSP", crypto.peer("Org1MSP", 1), 7053);

        assertThatThrownBy(() -> OverlayRoster.build(List.of(pretender), crypto.organizations,
                OverlayCrypto.CHANNEL_ORGANIZATIONS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no usable anchor")
                .hasMessageContaining("name at least one anchor per organisation");
    }

    private static AnchorSpec spec(String mspId, CryptoMaterial.Member member, int port) {
        return new AnchorSpec(mspId, member.signingIdentity().identity().certificate(), "127.0.0.1", port);
    }
}
