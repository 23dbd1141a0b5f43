package io.hearsay.gossip.block;

import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.identity.PkiId;
import java.util.Arrays;

/**
 * The heights a few peers claim, in PKI-ID order: what {@link RangeRepair} keeps per neighbour. A sorted
 * pair of arrays rather than a {@code TreeMap<PkiId, Long>}: a neighbourhood is a handful of peers, and a
 * claim arrives with nearly every message, so the common case (a known neighbour) is one scan of a short
 * array for the very PKI-ID object, with no tree walk, key comparison or boxing. Iteration is by index in
 * PKI-ID order, exactly the order of the tree map it replaces, so every decision over it is unchanged.
 *
 * <p>Each member's first eight bytes are kept beside it ({@link PkiId#word} 0), so the two other cases read no
 * member at all unless the words tie: a peer not in the table (a neighbour that has claimed nothing yet) is found
 * absent by a scan of the words, and a new peer's place in PKI-ID order is found by comparing them unsigned. A
 * binary search compared PKI-ID bytes and so read two objects of each member it probed; in a 10,000-peer
 * simulation, where every peer's members are cold, filling the tables (about nine insertions per table, a third
 * as many as the run has events) was a tenth of the run.
 */
final class PeerHeights {
    private static final int CAPACITY_MIN = 8;

    private PkiId[] peers;
    /** {@code peers[i].word(0)}: the first bytes of each member, in the same (unsigned) order as the members. */
    private long[] firstWords;
    private long[] heights;
    private int size;

    /**
     * @param expectedPeers how many peers the table will likely hold (the neighbourhood): sized for them at once, its
     *     arrays lie beside the rest of the peer's state rather than wherever the heap's allocation front stood when
     *     they grew mid-run, one more cache miss apart on every lookup of a cold peer
     */
    PeerHeights(int expectedPeers) {
        int capacity = Math.max(CAPACITY_MIN, expectedPeers);
        peers = new PkiId[capacity];
        firstWords = new long[capacity];
        heights = new long[capacity];
    }

    int size() {
        return size;
    }

    /** The {@code index}-th peer in PKI-ID order. */
    PkiId peer(int index) {
        return peers[index];
    }

    long height(int index) {
        return heights[index];
    }

    /** The index of {@code peer}, or {@code -(insertion point) - 1} as {@link Arrays#binarySearch} gives. */
    int indexOf(PkiId peer) {
        for (int i = 0; i < size; i++) {
            if (peers[i] == peer) {
                return i;
            }
        }
        // Not the very object: place it by its first word, reading a member only where the words tie.
        long word = peer.word(0);
        for (int i = 0; i < size; i++) {
            int order = Long.compareUnsigned(word, firstWords[i]);
            if (order == 0) {
                order = peer.compareTo(peers[i]);
            }
            if (order <= 0) {
                return order == 0 ? i : -i - 1;
            }
        }
        return -size - 1;
    }

    /** {@code peer}'s claimed height, or {@code absent}. */
    long get(PkiId peer, long absent) {
        int index = indexOf(peer);
        return index >= 0 ? heights[index] : absent;
    }

    boolean contains(PkiId peer) {
        return indexOf(peer) >= 0;
    }

    /** Records {@code height} for {@code peer}, keeping the higher of it and any earlier claim. */
    void raise(PkiId peer, long height) {
        record(peer, height, true);
    }

    /** Records {@code height} for {@code peer}, replacing any earlier claim, higher or not. */
    void set(PkiId peer, long height) {
        record(peer, height, false);
    }

    private void record(PkiId peer, long height, boolean keepHigher) {
        int index = indexOf(peer);
        if (index >= 0) {
            heights[index] = keepHigher ? Math.max(heights[index], height) : height;
            return;
        }
        int at = -index - 1;
        if (size == peers.length) {
            peers = Arrays.copyOf(peers, size * 2);
            firstWords = Arrays.copyOf(firstWords, size * 2);
            heights = Arrays.copyOf(heights, size * 2);
        }
        System.arraycopy(peers, at, peers, at + 1, size - at);
        System.arraycopy(firstWords, at, firstWords, at + 1, size - at);
        System.arraycopy(heights, at, heights, at + 1, size - at);
        peers[at] = peer;
        firstWords[at] = peer.word(0);
        heights[at] = height;
        size++;
    }

    void remove(PkiId peer) {
        int index = indexOf(peer);
        if (index >= 0) {
            removeAt(index);
        }
    }

    /**
     * Forgets former neighbours once there are more peers than {@code neighbours}: only they can make it larger, so a
     * table fed only by neighbours stays bounded by the neighbourhood without a scan per entry.
     */
    void keepWithin(PeerSet neighbours) {
        if (size > neighbours.size()) {
            retainAll(neighbours);
        }
    }

    /** Forgets every peer not in {@code keep}. */
    void retainAll(PeerSet keep) {
        for (int i = size - 1; i >= 0; i--) {
            if (!keep.contains(peers[i])) {
                removeAt(i);
            }
        }
    }

    private void removeAt(int index) {
        System.arraycopy(peers, index + 1, peers, index, size - index - 1);
        System.arraycopy(firstWords, index + 1, firstWords, index, size - index - 1);
        System.arraycopy(heights, index + 1, heights, index, size - index - 1);
        peers[--size] = null;
    }
}
