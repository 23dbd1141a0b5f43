package io.hearsay.discovery.membership;

import io.hearsay.identity.PkiId;
import java.util.Map;
import java.util.Optional;

/**
 * A fixed membership: a peer's given neighbours, and the organisation of every peer from a directory all
 * peers share. It stands in for real membership (the discovery issue) in gossip tests and the simulator's
 * static topologies. Immutable.
 */
public final class StaticMembership implements Membership {
    private final PkiId self;
    private final PeerSet neighbours;
    private final Map<PkiId, String> organizations;

    /**
     * @param neighbours this peer's neighbours (may be a shared set's {@link PeerSet#without} view)
     * @param organizations the organisation of every peer; shared by reference between peers (never
     *     copied, so 100,000 simulated peers cost one map), and therefore never modified by the caller.
     *     Only looked up, never iterated, so a hash map serves (one lookup per received message).
     */
    public StaticMembership(PkiId self, PeerSet neighbours, Map<PkiId, String> organizations) {
        if (neighbours.contains(self)) {
            throw new IllegalArgumentException("a peer cannot be its own neighbour: " + self);
        }
        if (!organizations.containsKey(self)) {
            throw new IllegalArgumentException("the directory has no organisation for " + self);
        }
        // Checking every neighbour would cost O(n) per peer on a complete graph; sample the first and last.
        if (!neighbours.isEmpty() && (!organizations.containsKey(neighbours.get(0))
                || !organizations.containsKey(neighbours.get(neighbours.size() - 1)))) {
            throw new IllegalArgumentException("the directory has no organisation for neighbour "
                    + (organizations.containsKey(neighbours.get(0)) ? neighbours.get(neighbours.size() - 1) : neighbours.get(0)));
        }
        this.self = self;
        this.neighbours = neighbours;
        this.organizations = organizations;
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
        return Optional.ofNullable(organizations.get(peer));
    }
}
