package io.hearsay.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.hearsay.identity.IdentityException.Reason;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.junit.jupiter.api.Test;

/** ECDSA P-256 signatures are low-S, deterministic, and every malformed or forged signature is refused by name. */
class SignaturesTest {
    private final KeyPair keys = Crypto.newKeyPair(new SecureRandom(new byte[] {1}));
    private final byte[] message = "transfer 10 from a to b".getBytes(StandardCharsets.UTF_8);

    @Test
    void signatureVerifies() {
        byte[] signature = Signatures.sign(keys.getPrivate(), message);
        Signatures.verify(keys.getPublic(), message, signature);
    }

    @Test
    void aMessageGivenAsByteStringsVerifiesWithoutBeingCopiedAndIsCheckedTheSame() throws Exception {
        byte[] signature = Signatures.sign(keys.getPrivate(), message);
        var key = Signatures.publicParameters(keys.getPublic());
        ByteString flat = ByteString.copyFrom(message);
        ByteString rope = flat.substring(0, 5).concat(flat.substring(5));
        ByteString view = ByteString.copyFromUtf8("..").concat(flat).substring(2);
        for (ByteString form : java.util.List.of(flat, rope, view)) {
            Signatures.verify(key, form, signature);
        }
        ByteString tampered = rope.substring(1);
        assertThatThrownBy(() -> Signatures.verify(key, tampered, signature))
                .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
        BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(Crypto.DOMAIN.getN(), signature);
        byte[] highS = StandardDSAEncoding.INSTANCE.encode(Crypto.DOMAIN.getN(), rs[0], Crypto.DOMAIN.getN().subtract(rs[1]));
        assertThatThrownBy(() -> Signatures.verify(key, rope, highS))
                .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(Reason.HIGH_S_SIGNATURE));
        assertThatThrownBy(() -> Signatures.verify(key, rope, new byte[] {0x30, 0x00}))
                .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_SIGNATURE));
    }

    @Test
    void thePlainFormIs64BytesAndConvertsBackToTheSameDer() throws Exception {
        for (int i = 0; i < 200; i++) {
            byte[] der = Signatures.sign(keys.getPrivate(), ("m" + i).getBytes(StandardCharsets.UTF_8));
            byte[] plain = Signatures.toPlain(der);
            assertThat(plain).hasSize(64);
            BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(Crypto.DOMAIN.getN(), der);
            assertThat(new BigInteger(1, java.util.Arrays.copyOfRange(plain, 0, 32))).isEqualTo(rs[0]);
            assertThat(new BigInteger(1, java.util.Arrays.copyOfRange(plain, 32, 64))).isEqualTo(rs[1]);
            assertThat(Signatures.fromPlain(plain)).isEqualTo(der);
        }
    }

    @Test
    void aMalformedPlainSignatureIsRefusedByName() {
        byte[] plain = Signatures.toPlain(Signatures.sign(keys.getPrivate(), message));
        byte[] zeroR = plain.clone();
        java.util.Arrays.fill(zeroR, 0, 32, (byte) 0);
        byte[] overOrder = plain.clone();
        java.util.Arrays.fill(overOrder, 32, 64, (byte) 0xFF);
        for (byte[] malformed : java.util.List.of(new byte[0], java.util.Arrays.copyOf(plain, 63),
                java.util.Arrays.copyOf(plain, 65), zeroR, overOrder)) {
            assertThatThrownBy(() -> Signatures.fromPlain(malformed)).isInstanceOfSatisfying(IdentityException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_SIGNATURE));
        }
        assertThatThrownBy(() -> Signatures.toPlain(plain)).as("plain is not DER")
                .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_SIGNATURE));
    }

    @Test
    void aHighSPlainSignatureStillFailsVerification() throws Exception {
        BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(Crypto.DOMAIN.getN(),
                Signatures.sign(keys.getPrivate(), message));
        byte[] highS = org.bouncycastle.crypto.signers.PlainDSAEncoding.INSTANCE.encode(Crypto.DOMAIN.getN(), rs[0],
                Crypto.DOMAIN.getN().subtract(rs[1]));
        assertThatThrownBy(() -> Signatures.verify(keys.getPublic(), message, Signatures.fromPlain(highS)))
                .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(Reason.HIGH_S_SIGNATURE));
    }

    @Test
    void signingIsDeterministicPerRfc6979() {
        assertThat(Signatures.sign(keys.getPrivate(), message)).isEqualTo(Signatures.sign(keys.getPrivate(), message));
    }

    @Test
    void everySignatureIsLowS() throws Exception {
        for (int i = 0; i < 200; i++) {
            byte[] signature = Signatures.sign(keys.getPrivate(), ("m" + i).getBytes(StandardCharsets.UTF_8));
            BigInteger s = StandardDSAEncoding.INSTANCE.decode(Crypto.DOMAIN.getN(), signature)[1];
            assertThat(s).isLessThanOrEqualTo(Crypto.HALF_ORDER);
        }
    }

    @Test
    void highSTwinOfAValidSignatureIsRejected() throws Exception {
        byte[] signature = Signatures.sign(keys.getPrivate(), message);
        BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(Crypto.DOMAIN.getN(), signature);
        byte[] highS = StandardDSAEncoding.INSTANCE.encode(Crypto.DOMAIN.getN(), rs[0], Crypto.DOMAIN.getN().subtract(rs[1]));
        assertThatThrownBy(() -> Signatures.verify(keys.getPublic(), message, highS))
                .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(Reason.HIGH_S_SIGNATURE))
                .hasMessageContaining("high S");
    }

    @Test
    void signatureOverAnotherMessageIsRejected() {
        byte[] signature = Signatures.sign(keys.getPrivate(), message);
        byte[] tampered = message.clone();
        tampered[0] ^= 1;
        assertThatThrownBy(() -> Signatures.verify(keys.getPublic(), tampered, signature))
                .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
    }

    @Test
    void signatureByAnotherKeyIsRejected() {
        KeyPair other = Crypto.newKeyPair(new SecureRandom(new byte[] {2}));
        byte[] signature = Signatures.sign(other.getPrivate(), message);
        assertThatThrownBy(() -> Signatures.verify(keys.getPublic(), message, signature))
                .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
    }

    @Test
    void nonDerAndNonStrictDerSignaturesAreRejected() {
        byte[] signature = Signatures.sign(keys.getPrivate(), message);
        byte[] trailingGarbage = java.util.Arrays.copyOf(signature, signature.length + 1);
        for (byte[] bad : new byte[][] {new byte[0], {0x30, 0x00}, "garbage".getBytes(StandardCharsets.UTF_8), trailingGarbage}) {
            assertThatThrownBy(() -> Signatures.verify(keys.getPublic(), message, bad))
                    .isInstanceOfSatisfying(IdentityException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_SIGNATURE));
        }
    }

    @Test
    void rsaKeysAreRefusedAsWrongKeyType() throws Exception {
        java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        KeyPair rsaKeys = rsa.generateKeyPair();
        assertThatThrownBy(() -> Signatures.sign(rsaKeys.getPrivate(), message))
                .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_KEY_TYPE));
        assertThatThrownBy(() -> Signatures.verify(rsaKeys.getPublic(), message, new byte[8]))
                .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_KEY_TYPE));
    }

    @Test
    void p384KeysAreRefusedAsWrongCurve() throws Exception {
        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        KeyPair p384 = ec.generateKeyPair();
        assertThatThrownBy(() -> Signatures.verify(p384.getPublic(), message, new byte[8]))
                .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_CURVE));
    }
}
