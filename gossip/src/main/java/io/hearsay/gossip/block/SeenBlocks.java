package io.hearsay.gossip.block;

import com.google.protobuf.ByteString;

/**
 * Duplicate suppression: the block ids (number and header hash) this peer has already taken in, bounded by
 * count. When full, the oldest id is forgotten; a block that old is below the ledger height anyway, and the
 * height check catches its duplicates. Insertion-ordered, so eviction order is deterministic.
 *
 * <p>Arrays rather than a {@code LinkedHashSet}: every pushed block is looked up here on a peer whose state is
 * not in cache (100,000 of them in one simulator process), and a linked set costs an entry and an id object
 * per block, each a cache miss. Here the ids sit in a ring in arrival order, found through an open-addressing
 * index of ring positions keyed by block number:
 *
 * <pre>
 *   ring:  numbers[], hashes[]   oldest .. oldest + span - 1 (mod length); a removed id leaves a hole (null hash)
 *   index: position + 1 (0 = empty), linear probing, at most half full; holes are not in it
 *   add:   evict the oldest live id if full, append; the ring grows (or, at its largest, is compacted) when the
 *          span reaches its length: at twice the capacity at most, so a compaction frees half of it
 * </pre>
 *
 * Both start small and grow with use: a simulated peer that sees five blocks keeps about 260 bytes here, where
 * the linked set took about 470.
 */
final class SeenBlocks {
    record BlockId(long number, ByteString headerHash) {}

    private static final int RING_INITIAL = 8;

    private final int capacity;
    /** The ring's largest length: a power of two of at least twice the capacity, so holes cannot fill it. */
    private final int ringLengthMax;
    private long[] numbers = new long[RING_INITIAL];
    private ByteString[] hashes = new ByteString[RING_INITIAL];
    /** Ring position of the oldest entry, live or hole. */
    private int oldest;
    /** Entries from the oldest to the newest, holes included. */
    private int span;
    /** Ids held: {@code span} less the holes. */
    private int live;
    private int[] index = new int[2 * RING_INITIAL];
    private long evicted;

    SeenBlocks(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity is " + capacity + "; it must be at least 1");
        }
        this.capacity = capacity;
        this.ringLengthMax = Math.max(RING_INITIAL, Integer.highestOneBit(capacity - 1 | 1) << 2);
    }

    /** Records {@code id}; true if it was new. */
    boolean add(BlockId id) {
        if (slotOf(id.number(), id.headerHash()) >= 0) {
            return false;
        }
        if (live == capacity) {
            evictOldest();
        }
        if (span == numbers.length) {
            resize(numbers.length < ringLengthMax ? numbers.length * 2 : numbers.length);
        }
        int position = (oldest + span) & (numbers.length - 1);
        numbers[position] = id.number();
        hashes[position] = id.headerHash();
        span++;
        live++;
        insert(position);
        return true;
    }

    void remove(BlockId id) {
        int slot = slotOf(id.number(), id.headerHash());
        if (slot < 0) {
            return;
        }
        int position = index[slot] - 1;
        deleteSlot(slot);
        hashes[position] = null;
        live--;
        dropLeadingHoles();
    }

    boolean contains(BlockId id) {
        return slotOf(id.number(), id.headerHash()) >= 0;
    }

    long evicted() {
        return evicted;
    }

    private void evictOldest() {
        deleteSlot(slotOf(numbers[oldest], hashes[oldest]));
        hashes[oldest] = null;
        live--;
        evicted++;
        dropLeadingHoles();
    }

    /** Moves the oldest end past holes, so the oldest entry is live (or the ring empty). */
    private void dropLeadingHoles() {
        while (span > 0 && hashes[oldest] == null) {
            oldest = (oldest + 1) & (numbers.length - 1);
            span--;
        }
    }

    /** Copies the live ids, oldest first, into a ring of {@code length} and re-indexes them. */
    private void resize(int length) {
        long[] newNumbers = new long[length];
        ByteString[] newHashes = new ByteString[length];
        int kept = 0;
        for (int i = 0; i < span; i++) {
            int position = (oldest + i) & (numbers.length - 1);
            if (hashes[position] != null) {
                newNumbers[kept] = numbers[position];
                newHashes[kept] = hashes[position];
                kept++;
            }
        }
        numbers = newNumbers;
        hashes = newHashes;
        oldest = 0;
        span = kept;
        index = new int[2 * length];
        for (int position = 0; position < kept; position++) {
            insert(position);
        }
    }

    /** The index slot holding the id, or -1. */
    private int slotOf(long number, ByteString headerHash) {
        int mask = index.length - 1;
        for (int slot = home(number); ; slot = (slot + 1) & mask) {
            int entry = index[slot];
            if (entry == 0) {
                return -1;
            }
            if (numbers[entry - 1] == number && hashes[entry - 1].equals(headerHash)) {
                return slot;
            }
        }
    }

    private void insert(int position) {
        int mask = index.length - 1;
        int slot = home(numbers[position]);
        while (index[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        index[slot] = position + 1;
    }

    /** Empties {@code slot}, moving later entries of its probe run back so every entry stays reachable. */
    private void deleteSlot(int slot) {
        int mask = index.length - 1;
        int hole = slot;
        for (int next = (slot + 1) & mask; index[next] != 0; next = (next + 1) & mask) {
            int home = home(numbers[index[next] - 1]);
            // The entry may fill the hole if the hole lies on its probe path, from its home up to where it is.
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                index[hole] = index[next];
                hole = next;
            }
        }
        index[hole] = 0;
    }

    private int home(long number) {
        long mixed = number * 0x9e3779b97f4a7c15L;
        return (int) (mixed >>> 32) & (index.length - 1);
    }

    @Override
    public String toString() {
        return "SeenBlocks[" + live + " of " + capacity + ", evicted " + evicted + ", ring " + numbers.length
                + ", holes " + (span - live) + "]";
    }
}
