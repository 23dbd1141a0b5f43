package io.hearsay.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates the crypto material of a network in the spirit of Fabric's {@code cryptogen}: per organisation
 * a signing CA and a TLS CA (ECDSA P-256, self-signed), and signing plus TLS certificates for its nodes,
 * its admin and its client users, written as PEM in Fabric's folder layout:
 *
 * <pre>
 * peerOrganizations/org1.example.com/
 *   ca/ca.org1.example.com-cert.pem, priv_sk          tlsca/tlsca.org1.example.com-cert.pem, priv_sk
 *   msp/cacerts/…  msp/tlscacerts/…
 *   peers/peer0.org1.example.com/msp/{signcerts,keystore,cacerts,tlscacerts}/
 *   peers/peer0.org1.example.com/tls/{ca.crt,server.crt,server.key}
 *   users/Admin@org1.example.com/msp/…   users/User1@org1.example.com/{msp,tls/{ca.crt,client.crt,client.key}}
 * </pre>
 *
 * so the Fabric Gateway SDK loads a client identity from it unchanged.
 */
public final class CryptoGen {
    /** Validity of generated certificates: long enough for any test network, as cryptogen's ten years. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(3650);

    private final SecureRandom random;
    private final Instant notBefore;
    private final Duration validity;

    public CryptoGen(SecureRandom random, Instant notBefore, Duration validity) {
        this.random = random;
        this.notBefore = notBefore;
        this.validity = validity;
    }

    /** Certificates valid from a minute ago (tolerates clock skew between processes) for ten years. */
    public static CryptoGen withDefaults() {
        return new CryptoGen(new SecureRandom(), Instant.now().minus(Duration.ofMinutes(1)), DEFAULT_VALIDITY);
    }

    /** Generates every organisation's material under {@code root} and returns what was written. */
    public CryptoMaterial generate(Path root, List<OrgSpec> organizations) {
        List<CryptoMaterial.Organization> generated = new ArrayList<>();
        for (OrgSpec spec : organizations) {
            generated.add(generate(root, spec));
        }
        return new CryptoMaterial(root, generated);
    }

    private CryptoMaterial.Organization generate(Path root, OrgSpec spec) {
        Path orgDirectory = CryptoMaterial.organizationDirectory(root, spec);
        String domain = spec.domain();
        CertificateAuthority ca = CertificateAuthority.create("ca." + domain, domain, notBefore, validity, random);
        CertificateAuthority tlsCa = CertificateAuthority.create("tlsca." + domain, domain, notBefore, validity, random);
        String caFile = "ca." + domain + "-cert.pem";
        String tlsCaFile = "tlsca." + domain + "-cert.pem";
        write(orgDirectory.resolve("ca").resolve(caFile), Pem.encodeCertificate(ca.certificate()));
        write(orgDirectory.resolve("ca").resolve("priv_sk"), Pem.encodePrivateKey(ca.privateKey()));
        write(orgDirectory.resolve("tlsca").resolve(tlsCaFile), Pem.encodeCertificate(tlsCa.certificate()));
        write(orgDirectory.resolve("tlsca").resolve("priv_sk"), Pem.encodePrivateKey(tlsCa.privateKey()));
        writeCaFolders(orgDirectory.resolve("msp"), ca, tlsCa, caFile, tlsCaFile);

        List<CryptoMaterial.Member> nodes = new ArrayList<>();
        for (int i = 0; i < spec.nodeCount(); i++) {
            String name = spec.nodeName(i);
            Path directory = orgDirectory.resolve(spec.kind().nodesFolder).resolve(name);
            nodes.add(member(spec, name, spec.kind().nodeRole, directory, "server", ca, tlsCa, caFile, tlsCaFile));
        }
        List<CryptoMaterial.Member> users = new ArrayList<>();
        String admin = "Admin@" + domain;
        users.add(member(spec, admin, Role.ADMIN, orgDirectory.resolve("users").resolve(admin), "client",
                ca, tlsCa, caFile, tlsCaFile));
        for (int i = 1; i <= spec.userCount(); i++) {
            String user = "User" + i + "@" + domain;
            users.add(member(spec, user, Role.CLIENT, orgDirectory.resolve("users").resolve(user), "client",
                    ca, tlsCa, caFile, tlsCaFile));
        }
        OrganizationMsp msp = new OrganizationMsp(spec.mspId(), ca.certificate(), tlsCa.certificate());
        return new CryptoMaterial.Organization(spec, orgDirectory, msp, nodes, users);
    }

    private CryptoMaterial.Member member(OrgSpec spec, String name, Role role, Path directory, String tlsName,
            CertificateAuthority ca, CertificateAuthority tlsCa, String caFile, String tlsCaFile) {
        KeyPair signingKeys = Crypto.newKeyPair(random);
        X509Certificate signing = ca.issueSigningCertificate(name, role, signingKeys.getPublic(), notBefore, validity);
        Path msp = directory.resolve("msp");
        writeCaFolders(msp, ca, tlsCa, caFile, tlsCaFile);
        write(msp.resolve("signcerts").resolve(name + "-cert.pem"), Pem.encodeCertificate(signing));
        write(msp.resolve("keystore").resolve("priv_sk"), Pem.encodePrivateKey(signingKeys.getPrivate()));

        KeyPair tlsKeys = Crypto.newKeyPair(random);
        List<String> hosts = role == Role.PEER || role == Role.ORDERER ? spec.hostNames() : List.of();
        X509Certificate tls = tlsCa.issueTlsCertificate(name, tlsKeys.getPublic(), hosts, notBefore, validity);
        Path tlsDirectory = directory.resolve("tls");
        write(tlsDirectory.resolve("ca.crt"), Pem.encodeCertificate(tlsCa.certificate()));
        write(tlsDirectory.resolve(tlsName + ".crt"), Pem.encodeCertificate(tls));
        write(tlsDirectory.resolve(tlsName + ".key"), Pem.encodePrivateKey(tlsKeys.getPrivate()));
        return new CryptoMaterial.Member(name, role,
                SigningIdentity.of(spec.mspId(), signing, signingKeys.getPrivate()), msp,
                tlsDirectory.resolve(tlsName + ".crt"), tlsDirectory.resolve(tlsName + ".key"),
                tlsDirectory.resolve("ca.crt"));
    }

    private static void writeCaFolders(Path msp, CertificateAuthority ca, CertificateAuthority tlsCa,
            String caFile, String tlsCaFile) {
        write(msp.resolve("cacerts").resolve(caFile), Pem.encodeCertificate(ca.certificate()));
        write(msp.resolve("tlscacerts").resolve(tlsCaFile), Pem.encodeCertificate(tlsCa.certificate()));
    }

    private static void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
