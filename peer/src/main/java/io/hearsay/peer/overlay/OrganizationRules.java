package io.hearsay.peer.overlay;

import io.hearsay.discovery.anchor.AnchorMessage;
import io.hearsay.peer.overlay.OverlayCounters.Refusal;
import io.hearsay.peer.wire.OverlayMessage;
import io.hearsay.peer.wire.PeerEndpoints;
import java.util.Optional;
import java.util.Set;

/**
 * Fabric's organisation rules for the overlay, as one peer applies them to what arrives. The sender's organisation
 * is always the one its certificate proved in the handshake, never a claim inside a message.
 *
 * <ul>
 *   <li>Only organisations of the channel configuration take part: anything from another is refused.
 *   <li>An anchor announces only for its own organisation: an announcement claiming another is a false anchor claim
 *       (whether the configuration names it an anchor at all is the {@code Anchor} core's check).
 *   <li>An ordinary peer with no external endpoint is invisible to other organisations: a join or membership request
 *       from one of them comes from a peer that may not know it, and is refused.
 *   <li>Internal endpoints never leave their organisation: one that arrives from or about another organisation is
 *       discarded (the sender broke the rule) and only the external endpoint kept.
 * </ul>
 */
final class OrganizationRules {
    private final String organization;
    private final boolean anchor;
    private final boolean visibleOutside;
    private final Set<String> channelOrganizations;

    /**
     * @param visibleOutside whether this peer has an external endpoint (anchors always are visible: the
     *     configuration gives their endpoints to every organisation)
     */
    OrganizationRules(String organization, boolean anchor, boolean visibleOutside, Set<String> channelOrganizations) {
        this.organization = organization;
        this.anchor = anchor;
        this.visibleOutside = visibleOutside;
        this.channelOrganizations = Set.copyOf(channelOrganizations);
    }

    /** Why {@code message} from a peer of {@code senderOrganization} (empty: no handshake identity) is refused, if it is. */
    Optional<Refusal> refusal(Optional<String> senderOrganization, OverlayMessage message) {
        if (senderOrganization.isEmpty() || !channelOrganizations.contains(senderOrganization.get())) {
            return Optional.of(Refusal.FOREIGN_ORGANIZATION);
        }
        String sender = senderOrganization.get();
        if (!(message instanceof OverlayMessage.Anchoring anchoring)) {
            return Optional.empty();
        }
        AnchorMessage inner = anchoring.message();
        if (inner instanceof AnchorMessage.Announcement announcement && !announcement.organization().equals(sender)) {
            return Optional.of(Refusal.ANCHOR_ORGANIZATION_MISMATCH);
        }
        boolean membershipRequest = inner instanceof AnchorMessage.JoinRequest || inner instanceof AnchorMessage.Attach
                || inner instanceof AnchorMessage.Heartbeat || inner instanceof AnchorMessage.Detach;
        if (membershipRequest && !anchor && !visibleOutside && !sender.equals(organization)) {
            return Optional.of(Refusal.NOT_VISIBLE);
        }
        return Optional.empty();
    }

    /**
     * What this peer may keep of {@code endpoints}, told by a peer of {@code senderOrganization}: an internal endpoint
     * is kept only if the described peer, the sender and this peer are all of one organisation.
     */
    PeerEndpoints admit(PeerEndpoints endpoints, String senderOrganization) {
        return leaksInternal(endpoints, senderOrganization)
                ? new PeerEndpoints(endpoints.peer(), endpoints.organization(), "", endpoints.externalEndpoint())
                : endpoints;
    }

    /**
     * Whether {@code endpoints} carries an internal endpoint that crossed an organisation's border on its way here:
     * the described peer is of another organisation than this one, or than the sender (which could not have known it).
     */
    boolean leaksInternal(PeerEndpoints endpoints, String senderOrganization) {
        return !endpoints.internalEndpoint().isEmpty()
                && (!endpoints.organization().equals(organization) || !endpoints.organization().equals(senderOrganization));
    }

    String organization() {
        return organization;
    }
}
