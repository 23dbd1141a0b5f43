package io.hearsay.gossip.block;

import com.google.protobuf.ByteString;
import java.util.LinkedHashSet;
import java.util.Iterator;

/**
 * Duplicate suppression: the block ids (number and header hash) this peer has already taken in, bounded by
 * count. When full, the oldest id is forgotten; a block that old is below the ledger height anyway, and the
 * height check catches its duplicates. Insertion-ordered, so eviction order is deterministic.
 */
final class SeenBlocks {
    record BlockId(long number, ByteString headerHash) {}

    private final LinkedHashSet<BlockId> seen = new LinkedHashSet<>();
    private final int capacity;
    private long evicted;

    SeenBlocks(int capacity) {
        this.capacity = capacity;
    }

    /** Records {@code id}; true if it was new. */
    boolean add(BlockId id) {
        if (!seen.add(id)) {
            return false;
        }
        if (seen.size() > capacity) {
            Iterator<BlockId> oldest = seen.iterator();
            oldest.next();
            oldest.remove();
            evicted++;
        }
        return true;
    }

    void remove(BlockId id) {
        seen.remove(id);
    }

    boolean contains(BlockId id) {
        return seen.contains(id);
    }

    long evicted() {
        return evicted;
    }
}
