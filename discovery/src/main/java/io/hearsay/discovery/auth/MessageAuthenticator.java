package io.hearsay.discovery.auth;

import io.hearsay.identity.PkiId;
import java.util.Arrays;

/**
 * Signs this peer's messages and verifies others'. The node uses {@link EcdsaAuthenticator} (real ECDSA
 * against validated certificates); large simulations may use {@link KeyedHashAuthenticator}, which is
 * cheap but still rejects every forgery by a peer that lacks the claimed signer's key.
 */
public interface MessageAuthenticator {
    byte[] sign(byte[] content);

    /** @throws AuthenticationException naming why the signature or its signer is not acceptable */
    void verify(PkiId signer, byte[] content, byte[] signature) throws AuthenticationException;

    /**
     * Signs the first {@code length} bytes of {@code content}: the same signature as {@link #sign(byte[])} over
     * exactly those bytes. The channel passes its reused buffer; an authenticator that can read a prefix in
     * place overrides this to skip the copy.
     */
    default byte[] sign(byte[] content, int length) {
        return sign(Arrays.copyOf(content, length));
    }

    /** {@link #verify(PkiId, byte[], byte[])} over the first {@code length} bytes of {@code content}. */
    default void verify(PkiId signer, byte[] content, int length, byte[] signature) throws AuthenticationException {
        verify(signer, Arrays.copyOf(content, length), signature);
    }
}
