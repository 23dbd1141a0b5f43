package io.hearsay.identity;

import io.hearsay.identity.IdentityException.Reason;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;

/**
 * What a channel knows of one organisation: its MSP id and the CAs that vouch for its members. It decides
 * whether a certificate belongs to the organisation.
 */
public final class OrganizationMsp {
    // KeyUsage bit positions (RFC 5280 4.2.1.3).
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_CERT_SIGN = 5;

    private final String mspId;
    private final X509Certificate caCertificate;
    private final X509Certificate tlsCaCertificate;

    public OrganizationMsp(String mspId, X509Certificate caCertificate, X509Certificate tlsCaCertificate) {
        this.mspId = Objects.requireNonNull(mspId, "mspId");
        this.caCertificate = requireCa(caCertificate, mspId + " CA");
        this.tlsCaCertificate = requireCa(tlsCaCertificate, mspId + " TLS CA");
    }

    public String mspId() {
        return mspId;
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    public X509Certificate tlsCaCertificate() {
        return tlsCaCertificate;
    }

    /**
     * Checks that {@code certificate} was issued by this organisation's signing CA, is valid at
     * {@code now} and may sign.
     *
     * @throws IdentityException naming the first check that failed
     */
    public void validateSigningCertificate(X509Certificate certificate, Instant now) {
        validate(certificate, caCertificate, "signing", now);
        boolean[] usage = certificate.getKeyUsage();
        if (usage != null && !usage[DIGITAL_SIGNATURE]) {
            throw new IdentityException(Reason.BAD_KEY_USAGE, "certificate '" + subject(certificate)
                    + "' may not sign: its key usage lacks digitalSignature");
        }
    }

    /** Checks that {@code certificate} was issued by this organisation's TLS CA and is valid at {@code now}. */
    public void validateTlsCertificate(X509Certificate certificate, Instant now) {
        validate(certificate, tlsCaCertificate, "TLS", now);
    }

    private void validate(X509Certificate certificate, X509Certificate ca, String kind, Instant now) {
        Crypto.requireP256(certificate.getPublicKey(), "certificate '" + subject(certificate) + "'");
        if (!certificate.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            throw new IdentityException(Reason.FOREIGN_CA, "certificate '" + subject(certificate) + "' was issued by '"
                    + certificate.getIssuerX500Principal().getName() + "', not by the " + kind + " CA of " + mspId);
        }
        try {
            certificate.verify(ca.getPublicKey(), Crypto.provider());
        } catch (GeneralSecurityException e) {
            throw new IdentityException(Reason.FOREIGN_CA, "certificate '" + subject(certificate)
                    + "' names the " + kind + " CA of " + mspId + " as issuer but was not signed by it");
        }
        checkValidity(certificate, now);
        checkValidity(ca, now);
    }

    static void checkValidity(X509Certificate certificate, Instant now) {
        try {
            certificate.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw new IdentityException(Reason.EXPIRED, "certificate '" + subject(certificate) + "' expired at "
                    + certificate.getNotAfter().toInstant() + " (now " + now + ")");
        } catch (CertificateNotYetValidException e) {
            throw new IdentityException(Reason.NOT_YET_VALID, "certificate '" + subject(certificate)
                    + "' is not valid before " + certificate.getNotBefore().toInstant() + " (now " + now + ")");
        }
    }

    private static X509Certificate requireCa(X509Certificate certificate, String what) {
        Objects.requireNonNull(certificate, what);
        Crypto.requireP256(certificate.getPublicKey(), what);
        boolean[] usage = certificate.getKeyUsage();
        if (certificate.getBasicConstraints() < 0 || (usage != null && !usage[KEY_CERT_SIGN])) {
            throw new IdentityException(Reason.NOT_A_CA, what + " certificate '" + subject(certificate)
                    + "' is not a CA certificate (basicConstraints CA:true and keyCertSign are required)");
        }
        try {
            certificate.verify(certificate.getPublicKey(), Crypto.provider());
        } catch (GeneralSecurityException e) {
            throw new IdentityException(Reason.NOT_A_CA, what + " certificate '" + subject(certificate)
                    + "' is not self-signed; intermediate CAs are not supported");
        }
        return certificate;
    }

    static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }
}
