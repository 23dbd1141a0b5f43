package io.hearsay.gossip.item;

import io.hearsay.identity.PkiId;

/** Told when a peer's store takes a newer item: the simulator records first-receipt times with it. */
@FunctionalInterface
public interface ItemListener {
    ItemListener NONE = (item, from) -> { };

    void onItemLearned(VersionedItem item, PkiId from);
}
