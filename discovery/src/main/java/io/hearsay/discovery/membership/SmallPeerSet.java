package io.hearsay.discovery.membership;

import io.hearsay.identity.PkiId;
import java.util.Arrays;

/**
 * A mutable set of a few peers (a neighbourhood's worth), unordered, in one array: e.g. the neighbours block gossip
 * pruned, or the receivers of a channel's last multicast. A {@code TreeSet<PkiId>} walked a tree node and compared
 * PKI-ID bytes at every level, and a list compared bytes with every member; here a lookup scans a short array for
 * the very PKI-ID object (callers usually hold the one the set was given), then, failing that, for an equal one,
 * comparing hashes kept beside the members before any bytes: a peer not in the set (the usual answer when a
 * multicast adds its next receiver) is found absent without reading a member. Only membership and size are
 * offered, so no order can leak out.
 *
 * <p>Linear in its size: meant for sets bounded by a neighbourhood. Single-threaded.
 */
public final class SmallPeerSet {
    private static final int CAPACITY_MIN = 4;

    private PkiId[] peers;
    /** {@code peers[i].hashCode()}. */
    private int[] hashes;
    private int size;

    public SmallPeerSet() {
        this(CAPACITY_MIN);
    }

    /**
     * @param expectedPeers how many peers the set will likely hold (e.g. the neighbourhood): sized for them at once,
     *     its arrays are allocated beside their owner rather than wherever the heap's allocation front stands when
     *     the set grows, which at 10,000 simulated peers is one more cache miss per lookup
     */
    public SmallPeerSet(int expectedPeers) {
        int capacity = Math.max(CAPACITY_MIN, expectedPeers);
        peers = new PkiId[capacity];
        hashes = new int[capacity];
    }

    public int size() {
        return size;
    }

    public boolean contains(PkiId peer) {
        return indexOf(peer) >= 0;
    }

    /** Adds {@code peer}; false if it was there already. */
    public boolean add(PkiId peer) {
        if (indexOf(peer) >= 0) {
            return false;
        }
        if (size == peers.length) {
            peers = Arrays.copyOf(peers, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        hashes[size] = peer.hashCode();
        peers[size++] = peer;
        return true;
    }

    /** Removes {@code peer}; false if it was not there. */
    public boolean remove(PkiId peer) {
        int index = indexOf(peer);
        if (index < 0) {
            return false;
        }
        peers[index] = peers[--size];
        hashes[index] = hashes[size];
        peers[size] = null;
        return true;
    }

    /** Empties the set (keeping its array). */
    public void clear() {
        Arrays.fill(peers, 0, size, null);
        size = 0;
    }

    private int indexOf(PkiId peer) {
        for (int i = 0; i < size; i++) {
            if (peers[i] == peer) {
                return i;
            }
        }
        int hash = peer.hashCode();
        for (int i = 0; i < size; i++) {
            if (hashes[i] == hash && peers[i].equals(peer)) {
                return i;
            }
        }
        return -1;
    }
}
