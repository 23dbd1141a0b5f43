package io.hearsay.identity;

import io.hearsay.identity.IdentityException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * PEM in and out. Certificates are written exactly as Bouncy Castle's PEM writer (and so the Fabric
 * Gateway SDK) writes them — 64-column base64, {@code \n} line ends — because the serialised identity
 * bytes that signatures and transaction ids cover are these very bytes.
 */
public final class Pem {
    private static final Base64.Encoder BASE64_64_COLUMNS =
            Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private Pem() {}

    public static byte[] encodeCertificate(X509Certificate certificate) {
        try {
            return encode("CERTIFICATE", certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IdentityException(Reason.MALFORMED_DER, "certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /** PKCS#8 "PRIVATE KEY", the form Fabric's cryptogen writes to {@code keystore/priv_sk}. */
    public static byte[] encodePrivateKey(PrivateKey key) {
        return encode("PRIVATE KEY", key.getEncoded());
    }

    static byte[] encode(String type, byte[] der) {
        String body = BASE64_64_COLUMNS.encodeToString(der);
        String text = "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Parses one PEM certificate. */
    public static X509Certificate decodeCertificate(byte[] pem) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IdentityException(Reason.MALFORMED_PEM,
                    "not a PEM certificate: expected a '-----BEGIN CERTIFICATE-----' block");
        }
        PemObject object;
        try (PemReader reader = new PemReader(new StringReader(text))) {
            object = reader.readPemObject();
        } catch (IOException | RuntimeException e) {
            throw new IdentityException(Reason.MALFORMED_PEM, "PEM certificate cannot be read: " + e.getMessage(), e);
        }
        if (object == null || !"CERTIFICATE".equals(object.getType())) {
            throw new IdentityException(Reason.MALFORMED_PEM, "PEM certificate block is empty, truncated or of another type");
        }
        return decodeCertificateDer(object.getContent());
    }

    /** Parses one DER certificate. */
    public static X509Certificate decodeCertificateDer(byte[] der) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw new IdentityException(Reason.MALFORMED_DER, "certificate DER cannot be parsed: " + e.getMessage(), e);
        }
    }

    /** Parses a PEM private key, PKCS#8 ("PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"). */
    public static PrivateKey decodePrivateKey(byte[] pem) {
        try (PEMParser parser = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(Crypto.provider());
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new IdentityException(Reason.MALFORMED_PEM, "not a PEM private key: expected a "
                    + "'-----BEGIN PRIVATE KEY-----' or '-----BEGIN EC PRIVATE KEY-----' block");
        } catch (IOException | RuntimeException e) {
            if (e instanceof IdentityException identityException) {
                throw identityException;
            }
            throw new IdentityException(Reason.MALFORMED_PEM, "PEM private key cannot be read: " + e.getMessage(), e);
        }
    }
}
