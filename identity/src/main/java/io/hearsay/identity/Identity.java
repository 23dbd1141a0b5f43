package io.hearsay.identity;

import com.google.protobuf.ByteString;
import io.hearsay.identity.IdentityException.Reason;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * The public side of a member of an organisation: MSP id, certificate, the exact serialised bytes that
 * travel in transactions ({@code msp.SerializedIdentity}), and its PKI-ID. An instance says nothing about
 * trust by itself; {@link MspDirectory#validate} is what returns identities whose certificate chains to
 * their organisation's CA.
 */
public final class Identity {
    private final String mspId;
    private final X509Certificate certificate;
    private final byte[] certificatePem;
    private final ByteString serialized;
    private final PkiId pkiId;
    private final ECPublicKeyParameters publicKey;
    private final Optional<Role> role;
    private final String commonName;

    private Identity(String mspId, X509Certificate certificate, byte[] certificatePem, ByteString serialized) {
        this.mspId = mspId;
        this.certificate = certificate;
        this.certificatePem = certificatePem;
        this.serialized = serialized;
        this.pkiId = PkiId.of(mspId, certificatePem);
        this.publicKey = Signatures.publicParameters(Crypto.requireP256(certificate.getPublicKey(), "certificate"));
        this.role = roleOf(certificate);
        this.commonName = commonNameOf(certificate);
    }

    /** The identity of this certificate in this organisation; its bytes are the PEM as Fabric writes it. */
    public static Identity of(String mspId, X509Certificate certificate) {
        byte[] pem = Pem.encodeCertificate(certificate);
        ByteString serialized = SerializedIdentity.newBuilder()
                .setMspid(mspId).setIdBytes(ByteString.copyFrom(pem)).build().toByteString();
        return new Identity(mspId, certificate, pem, serialized);
    }

    /**
     * Parses serialised identity bytes, keeping them as they are: signatures and transaction ids cover
     * these exact bytes, so they are never rebuilt from the parsed certificate.
     */
    public static Identity parse(ByteString serializedBytes) {
        SerializedIdentity parsed;
        try {
            parsed = SerializedIdentity.parseFrom(serializedBytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IdentityException(Reason.MALFORMED_IDENTITY, "serialised identity is not a msp.SerializedIdentity");
        }
        if (parsed.getMspid().isEmpty()) {
            throw new IdentityException(Reason.MALFORMED_IDENTITY, "serialised identity has no MSP id");
        }
        if (parsed.getIdBytes().isEmpty()) {
            throw new IdentityException(Reason.MALFORMED_IDENTITY, "serialised identity has no certificate");
        }
        byte[] pem = parsed.getIdBytes().toByteArray();
        return new Identity(parsed.getMspid(), Pem.decodeCertificate(pem), pem, serializedBytes);
    }

    public String mspId() {
        return mspId;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The certificate as it travels (PEM). */
    public byte[] certificatePem() {
        return certificatePem.clone();
    }

    /** The bytes of {@code msp.SerializedIdentity}: creator and endorser fields carry these. */
    public ByteString serialized() {
        return serialized;
    }

    public PkiId pkiId() {
        return pkiId;
    }

    /** The role named in the certificate's OU, if any. */
    public Optional<Role> role() {
        return role;
    }

    /** The certificate's common name, for logs and tables. */
    public String commonName() {
        return commonName;
    }

    /** Subject attributes parsed once: validators ask for the role of every endorser of every transaction. */
    private static Optional<Role> roleOf(X509Certificate certificate) {
        for (Rdn rdn : subject(certificate)) {
            if (rdn.getType().equalsIgnoreCase("OU")) {
                Optional<Role> role = Role.fromOrganizationalUnit(rdn.getValue().toString());
                if (role.isPresent()) {
                    return role;
                }
            }
        }
        return Optional.empty();
    }

    private static String commonNameOf(X509Certificate certificate) {
        return subject(certificate).stream().filter(rdn -> rdn.getType().equalsIgnoreCase("CN"))
                .map(rdn -> rdn.getValue().toString()).findFirst().orElse("?");
    }

    private static List<Rdn> subject(X509Certificate certificate) {
        try {
            return new LdapName(certificate.getSubjectX500Principal().getName()).getRdns();
        } catch (InvalidNameException e) {
            return List.of();
        }
    }

    /**
     * Checks that this identity's key signed {@code message}.
     *
     * @throws IdentityException naming why it did not
     */
    public void verify(byte[] message, byte[] signature) {
        Signatures.verify(publicKey, message, signature);
    }

    /**
     * As {@link #verify(byte[], byte[])}, for a message that is (a view into) a parsed message's bytes, or
     * a concatenation of such: it is hashed where it lies instead of being copied into one array first.
     *
     * @throws IdentityException naming why it did not
     */
    public void verify(ByteString message, byte[] signature) {
        Signatures.verify(publicKey, message, signature);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Identity that && serialized.equals(that.serialized);
    }

    @Override
    public int hashCode() {
        return serialized.hashCode();
    }

    @Override
    public String toString() {
        return mspId + "/" + commonName();
    }
}
