package io.hearsay.gossip.auth;

import io.hearsay.identity.PkiId;

/**
 * Signs this peer's messages and verifies others'. The node uses {@link EcdsaAuthenticator} (real ECDSA
 * against validated certificates); large simulations may use {@link KeyedHashAuthenticator}, which is
 * cheap but still rejects every forgery by a peer that lacks the claimed signer's key.
 */
public interface MessageAuthenticator {
    byte[] sign(byte[] content);

    /** @throws AuthenticationException naming why the signature or its signer is not acceptable */
    void verify(PkiId signer, byte[] content, byte[] signature) throws AuthenticationException;
}
