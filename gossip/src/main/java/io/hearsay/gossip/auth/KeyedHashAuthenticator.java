package io.hearsay.gossip.auth;

import io.hearsay.identity.PkiId;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * A simulation stand-in for signatures: an 8-byte keyed hash of the content under the signer's secret.
 * Verification recomputes it from the simulation's table of secrets, so a peer that claims another's
 * identity, alters a message or invents one is caught, at a tiny fraction of ECDSA's cost. Not
 * cryptographically strong, and never used outside simulation.
 */
public final class KeyedHashAuthenticator implements MessageAuthenticator {
    private final long ownSecret;
    private final Map<PkiId, Long> secrets;

    /** @param secrets every simulated peer's secret, shared by reference (it is the simulated PKI) */
    public KeyedHashAuthenticator(PkiId self, Map<PkiId, Long> secrets) {
        Long secret = secrets.get(self);
        if (secret == null) {
            throw new IllegalArgumentException("no secret for " + self);
        }
        this.ownSecret = secret;
        this.secrets = secrets;
    }

    @Override
    public byte[] sign(byte[] content) {
        return ByteBuffer.allocate(8).putLong(mac(ownSecret, content)).array();
    }

    @Override
    public void verify(PkiId signer, byte[] content, byte[] signature) throws AuthenticationException {
        Long secret = secrets.get(signer);
        if (secret == null) {
            throw new AuthenticationException("signer " + signer + " is unknown");
        }
        if (signature.length != 8 || ByteBuffer.wrap(signature).getLong() != mac(secret, content)) {
            throw new AuthenticationException("signature of " + signer + " does not match the content");
        }
    }

    /** FNV-1a over the content, seeded with the secret, then a final avalanche (SplitMix64's). */
    static long mac(long secret, byte[] content) {
        long hash = 0xcbf29ce484222325L ^ secret;
        for (byte b : content) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        hash ^= secret * 0x9e3779b97f4a7c15L;
        hash = (hash ^ (hash >>> 30)) * 0xbf58476d1ce4e5b9L;
        hash = (hash ^ (hash >>> 27)) * 0x94d049bb133111ebL;
        return hash ^ (hash >>> 31);
    }
}
