package io.hearsay.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signer;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator writes Fabric's folder layout, the official Gateway SDK loads a client from it unchanged,
 * and what the SDK signs validates against the organisation that was generated.
 */
class CryptoGenTest {
    private static final Instant NOW = Instant.now();

    @TempDir
    static Path root;

    static CryptoMaterial material;

    @BeforeAll
    static void generate() {
        CryptoGen generator = new CryptoGen(new SecureRandom(), NOW.minus(Duration.ofMinutes(1)), Duration.ofDays(30));
        material = generator.generate(root, List.of(
                new OrgSpec("Org1MSP", "org1.example.com", OrgSpec.Kind.PEER, 2, 1, List.of("peer.example.net")),
                OrgSpec.peers("Org2MSP", "org2.example.com", 1),
                OrgSpec.orderers("OrdererMSP", "example.com", 1)));
    }

    private MspDirectory directory() {
        return new MspDirectory(material.msps(), Instant::now);
    }

    @Test
    void writesFabricFolderLayout() {
        Path org1 = root.resolve("peerOrganizations/org1.example.com");
        for (String file : List.of(
                "ca/ca.org1.example.com-cert.pem", "ca/priv_sk", "tlsca/tlsca.org1.example.com-cert.pem",
                "msp/cacerts/ca.org1.example.com-cert.pem", "msp/tlscacerts/tlsca.org1.example.com-cert.pem",
                "peers/peer1.org1.example.com/msp/signcerts/peer1.org1.example.com-cert.pem",
                "peers/peer1.org1.example.com/msp/keystore/priv_sk",
                "peers/peer1.org1.example.com/tls/server.crt", "peers/peer1.org1.example.com/tls/server.key",
                "peers/peer1.org1.example.com/tls/ca.crt",
                "users/Admin@org1.example.com/msp/signcerts/Admin@org1.example.com-cert.pem",
                "users/User1@org1.example.com/tls/client.crt")) {
            assertThat(org1.resolve(file)).as(file).isRegularFile();
        }
        assertThat(root.resolve("ordererOrganizations/example.com/orderers/orderer0.example.com/msp/keystore/priv_sk")).isRegularFile();
    }

    @Test
    void everyMemberValidatesInItsOrganisationWithItsRole() {
        MspDirectory directory = directory();
        for (CryptoMaterial.Organization organization : material.organizations()) {
            for (CryptoMaterial.Member member : organization.nodes()) {
                Identity identity = directory.validate(member.signingIdentity().identity().serialized());
                assertThat(identity.mspId()).isEqualTo(organization.mspId());
                assertThat(identity.role()).contains(member.role());
            }
            assertThat(directory.validate(organization.admin().signingIdentity().identity().serialized()).role()).contains(Role.ADMIN);
        }
    }

    @Test
    void tlsCertificatesNameLocalhostLoopbackAndExtraHosts() throws Exception {
        CryptoMaterial.Member peer = material.organization("Org1MSP").nodes().get(0);
        X509Certificate tls = Pem.decodeCertificate(Files.readAllBytes(peer.tlsCertificate()));
        List<String> names = tls.getSubjectAlternativeNames().stream().map(entry -> entry.get(1).toString()).toList();
        assertThat(names).contains("peer0.org1.example.com", "localhost", "127.0.0.1", "peer.example.net");
        material.organization("Org1MSP").msp().validateTlsCertificate(tls, Instant.now());
        assertThatThrownBy(() -> material.organization("Org2MSP").msp().validateTlsCertificate(tls, Instant.now()))
                .isInstanceOf(IdentityException.class);
    }

    @Test
    void gatewaySdkLoadsTheClientAndItsSignaturesVerify() throws Exception {
        CryptoMaterial.Member user = material.organization("Org1MSP").users().get(1);
        Path msp = user.mspDirectory();
        X509Certificate certificate;
        try (var reader = Files.newBufferedReader(msp.resolve("signcerts/User1@org1.example.com-cert.pem"))) {
            certificate = Identities.readX509Certificate(reader);
        }
        Signer signer;
        try (var reader = Files.newBufferedReader(msp.resolve("keystore/priv_sk"))) {
            signer = Signers.newPrivateKeySigner(Identities.readPrivateKey(reader));
        }
        X509Identity sdkIdentity = new X509Identity("Org1MSP", certificate);
        byte[] message = "proposal bytes".getBytes(StandardCharsets.UTF_8);
        byte[] digest = Hashes.sha256(message);
        byte[] signature = signer.sign(digest);

        // The SDK serialises the creator exactly as we do, so transaction ids and signatures agree.
        Identity ours = user.signingIdentity().identity();
        assertThat(sdkIdentity.getCredentials()).isEqualTo(ours.certificatePem());
        directory().verify(ours.serialized(), message, signature);
    }

    @Test
    void loadReadsBackWhatWasGenerated() {
        CryptoMaterial loaded = CryptoMaterial.load(root, material.organizations().stream()
                .map(CryptoMaterial.Organization::spec).toList());
        for (CryptoMaterial.Organization organization : material.organizations()) {
            CryptoMaterial.Organization again = loaded.organization(organization.mspId());
            assertThat(again.nodes()).hasSameSizeAs(organization.nodes());
            for (int i = 0; i < organization.nodes().size(); i++) {
                assertThat(again.nodes().get(i).signingIdentity().pkiId())
                        .isEqualTo(organization.nodes().get(i).signingIdentity().pkiId());
            }
            assertThat(again.msp().caCertificate()).isEqualTo(organization.msp().caCertificate());
        }
    }

    @Test
    void invalidSpecsNameTheField() {
        assertThatThrownBy(() -> OrgSpec.peers("Org 1", "org1.example.com", 1)).hasMessageContaining("mspId");
        assertThatThrownBy(() -> OrgSpec.peers("Org1MSP", "Org1.Example", 1)).hasMessageContaining("domain");
        assertThatThrownBy(() -> OrgSpec.peers("Org1MSP", "org1.example.com", 0)).hasMessageContaining("nodeCount");
    }
}
