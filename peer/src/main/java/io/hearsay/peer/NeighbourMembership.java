package io.hearsay.peer;

import io.hearsay.discovery.membership.Membership;
import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.identity.Identity;
import io.hearsay.identity.PkiId;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The membership of a node before discovery runs it: the neighbours it was told to connect to, and the
 * organisation of any peer as its handshake proved it. Changed and read only on the peer's serial executor.
 */
final class NeighbourMembership implements Membership {
    private final PkiId self;
    private final Function<PkiId, Optional<Identity>> identities;
    private final TreeSet<PkiId> neighbourIds = new TreeSet<>();
    private PeerSet neighbours = PeerSet.empty();

    NeighbourMembership(PkiId self, Function<PkiId, Optional<Identity>> identities) {
        this.self = self;
        this.identities = identities;
    }

    void add(PkiId peer) {
        if (!peer.equals(self) && neighbourIds.add(peer)) {
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
        return identities.apply(peer).map(Identity::mspId);
    }
}
