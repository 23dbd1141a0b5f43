package io.hearsay.identity;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed ECDSA P-256 certificate authority that issues an organisation's signing or TLS
 * certificates. One CA certifies directly (no intermediates), which is what Fabric's cryptogen does.
 */
public final class CertificateAuthority {
    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final SecureRandom random;

    public CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, SecureRandom random) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.random = random;
    }

    /** A new self-signed CA, valid from {@code notBefore} for {@code validity}. */
    public static CertificateAuthority create(
            String commonName, String organization, Instant notBefore, Duration validity, SecureRandom random) {
        KeyPair keys = Crypto.newKeyPair(random);
        X500Name subject = name(commonName, organization, null);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(random),
                    Date.from(notBefore), Date.from(notBefore.plus(validity)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign
                            | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate certificate = sign(builder, keys.getPrivate());
            return new CertificateAuthority(certificate, keys.getPrivate(), random);
        } catch (java.security.NoSuchAlgorithmException | CertIOException e) {
            throw new IllegalStateException("CA certificate cannot be built: " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** A certificate for signing (transactions, endorsements, blocks, gossip messages). */
    public X509Certificate issueSigningCertificate(
            String commonName, Role role, PublicKey subjectKey, Instant notBefore, Duration validity) {
        return issue(commonName, role, subjectKey, notBefore, validity,
                new KeyUsage(KeyUsage.digitalSignature), null, List.of());
    }

    /**
     * A TLS certificate usable as server and client (mutual TLS between peers), with subject alternative
     * names for {@code localhost}, {@code 127.0.0.1} and each given host name.
     */
    public X509Certificate issueTlsCertificate(
            String commonName, PublicKey subjectKey, List<String> hostNames, Instant notBefore, Duration validity) {
        List<String> names = new ArrayList<>(List.of(commonName, "localhost", "127.0.0.1"));
        hostNames.stream().filter(host -> !names.contains(host)).forEach(names::add);
        return issue(commonName, null, subjectKey, notBefore, validity,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment),
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}),
                names);
    }

    private X509Certificate issue(String commonName, Role role, PublicKey subjectKey, Instant notBefore,
            Duration validity, KeyUsage keyUsage, ExtendedKeyUsage extendedKeyUsage, List<String> alternativeNames) {
        X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        String organization = issuer.getRDNs(BCStyle.O).length > 0
                ? issuer.getRDNs(BCStyle.O)[0].getFirst().getValue().toString() : null;
        X500Name subject = name(commonName, organization, role);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial(random),
                    Date.from(notBefore), Date.from(notBefore.plus(validity)), subject, subjectKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, keyUsage)
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(certificate));
            if (extendedKeyUsage != null) {
                builder.addExtension(Extension.extendedKeyUsage, false, extendedKeyUsage);
            }
            if (!alternativeNames.isEmpty()) {
                GeneralName[] names = alternativeNames.stream().map(CertificateAuthority::generalName)
                        .toArray(GeneralName[]::new);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            return sign(builder, privateKey);
        } catch (java.security.NoSuchAlgorithmException | CertIOException | CertificateException e) {
            throw new IllegalStateException("certificate cannot be built: " + e.getMessage(), e);
        }
    }

    private static GeneralName generalName(String host) {
        boolean ipAddress = host.matches("[0-9.]+") || host.contains(":");
        return new GeneralName(ipAddress ? GeneralName.iPAddress : GeneralName.dNSName, host);
    }

    private static X500Name name(String commonName, String organization, Role role) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        if (organization != null) {
            builder.addRDN(BCStyle.O, organization);
        }
        if (role != null) {
            builder.addRDN(BCStyle.OU, role.organizationalUnit());
        }
        builder.addRDN(BCStyle.CN, commonName);
        return builder.build();
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(128, random);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Crypto.provider()).build(key);
            return new JcaX509CertificateConverter().setProvider(Crypto.provider()).getCertificate(builder.build(signer));
        } catch (OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("certificate cannot be signed: " + e.getMessage(), e);
        }
    }
}
