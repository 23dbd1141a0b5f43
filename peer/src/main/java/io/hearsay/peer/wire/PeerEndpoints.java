package io.hearsay.peer.wire;

import io.hearsay.identity.PkiId;
import java.util.Objects;

/**
 * Where a peer can be reached, as much of it as the receiver of a message may know (Fabric's rule): the internal
 * endpoint is for the peer's own organisation only, the external one for every organisation; an empty string means
 * none (or not told). A peer with no external endpoint is invisible outside its organisation.
 *
 * @param organization the peer's organisation as the sender knows it (from the peer's handshake)
 */
public record PeerEndpoints(PkiId peer, String organization, String internalEndpoint, String externalEndpoint) {
    public PeerEndpoints {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(internalEndpoint, "internalEndpoint");
        Objects.requireNonNull(externalEndpoint, "externalEndpoint");
    }

    /** What a peer of {@code receiverOrganization} may be told: all of it within the organisation, the external endpoint outside. */
    public PeerEndpoints visibleTo(String receiverOrganization) {
        return receiverOrganization.equals(organization) ? this : new PeerEndpoints(peer, organization, "", externalEndpoint);
    }

    /** Whether a peer of {@code organization} may know of this one at all (as anything more than a PKI-ID). */
    public boolean isVisibleTo(String receiverOrganization) {
        return receiverOrganization.equals(organization) || !externalEndpoint.isEmpty();
    }
}
