package io.hearsay.identity;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The one curve (NIST P-256) and the Bouncy Castle provider, shared by everything in this module. */
public final class Crypto {
    /** The curve Fabric's default MSP configuration accepts. */
    public static final String CURVE_NAME = "secp256r1";

    private static final Provider PROVIDER = new BouncyCastleProvider();
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName(CURVE_NAME);
    static final ECDomainParameters DOMAIN =
            new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH(), CURVE.getSeed());
    static final BigInteger HALF_ORDER = CURVE.getN().shiftRight(1);

    private Crypto() {}

    /** A private instance, not registered globally, so embedding applications keep their provider order. */
    public static Provider provider() {
        return PROVIDER;
    }

    public static KeyPair newKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", PROVIDER);
            generator.initialize(new ECGenParameterSpec(CURVE_NAME), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Bouncy Castle always supports " + CURVE_NAME, e);
        }
    }

    /** Rejects anything but an EC key on P-256, naming what it got. */
    static ECPublicKey requireP256(PublicKey key, String what) {
        if (!(key instanceof ECPublicKey ecKey)) {
            throw new IdentityException(IdentityException.Reason.WRONG_KEY_TYPE,
                    what + " has a " + key.getAlgorithm() + " key; only ECDSA keys on P-256 are accepted");
        }
        BigInteger order = ecKey.getParams().getOrder();
        if (!order.equals(CURVE.getN())) {
            throw new IdentityException(IdentityException.Reason.WRONG_CURVE,
                    what + " has an EC key on a " + ecKey.getParams().getCurve().getField().getFieldSize()
                            + "-bit curve other than P-256; only P-256 is accepted");
        }
        return ecKey;
    }
}
