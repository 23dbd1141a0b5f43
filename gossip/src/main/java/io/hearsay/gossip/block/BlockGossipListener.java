package io.hearsay.gossip.block;

import io.hearsay.identity.PkiId;

/** Told of a peer's block events; the simulator measures with it, the node logs and exports metrics. */
public interface BlockGossipListener {
    BlockGossipListener NONE = new BlockGossipListener() { };

    /** Block {@code number} was committed; {@code from} is the peer it came from, or null from the orderer. */
    default void onBlockCommitted(long number, PkiId from) { }

    /** A message or block was dropped; {@code reason} names why (also counted in {@link GossipCounters}). */
    default void onDropped(PkiId from, String reason) { }
}
