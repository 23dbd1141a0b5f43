package io.hearsay.identity;

import com.google.protobuf.ByteString;
import io.hearsay.identity.IdentityException.Reason;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ECDSA over P-256 with SHA-256, as Fabric's MSP does it: DER {@code SEQUENCE{r, s}} signatures,
 * normalised to low-S on signing and rejected when high-S on verification (a high-S signature is a
 * second valid signature for the same message, which would let anyone change a transaction's bytes).
 *
 * <p>Signing is deterministic (RFC 6979): the same key and message always give the same signature, so
 * no random source can leak a key, and simulations and crash tests can rebuild identical blocks.
 */
public final class Signatures {
    private Signatures() {}

    /** Low-S DER signature over SHA-256(message). */
    public static byte[] sign(PrivateKey key, byte[] message) {
        return sign(privateParameters(key), message);
    }

    static byte[] sign(ECPrivateKeyParameters key, byte[] message) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, key);
        BigInteger[] rs = signer.generateSignature(Hashes.sha256(message));
        BigInteger s = rs[1].compareTo(Crypto.HALF_ORDER) > 0 ? Crypto.DOMAIN.getN().subtract(rs[1]) : rs[1];
        try {
            return StandardDSAEncoding.INSTANCE.encode(Crypto.DOMAIN.getN(), rs[0], s);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding of two integers cannot fail", e);
        }
    }

    /**
     * Checks a signature over SHA-256(message).
     *
     * @throws IdentityException {@code MALFORMED_SIGNATURE} if it is not strict DER, {@code HIGH_S_SIGNATURE}
     *     if s &gt; n/2, {@code BAD_SIGNATURE} if it does not verify
     */
    public static void verify(PublicKey key, byte[] message, byte[] signature) {
        verify(publicParameters(key), message, signature);
    }

    static void verify(ECPublicKeyParameters key, byte[] message, byte[] signature) {
        BigInteger[] rs = decodeLowS(signature);
        verifyDigest(key, Hashes.sha256(message), rs);
    }

    /** As {@link #verify(ECPublicKeyParameters, byte[], byte[])}, hashing the message where it lies. */
    static void verify(ECPublicKeyParameters key, ByteString message, byte[] signature) {
        BigInteger[] rs = decodeLowS(signature);
        verifyDigest(key, Hashes.sha256(message), rs);
    }

    /**
     * The same signature as {@code r ‖ s}, two 32-byte big-endian integers (IEEE P1363), instead of DER's 70–72 bytes:
     * for our own gossip envelopes, where a small message is half signature. Fabric's own messages keep DER.
     *
     * @throws IdentityException {@code MALFORMED_SIGNATURE} if {@code der} is not a strict DER P-256 signature
     */
    public static byte[] toPlain(byte[] der) {
        BigInteger[] rs = decodeDer(der);
        try {
            return PlainDSAEncoding.INSTANCE.encode(Crypto.DOMAIN.getN(), rs[0], rs[1]);
        } catch (RuntimeException e) {
            throw new IdentityException(Reason.MALFORMED_SIGNATURE, "signature values are out of range for P-256");
        }
    }

    /**
     * The DER form of a {@link #toPlain} signature, for {@link #verify}.
     *
     * @throws IdentityException {@code MALFORMED_SIGNATURE} if {@code plain} is not 64 bytes of r and s in [1, n − 1]
     */
    public static byte[] fromPlain(byte[] plain) {
        BigInteger[] rs;
        try {
            rs = PlainDSAEncoding.INSTANCE.decode(Crypto.DOMAIN.getN(), plain);
        } catch (RuntimeException e) {
            rs = null;
        }
        // Bouncy Castle's decoding lets a zero through; no signature has one.
        if (rs == null || rs[0].signum() == 0 || rs[1].signum() == 0) {
            throw new IdentityException(Reason.MALFORMED_SIGNATURE,
                    "signature is not r ‖ s: 64 bytes of two integers between 1 and the order of P-256");
        }
        try {
            return StandardDSAEncoding.INSTANCE.encode(Crypto.DOMAIN.getN(), rs[0], rs[1]);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding of two integers cannot fail", e);
        }
    }

    private static BigInteger[] decodeLowS(byte[] signature) {
        BigInteger[] rs = decodeDer(signature);
        if (rs[1].compareTo(Crypto.HALF_ORDER) > 0) {
            throw new IdentityException(Reason.HIGH_S_SIGNATURE,
                    "signature has a high S value; signatures must be low-S normalised, as Fabric requires");
        }
        return rs;
    }

    private static BigInteger[] decodeDer(byte[] signature) {
        BigInteger[] rs;
        try {
            // decode() re-encodes and compares, so it accepts only the one strict DER form.
            // Bouncy Castle throws unchecked exceptions of several kinds on garbage; all mean malformed.
            rs = StandardDSAEncoding.INSTANCE.decode(Crypto.DOMAIN.getN(), signature);
        } catch (IOException | RuntimeException e) {
            throw new IdentityException(Reason.MALFORMED_SIGNATURE, "signature is not a strict DER SEQUENCE{r, s}");
        }
        return rs;
    }

    private static void verifyDigest(ECPublicKeyParameters key, byte[] digest, BigInteger[] rs) {
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, key);
        if (!verifier.verifySignature(digest, rs[0], rs[1])) {
            throw new IdentityException(Reason.BAD_SIGNATURE, "signature does not match the message and key");
        }
    }

    static ECPrivateKeyParameters privateParameters(PrivateKey key) {
        if (!(key instanceof ECPrivateKey ecKey)) {
            throw new IdentityException(Reason.WRONG_KEY_TYPE,
                    "private key is " + key.getAlgorithm() + "; only ECDSA keys on P-256 are accepted");
        }
        if (!ecKey.getParams().getOrder().equals(Crypto.DOMAIN.getN())) {
            throw new IdentityException(Reason.WRONG_CURVE, "private key is not on P-256");
        }
        return new ECPrivateKeyParameters(ecKey.getS(), Crypto.DOMAIN);
    }

    static ECPublicKeyParameters publicParameters(PublicKey key) {
        ECPublicKey ecKey = Crypto.requireP256(key, "public key");
        ECPoint point = Crypto.DOMAIN.getCurve().createPoint(ecKey.getW().getAffineX(), ecKey.getW().getAffineY());
        return new ECPublicKeyParameters(point, Crypto.DOMAIN);
    }
}
