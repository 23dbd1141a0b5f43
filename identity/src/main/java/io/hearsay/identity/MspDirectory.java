package io.hearsay.identity;

import com.google.protobuf.ByteString;
import io.hearsay.identity.IdentityException.Reason;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The organisations of a channel and the one question everything asks of them: is this serialised
 * identity a member in good standing? Answers are cached by the identity's bytes (parsing PEM and
 * checking a CA signature cost far more than a signature check), but the validity period is checked on
 * every call, so an identity that expires stops validating at once.
 *
 * <p>The cache is read without a lock: the check threads of every ledger look up the creator and
 * endorsers of every transaction here, and each lookup used to hash and compare about 800 bytes byte by
 * byte inside one shared lock (a quarter of the block-level checks). Now a lookup hashes the bytes a long
 * at a time ({@link #fingerprint}), finds the entry in a {@link ConcurrentHashMap} keyed by that hash,
 * and confirms the exact bytes with a vectorised comparison, so two identities whose hashes collide are
 * never confused: the newer one is validated in full and replaces the other.
 *
 * <p>Bound: at most {@link #VALIDATED_IDENTITIES_MAX} entries, plus one per thread inserting at that
 * moment. When full, the cache starts over (it is cleared): which identities are cached decides how often
 * they are parsed again, not the answers (as before, a cached identity's own validity period is checked on
 * every call, its CA's only when it is validated in full), and a working set beyond the bound misses often
 * under any eviction order.
 *
 * <p>Thread-safe. The clock is injected so simulations and tests control expiry.
 */
public final class MspDirectory {
    /** Validated identities kept; a peer meets far fewer distinct creators than this between restarts. */
    public static final int VALIDATED_IDENTITIES_MAX = 4096;

    private final SortedMap<String, OrganizationMsp> organizations;
    private final InstantSource clock;
    private final int validatedIdentitiesMax;
    /** {@link #fingerprint} of the serialised bytes → an identity with exactly those bytes, validated. */
    private final ConcurrentHashMap<Long, Identity> validated = new ConcurrentHashMap<>();

    public MspDirectory(List<OrganizationMsp> organizations, InstantSource clock) {
        this(organizations, clock, VALIDATED_IDENTITIES_MAX);
    }

    /** @param validatedIdentitiesMax the cache's bound; smaller than the default only in tests of it */
    MspDirectory(List<OrganizationMsp> organizations, InstantSource clock, int validatedIdentitiesMax) {
        if (validatedIdentitiesMax < 1) {
            throw new IllegalArgumentException("validatedIdentitiesMax is " + validatedIdentitiesMax + "; it must be at least 1");
        }
        this.validatedIdentitiesMax = validatedIdentitiesMax;
        TreeMap<String, OrganizationMsp> byId = new TreeMap<>();
        for (OrganizationMsp organization : organizations) {
            if (byId.put(organization.mspId(), organization) != null) {
                throw new IllegalArgumentException("organisation " + organization.mspId() + " is listed twice");
            }
        }
        this.organizations = Collections.unmodifiableSortedMap(byId);
        this.clock = clock;
    }

    public SortedMap<String, OrganizationMsp> organizations() {
        return organizations;
    }

    public Optional<OrganizationMsp> organization(String mspId) {
        return Optional.ofNullable(organizations.get(mspId));
    }

    /**
     * Parses and validates serialised identity bytes: a known organisation, a certificate chaining to its
     * signing CA, valid now, allowed to sign.
     *
     * @throws IdentityException naming the reason it is not a valid member
     */
    public Identity validate(ByteString serializedIdentity) {
        Long fingerprint = fingerprint(serializedIdentity);
        Identity cached = validated.get(fingerprint);
        if (cached != null && sameBytes(cached.serialized(), serializedIdentity)) {
            OrganizationMsp.checkValidity(cached.certificate(), clock.instant());
            return cached;
        }
        // A copy of just these bytes: the argument is often a view into a whole transaction or block,
        // which the cache must not keep alive.
        Identity identity = Identity.parse(ByteString.copyFrom(serializedIdentity.asReadOnlyByteBuffer()));
        OrganizationMsp organization = organizations.get(identity.mspId());
        if (organization == null) {
            throw new IdentityException(Reason.UNKNOWN_ORGANIZATION, "identity '" + identity.commonName()
                    + "' claims organisation '" + identity.mspId() + "', which is not one of " + organizations.keySet());
        }
        organization.validateSigningCertificate(identity.certificate(), clock.instant());
        remember(fingerprint, identity);
        return identity;
    }

    /**
     * Validates the signer and checks its signature over {@code message}; returns the signer.
     *
     * @throws IdentityException naming why the signer or the signature is not acceptable
     */
    public Identity verify(ByteString serializedIdentity, byte[] message, byte[] signature) {
        Identity identity = validate(serializedIdentity);
        identity.verify(message, signature);
        return identity;
    }

    /**
     * As {@link #verify(ByteString, byte[], byte[])}, for a message that is (a view into) a parsed
     * message's bytes: it is hashed where it lies instead of being copied out first.
     */
    public Identity verify(ByteString serializedIdentity, ByteString message, byte[] signature) {
        Identity identity = validate(serializedIdentity);
        identity.verify(message, signature);
        return identity;
    }

    /** Identities cached now; for tests of the bound. */
    int cachedIdentities() {
        return validated.size();
    }

    private void remember(Long fingerprint, Identity identity) {
        if (validated.size() >= validatedIdentitiesMax && !validated.containsKey(fingerprint)) {
            validated.clear();
        }
        validated.put(fingerprint, identity);
    }

    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L; // 2^64 / golden ratio, odd

    /**
     * A 64-bit hash of all the bytes, read eight at a time (ByteString's own hash reads one at a time, and
     * every parsed transaction brings new ByteString instances, so it is never cached). Not
     * collision-resistant, and it need not be: a hit is confirmed byte for byte, so a collision costs
     * one full validation, never a wrong answer.
     */
    static long fingerprint(ByteString bytes) {
        ByteBuffer buffer = bytes.asReadOnlyByteBuffer();
        int position = buffer.position();
        int limit = buffer.limit();
        long hash = (limit - position) * MULTIPLIER;
        for (; position + Long.BYTES <= limit; position += Long.BYTES) {
            hash = Long.rotateLeft((hash ^ buffer.getLong(position)) * MULTIPLIER, 29);
        }
        for (; position < limit; position++) {
            hash = (hash ^ buffer.get(position)) * MULTIPLIER;
        }
        return hash ^ (hash >>> 32);
    }

    /** Compares as buffers: ByteString's own equals compares byte by byte, ByteBuffer's many at a time. */
    private static boolean sameBytes(ByteString a, ByteString b) {
        return a.size() == b.size() && a.asReadOnlyByteBuffer().equals(b.asReadOnlyByteBuffer());
    }
}
