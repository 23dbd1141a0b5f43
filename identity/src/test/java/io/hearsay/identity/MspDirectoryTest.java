package io.hearsay.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.hearsay.identity.IdentityException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.api.Test;

/**
 * An organisation accepts exactly the certificates its CA issued, within their validity, fit to sign;
 * every other identity is refused with a reason that names the problem.
 */
class MspDirectoryTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Duration YEAR = Duration.ofDays(365);

    private final SecureRandom random = new SecureRandom(new byte[] {7});
    private final CertificateAuthority org1Ca = CertificateAuthority.create("ca.org1", "org1", NOW.minus(YEAR), YEAR.multipliedBy(2), random);
    private final CertificateAuthority org1TlsCa = CertificateAuthority.create("tlsca.org1", "org1", NOW.minus(YEAR), YEAR.multipliedBy(2), random);
    private final CertificateAuthority org2Ca = CertificateAuthority.create("ca.org2", "org2", NOW.minus(YEAR), YEAR.multipliedBy(2), random);
    private final AtomicReference<Instant> now = new AtomicReference<>(NOW);
    private final MspDirectory directory = new MspDirectory(List.of(
            new OrganizationMsp("Org1MSP", org1Ca.certificate(), org1TlsCa.certificate()),
            new OrganizationMsp("Org2MSP", org2Ca.certificate(), org1TlsCa.certificate())),
            () -> now.get());

    private SigningIdentity member(CertificateAuthority ca, String mspId, Instant notBefore, Duration validity) {
        KeyPair keys = Crypto.newKeyPair(random);
        X509Certificate certificate = ca.issueSigningCertificate("peer0", Role.PEER, keys.getPublic(), notBefore, validity);
        return SigningIdentity.of(mspId, certificate, keys.getPrivate());
    }

    private SigningIdentity validMember() {
        return member(org1Ca, "Org1MSP", NOW.minus(Duration.ofDays(1)), YEAR);
    }

    private static void assertRefused(ThrowingCallable call, Reason reason, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(IdentityException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    @Test
    void memberIssuedByItsOrganisationsCaValidatesAndItsSignatureVerifies() {
        SigningIdentity peer = validMember();
        byte[] message = "hello".getBytes(StandardCharsets.UTF_8);
        Identity verified = directory.verify(peer.identity().serialized(), message, peer.sign(message));
        assertThat(verified.mspId()).isEqualTo("Org1MSP");
        assertThat(verified.role()).contains(Role.PEER);
        assertThat(verified.pkiId()).isEqualTo(peer.pkiId());
    }

    @Test
    void pkiIdIsSha256OfMspIdAndCertificateBytes() {
        SigningIdentity peer = validMember();
        byte[] expected = Hashes.sha256("Org1MSP".getBytes(StandardCharsets.UTF_8), Pem.encodeCertificate(peer.identity().certificate()));
        assertThat(peer.pkiId().toBytes()).isEqualTo(expected);
    }

    @Test
    void serialisedIdentityKeepsItsExactBytes() throws Exception {
        SigningIdentity peer = validMember();
        ByteString bytes = peer.identity().serialized();
        assertThat(Identity.parse(bytes).serialized()).isEqualTo(bytes);
        assertThat(SerializedIdentity.parseFrom(bytes).getIdBytes().toStringUtf8()).startsWith("-----BEGIN CERTIFICATE-----\n");
    }

    @Test
    void unknownOrganisationIsRefused() {
        SigningIdentity stranger = member(org1Ca, "Org9MSP", NOW.minus(Duration.ofDays(1)), YEAR);
        assertRefused(() -> directory.validate(stranger.identity().serialized()), Reason.UNKNOWN_ORGANIZATION, "Org9MSP");
    }

    @Test
    void certificateFromAnotherOrganisationsCaIsRefused() {
        SigningIdentity impostor = member(org2Ca, "Org1MSP", NOW.minus(Duration.ofDays(1)), YEAR);
        assertRefused(() -> directory.validate(impostor.identity().serialized()), Reason.FOREIGN_CA, "not by the signing CA of Org1MSP");
    }

    @Test
    void certificateFromACaThatOnlyCopiesTheIssuerNameIsRefused() {
        CertificateAuthority lookalike = CertificateAuthority.create("ca.org1", "org1", NOW.minus(YEAR), YEAR.multipliedBy(2), random);
        SigningIdentity forged = member(lookalike, "Org1MSP", NOW.minus(Duration.ofDays(1)), YEAR);
        assertRefused(() -> directory.validate(forged.identity().serialized()), Reason.FOREIGN_CA, "was not signed by it");
    }

    @Test
    void expiredCertificateIsRefused() {
        SigningIdentity old = member(org1Ca, "Org1MSP", NOW.minus(Duration.ofDays(30)), Duration.ofDays(10));
        assertRefused(() -> directory.validate(old.identity().serialized()), Reason.EXPIRED, "expired at");
    }

    @Test
    void notYetValidCertificateIsRefused() {
        SigningIdentity future = member(org1Ca, "Org1MSP", NOW.plus(Duration.ofDays(3)), YEAR);
        assertRefused(() -> directory.validate(future.identity().serialized()), Reason.NOT_YET_VALID, "not valid before");
    }

    @Test
    void cachedIdentityStopsValidatingOnceItExpires() {
        SigningIdentity peer = member(org1Ca, "Org1MSP", NOW.minus(Duration.ofDays(1)), Duration.ofDays(2));
        directory.validate(peer.identity().serialized());
        now.set(NOW.plus(Duration.ofDays(5)));
        assertRefused(() -> directory.validate(peer.identity().serialized()), Reason.EXPIRED, "expired");
    }

    @Test
    void malformedIdentityBytesAreRefused() {
        assertRefused(() -> directory.validate(ByteString.copyFromUtf8("\u00ff\u00ff not protobuf")), Reason.MALFORMED_IDENTITY, "msp.SerializedIdentity");
        assertRefused(() -> directory.validate(SerializedIdentity.newBuilder().setMspid("Org1MSP").build().toByteString()),
                Reason.MALFORMED_IDENTITY, "no certificate");
    }

    @Test
    void malformedPemIsRefused() {
        ByteString notPem = SerializedIdentity.newBuilder().setMspid("Org1MSP")
                .setIdBytes(ByteString.copyFromUtf8("just some text")).build().toByteString();
        assertRefused(() -> directory.validate(notPem), Reason.MALFORMED_PEM, "BEGIN CERTIFICATE");
        ByteString truncated = SerializedIdentity.newBuilder().setMspid("Org1MSP")
                .setIdBytes(ByteString.copyFromUtf8("-----BEGIN CERTIFICATE-----\nMIIB")).build().toByteString();
        assertRefused(() -> directory.validate(truncated), Reason.MALFORMED_PEM, "PEM certificate");
    }

    @Test
    void malformedDerIsRefused() {
        byte[] pem = Pem.encode("CERTIFICATE", new byte[] {0x30, 0x03, 0x02, 0x01, 0x01});
        ByteString badDer = SerializedIdentity.newBuilder().setMspid("Org1MSP").setIdBytes(ByteString.copyFrom(pem)).build().toByteString();
        assertRefused(() -> directory.validate(badDer), Reason.MALFORMED_DER, "cannot be parsed");
    }

    @Test
    void certificateWithAKeyOnAnotherCurveIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        X509Certificate certificate = org1Ca.issueSigningCertificate("p384", Role.PEER,
                generator.generateKeyPair().getPublic(), NOW.minus(Duration.ofDays(1)), YEAR);
        assertRefused(() -> directory.validate(serialise("Org1MSP", certificate)), Reason.WRONG_CURVE, "P-256");
    }

    @Test
    void certificateWithAnRsaKeyIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        X509Certificate certificate = org1Ca.issueSigningCertificate("rsa", Role.PEER,
                generator.generateKeyPair().getPublic(), NOW.minus(Duration.ofDays(1)), YEAR);
        assertRefused(() -> directory.validate(serialise("Org1MSP", certificate)), Reason.WRONG_KEY_TYPE, "RSA");
    }

    @Test
    void certificateThatMayNotSignIsRefused() throws Exception {
        PublicKey key = Crypto.newKeyPair(random).getPublic();
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                X500Name.getInstance(org1Ca.certificate().getSubjectX500Principal().getEncoded()), java.math.BigInteger.TEN,
                Date.from(NOW.minus(Duration.ofDays(1))), Date.from(NOW.plus(YEAR)), new X500Name("CN=encipher-only"), key)
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyEncipherment))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(org1Ca.privateKey())));
        assertRefused(() -> directory.validate(serialise("Org1MSP", certificate)), Reason.BAD_KEY_USAGE, "digitalSignature");
    }

    @Test
    void nonCaCertificateCannotBeAnOrganisationsCa() {
        X509Certificate leaf = validMember().identity().certificate();
        assertRefused(() -> new OrganizationMsp("OrgXMSP", leaf, org1TlsCa.certificate()), Reason.NOT_A_CA, "not a CA");
    }

    @Test
    void signingIdentityWithAMismatchedKeyIsRefused() {
        X509Certificate certificate = validMember().identity().certificate();
        assertRefused(() -> SigningIdentity.of("Org1MSP", certificate, Crypto.newKeyPair(random).getPrivate()),
                Reason.WRONG_KEY_TYPE, "does not belong");
    }

    @Test
    void aCachedIdentityIsFoundFromAnyBufferHoldingItsBytes() {
        SigningIdentity peer = validMember();
        ByteString bytes = peer.identity().serialized();
        Identity first = directory.validate(bytes);
        // The same bytes as a view into a larger buffer, as a parsed transaction hands them over.
        ByteString view = ByteString.copyFromUtf8("prefix").concat(bytes).concat(ByteString.copyFromUtf8("suffix"))
                .substring(6, 6 + bytes.size());
        assertThat(directory.validate(view)).isSameAs(first);
        assertThat(directory.validate(ByteString.copyFrom(bytes.toByteArray()))).isSameAs(first);
        assertThat(first.serialized()).isEqualTo(bytes);
    }

    @Test
    void bytesThatDifferFromACachedIdentityAreValidatedAsThemselves() {
        SigningIdentity peer = validMember();
        assertThat(directory.validate(peer.identity().serialized()).mspId()).isEqualTo("Org1MSP");
        // Same length, same certificate, another organisation: must not be taken for the cached identity.
        ByteString claimsOrg2 = serialise("Org2MSP", peer.identity().certificate());
        assertThat(claimsOrg2.size()).isEqualTo(peer.identity().serialized().size());
        assertRefused(() -> directory.validate(claimsOrg2), Reason.FOREIGN_CA, "not by the signing CA of Org2MSP");
        assertThat(directory.validate(peer.identity().serialized()).mspId()).isEqualTo("Org1MSP");
    }

    @Test
    void theCacheKeepsAtMostItsBoundAndStillAnswersRightWhenFull() {
        MspDirectory small = new MspDirectory(List.of(new OrganizationMsp("Org1MSP", org1Ca.certificate(),
                org1TlsCa.certificate())), () -> now.get(), 3);
        List<SigningIdentity> members = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            members.add(validMember());
        }
        for (int round = 0; round < 2; round++) {
            for (SigningIdentity member : members) {
                assertThat(small.validate(member.identity().serialized()).pkiId()).isEqualTo(member.pkiId());
                assertThat(small.cachedIdentities()).isBetween(1, 3);
            }
        }
        assertThatThrownBy(() -> new MspDirectory(List.of(), () -> now.get(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }

    @Test
    void threadsValidatingTheSameIdentitiesAtOnceAllGetTheRightAnswer() throws Exception {
        List<SigningIdentity> members = List.of(validMember(), validMember(), member(org2Ca, "Org2MSP",
                NOW.minus(Duration.ofDays(1)), YEAR));
        SigningIdentity impostor = member(org2Ca, "Org1MSP", NOW.minus(Duration.ofDays(1)), YEAR);
        int threads = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    int checked = 0;
                    for (int i = 0; i < 300; i++) {
                        SigningIdentity member = members.get(i % members.size());
                        assertThat(directory.validate(member.identity().serialized()).pkiId()).isEqualTo(member.pkiId());
                        assertRefused(() -> directory.validate(impostor.identity().serialized()), Reason.FOREIGN_CA, "Org1MSP");
                        checked++;
                    }
                    return checked;
                }));
            }
            for (java.util.concurrent.Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(300);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fingerprintDependsOnTheBytesOnlyNotOnWhereTheyLie() {
        ByteString bytes = validMember().identity().serialized();
        ByteString view = ByteString.copyFromUtf8("xyz").concat(bytes).substring(3);
        assertThat(MspDirectory.fingerprint(view)).isEqualTo(MspDirectory.fingerprint(bytes));
        assertThat(MspDirectory.fingerprint(bytes.substring(0, bytes.size() - 1)))
                .isNotEqualTo(MspDirectory.fingerprint(bytes));
        byte[] flipped = bytes.toByteArray();
        flipped[flipped.length / 2] ^= 1;
        assertThat(MspDirectory.fingerprint(ByteString.copyFrom(flipped))).isNotEqualTo(MspDirectory.fingerprint(bytes));
        assertThat(MspDirectory.fingerprint(ByteString.EMPTY)).isNotEqualTo(MspDirectory.fingerprint(ByteString.copyFrom(new byte[1])));
    }

    private static ByteString serialise(String mspId, X509Certificate certificate) {
        return SerializedIdentity.newBuilder().setMspid(mspId)
                .setIdBytes(ByteString.copyFrom(Pem.encodeCertificate(certificate))).build().toByteString();
    }
}
