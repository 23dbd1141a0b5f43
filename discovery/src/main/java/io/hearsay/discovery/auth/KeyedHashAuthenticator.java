package io.hearsay.discovery.auth;

import io.hearsay.identity.PkiId;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * A simulation stand-in for signatures: an 8-byte keyed hash of the content under the signer's secret.
 * Verification recomputes it from the simulation's table of secrets, so a peer that claims another's
 * identity, alters a message or invents one is caught, at a tiny fraction of ECDSA's cost. Not
 * cryptographically strong, and never used outside simulation.
 */
public final class KeyedHashAuthenticator implements MessageAuthenticator {
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The signature is the MAC as 8 big-endian bytes. */
    private static final VarHandle SIGNATURE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final long ownSecret;
    private final Secrets secrets;

    /** @param secrets every simulated peer's secret, copied: for a few peers; many share one {@link Secrets} */
    public KeyedHashAuthenticator(PkiId self, Map<PkiId, Long> secrets) {
        this(self, Secrets.of(secrets));
    }

    /** @param secrets every simulated peer's secret, shared by reference (it is the simulated PKI) */
    public KeyedHashAuthenticator(PkiId self, Secrets secrets) {
        int slot = secrets.slotOf(self);
        if (slot < 0) {
            throw new IllegalArgumentException("no secret for " + self);
        }
        this.ownSecret = secrets.secret(slot);
        this.secrets = secrets;
    }

    /**
     * Every simulated peer's secret, immutable, in an open-addressing table (linear probing, at most half full): a
     * slot's PKI-ID and its secret are read together, two loads issued at once, where a {@code HashMap<PkiId, Long>}
     * read its table, then an entry, then a boxed value one after another, and each is a cache miss when every
     * message comes from a random one of 10,000 peers. Looked up, never iterated.
     */
    public static final class Secrets {
        private final PkiId[] ids;
        private final long[] secrets;

        private Secrets(PkiId[] ids, long[] secrets) {
            this.ids = ids;
            this.secrets = secrets;
        }

        public static Secrets of(Map<PkiId, Long> secrets) {
            int capacity = Integer.highestOneBit(Math.max(2, secrets.size()) * 2 - 1) * 2;
            PkiId[] ids = new PkiId[capacity];
            long[] values = new long[capacity];
            secrets.forEach((id, secret) -> {
                int slot = id.hashCode() & (capacity - 1);
                while (ids[slot] != null) {
                    slot = (slot + 1) & (capacity - 1);
                }
                ids[slot] = id;
                values[slot] = secret;
            });
            return new Secrets(ids, values);
        }

        /** The slot holding {@code id}'s secret, or -1 if it has none. */
        int slotOf(PkiId id) {
            int mask = ids.length - 1;
            int hash = id.hashCode();
            for (int slot = hash & mask; ids[slot] != null; slot = (slot + 1) & mask) {
                PkiId candidate = ids[slot];
                if (candidate == id || (candidate.hashCode() == hash && candidate.equals(id))) {
                    return slot;
                }
            }
            return -1;
        }

        long secret(int slot) {
            return secrets[slot];
        }
    }

    @Override
    public byte[] sign(byte[] content) {
        return sign(content, content.length);
    }

    @Override
    public byte[] sign(byte[] content, int length) {
        byte[] signature = new byte[8];
        SIGNATURE.set(signature, 0, mac(ownSecret, content, length));
        return signature;
    }

    @Override
    public void verify(PkiId signer, byte[] content, byte[] signature) throws AuthenticationException {
        verify(signer, content, content.length, signature);
    }

    @Override
    public void verify(PkiId signer, byte[] content, int length, byte[] signature) throws AuthenticationException {
        int slot = secrets.slotOf(signer);
        if (slot < 0) {
            throw new AuthenticationException("signer " + signer + " is unknown");
        }
        if (signature.length != 8 || (long) SIGNATURE.get(signature, 0) != mac(secrets.secret(slot), content, length)) {
            throw new AuthenticationException("signature of " + signer + " does not match the content");
        }
    }

    /**
     * A multiply-rotate hash over the content's 8-byte little-endian words (the tail zero-padded), seeded with
     * the secret and closed with the length and SplitMix64's avalanche. Only the first {@code length} bytes
     * of {@code content} count. Word-wise, so a typical 80-byte content
     * costs ten multiplications rather than eighty; the rotation carries each word's high bits into the next
     * multiplication, so a change anywhere reaches every bit of the result.
     */
    static long mac(long secret, byte[] content, int length) {
        long hash = 0xcbf29ce484222325L ^ secret;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            hash = Long.rotateLeft((hash ^ (long) WORDS.get(content, i)) * 0x9e3779b97f4a7c15L, 31);
        }
        if (i < length) {
            long tail = 0;
            for (int shift = 0; i < length; i++, shift += 8) {
                tail |= (content[i] & 0xffL) << shift;
            }
            hash = Long.rotateLeft((hash ^ tail) * 0x9e3779b97f4a7c15L, 31);
        }
        hash ^= length;
        hash ^= secret * 0x9e3779b97f4a7c15L;
        hash = (hash ^ (hash >>> 30)) * 0xbf58476d1ce4e5b9L;
        hash = (hash ^ (hash >>> 27)) * 0x94d049bb133111ebL;
        return hash ^ (hash >>> 31);
    }
}
