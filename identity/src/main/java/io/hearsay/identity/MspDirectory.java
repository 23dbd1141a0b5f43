package io.hearsay.identity;

import com.google.protobuf.ByteString;
import io.hearsay.identity.IdentityException.Reason;
import java.time.InstantSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The organisations of a channel and the one question everything asks of them: is this serialised
 * identity a member in good standing? Answers are cached by the identity's bytes (parsing PEM and
 * checking a CA signature cost far more than a signature check), but the validity period is checked on
 * every call, so an identity that expires stops validating at once.
 *
 * <p>Thread-safe. The clock is injected so simulations and tests control expiry.
 */
public final class MspDirectory {
    /** Validated identities kept; a peer meets far fewer distinct creators than this between restarts. */
    public static final int VALIDATED_IDENTITIES_MAX = 4096;

    private final SortedMap<String, OrganizationMsp> organizations;
    private final InstantSource clock;
    private final Map<ByteString, Identity> validated =
            Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<ByteString, Identity> eldest) {
                    return size() > VALIDATED_IDENTITIES_MAX;
                }
            });

    public MspDirectory(List<OrganizationMsp> organizations, InstantSource clock) {
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
        Identity cached = validated.get(serializedIdentity);
        if (cached != null) {
            OrganizationMsp.checkValidity(cached.certificate(), clock.instant());
            return cached;
        }
        Identity identity = Identity.parse(serializedIdentity);
        OrganizationMsp organization = organizations.get(identity.mspId());
        if (organization == null) {
            throw new IdentityException(Reason.UNKNOWN_ORGANIZATION, "identity '" + identity.commonName()
                    + "' claims organisation '" + identity.mspId() + "', which is not one of " + organizations.keySet());
        }
        organization.validateSigningCertificate(identity.certificate(), clock.instant());
        validated.put(serializedIdentity, identity);
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
}
