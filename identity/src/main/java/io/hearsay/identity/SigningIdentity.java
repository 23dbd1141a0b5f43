package io.hearsay.identity;

import io.hearsay.identity.IdentityException.Reason;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;

/** An identity together with its private key: what a peer, orderer or client signs with. */
public final class SigningIdentity {
    private final Identity identity;
    private final ECPrivateKeyParameters privateKey;

    private SigningIdentity(Identity identity, PrivateKey privateKey) {
        this.identity = identity;
        this.privateKey = Signatures.privateParameters(privateKey);
        byte[] probe = {1, 2, 3};
        try {
            identity.verify(probe, Signatures.sign(this.privateKey, probe));
        } catch (IdentityException e) {
            throw new IdentityException(Reason.WRONG_KEY_TYPE,
                    "private key does not belong to the certificate of " + identity);
        }
    }

    public static SigningIdentity of(String mspId, X509Certificate certificate, PrivateKey privateKey) {
        return new SigningIdentity(Identity.of(mspId, certificate), privateKey);
    }

    /**
     * Loads an identity from a Fabric MSP folder: the one certificate in {@code signcerts/} and the one
     * key in {@code keystore/}.
     */
    public static SigningIdentity load(Path mspDirectory, String mspId) {
        byte[] certificate = MspFolders.readSingleFile(mspDirectory.resolve("signcerts"));
        byte[] key = MspFolders.readSingleFile(mspDirectory.resolve("keystore"));
        return of(mspId, Pem.decodeCertificate(certificate), Pem.decodePrivateKey(key));
    }

    public Identity identity() {
        return identity;
    }

    public String mspId() {
        return identity.mspId();
    }

    public PkiId pkiId() {
        return identity.pkiId();
    }

    /** Low-S, deterministic ECDSA P-256 signature over SHA-256(message). */
    public byte[] sign(byte[] message) {
        return Signatures.sign(privateKey, message);
    }

    @Override
    public String toString() {
        return identity.toString();
    }
}
