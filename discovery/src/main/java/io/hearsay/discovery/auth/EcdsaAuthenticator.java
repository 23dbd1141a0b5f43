package io.hearsay.discovery.auth;

import io.hearsay.identity.Identity;
import io.hearsay.identity.IdentityException;
import io.hearsay.identity.PkiId;
import io.hearsay.identity.Signatures;
import io.hearsay.identity.SigningIdentity;
import java.util.Optional;
import java.util.function.Function;

/**
 * ECDSA P-256 signatures by the peer's signing identity, verified against the signer's certificate, which
 * {@code identities} looks up by PKI-ID among identities already validated by their organisation's CA
 * (the handshake and membership put them there). Signatures travel as {@code r ‖ s}, 64 bytes, not DER's 70–72
 * ({@link Signatures#toPlain}); low-S is still required.
 */
public final class EcdsaAuthenticator implements MessageAuthenticator {
    private final SigningIdentity self;
    private final Function<PkiId, Optional<Identity>> identities;

    public EcdsaAuthenticator(SigningIdentity self, Function<PkiId, Optional<Identity>> identities) {
        this.self = self;
        this.identities = identities;
    }

    @Override
    public byte[] sign(byte[] content) {
        return Signatures.toPlain(self.sign(content));
    }

    @Override
    public void verify(PkiId signer, byte[] content, byte[] signature) throws AuthenticationException {
        Identity identity = identities.apply(signer)
                .orElseThrow(() -> new AuthenticationException("signer " + signer + " has no validated identity"));
        try {
            identity.verify(content, Signatures.fromPlain(signature));
        } catch (IdentityException e) {
            throw new AuthenticationException("signature of " + signer + " rejected: " + e.getMessage());
        }
    }
}
