package io.hearsay.peer;

import io.hearsay.discovery.membership.Membership;
import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.identity.Identity;
import io.hearsay.identity.PkiId;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A channel's gossip neighbours as the node sets them (the static neighbours it was told to connect to, and the
 * members its view picked or accepted), and the organisation of any peer as its handshake proved it, if it is one of
 * the channel's organisations. A peer of any other organisation (the node's MSP directory may trust it for another
 * channel) has no organisation here, so the authentication layer drops its messages (counted as an unknown
 * organisation). Changed and read only on the channel's serial executor.
 */
final class NeighbourMembership implements Membership {
    private final PkiId self;
    private final Function<PkiId, Optional<Identity>> identities;
    private final Set<String> channelOrganizations;
    private final TreeSet<PkiId> neighbourIds = new TreeSet<>();
    private PeerSet neighbours = PeerSet.empty();

    /** @param channelOrganizations the MSP ids of the channel's organisations: the only senders accepted */
    NeighbourMembership(PkiId self, Function<PkiId, Optional<Identity>> identities, Set<String> channelOrganizations) {
        this.self = self;
        this.identities = identities;
        this.channelOrganizations = Set.copyOf(channelOrganizations);
    }

    void add(PkiId peer) {
        if (!peer.equals(self) && neighbourIds.add(peer)) {
            neighbours = PeerSet.of(neighbourIds);
        }
    }

    void remove(PkiId peer) {
        if (neighbourIds.remove(peer)) {
            neighbours = PeerSet.of(neighbourIds);
        }
    }

    @Override
    public PkiId self() {
        return self;
    }

    @Override
    public PeerSet neighbours() {
        return neighbours;
    }

    @Override
    public Optional<String> organization(PkiId peer) {
        return identities.apply(peer).map(Identity::mspId).filter(channelOrganizations::contains);
    }
}
