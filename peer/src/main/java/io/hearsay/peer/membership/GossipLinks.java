package io.hearsay.peer.membership;

import io.hearsay.identity.PkiId;

/**
 * What membership asks of the node's connections and channels ({@code GossipPeer} implements it). The node keeps track
 * of why each connection exists (a static neighbour, an anchor the overlay dials, a live member, a view neighbour) and
 * closes one only when nothing needs it any more, so membership may release what it asked for without knowing who else
 * uses it. Called on the membership's serial executor; must not block.
 */
public interface GossipLinks {
    /** Keep a connection to {@code peer} at {@code host:port}: a member this node probes and gossips membership with. */
    void keepMember(PkiId peer, String host, int port);

    /** Membership no longer needs the connection to {@code peer} (dead, forgotten, or a foreign seed). */
    void releaseMember(PkiId peer);

    /** {@code peer} entered this node's view: it becomes a block-gossip neighbour of every channel. */
    void addViewNeighbour(PkiId peer, String host, int port);

    /** {@code peer} left this node's view: it stops being a block-gossip neighbour (unless something else made it one). */
    void removeViewNeighbour(PkiId peer);
}
