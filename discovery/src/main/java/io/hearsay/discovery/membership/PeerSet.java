package io.hearsay.discovery.membership;

import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An immutable set of peers in PKI-ID order, addressable by index, so that picking k random members costs
 * O(k) and one set can be shared by 100,000 simulated peers (a complete graph is one sorted array and a
 * cheap "everyone but me" view per peer, not 100,000 copies).
 */
public abstract class PeerSet {
    PeerSet() {}

    public abstract int size();

    /** The {@code index}-th member in PKI-ID order. */
    public abstract PkiId get(int index);

    public abstract boolean contains(PkiId peer);

    public boolean isEmpty() {
        return size() == 0;
    }

    public static PeerSet of(Collection<PkiId> peers) {
        PkiId[] given = peers.toArray(new PkiId[0]);
        boolean ascending = true;
        for (int i = 1; i < given.length && ascending; i++) {
            ascending = given[i - 1].compareTo(given[i]) < 0;
        }
        if (ascending) {
            // Already in PKI-ID order without repeats (a subset of another set, taken in order): no stream, no sort.
            return new Sorted(given);
        }
        PkiId[] sorted = peers.stream().distinct().sorted().toArray(PkiId[]::new);
        return new Sorted(sorted);
    }

    public static PeerSet empty() {
        return new Sorted(new PkiId[0]);
    }

    /** This set without {@code excluded}: a view, no copy. */
    public PeerSet without(PkiId excluded) {
        return contains(excluded) ? new Without(this, excluded) : this;
    }

    public List<PkiId> toList() {
        List<PkiId> list = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            list.add(get(i));
        }
        return list;
    }

    /**
     * Up to {@code count} distinct members, uniformly at random, leaving out {@code excluded} (may be null).
     * Rejection sampling on indices when {@code count} is small against the size, a partial Fisher–Yates
     * over indices otherwise; either way a function of the random source alone.
     */
    public List<PkiId> sample(RandomSource random, int count, PkiId excluded) {
        PeerSet pool = excluded == null ? this : without(excluded);
        int size = pool.size();
        int picks = Math.min(count, size);
        List<PkiId> result = new ArrayList<>(picks);
        if (picks * 4 <= size) {
            if (picks <= SMALL_SAMPLE_MAX) {
                // The same draws as below, remembered in a few ints rather than a set of boxed ones.
                int[] chosen = new int[picks];
                int taken = 0;
                while (taken < picks) {
                    int index = random.nextInt(size);
                    if (!containsIndex(chosen, taken, index)) {
                        chosen[taken++] = index;
                        result.add(pool.get(index));
                    }
                }
                return result;
            }
            Set<Integer> chosen = new HashSet<>();
            while (result.size() < picks) {
                int index = random.nextInt(size);
                if (chosen.add(index)) {
                    result.add(pool.get(index));
                }
            }
            return result;
        }
        int[] indexes = new int[size];
        for (int i = 0; i < size; i++) {
            indexes[i] = i;
        }
        for (int i = 0; i < picks; i++) {
            int j = i + random.nextInt(size - i);
            int swap = indexes[i];
            indexes[i] = indexes[j];
            indexes[j] = swap;
            result.add(pool.get(indexes[i]));
        }
        return result;
    }

    /** Samples up to this size track their picks in an array, searched linearly. */
    private static final int SMALL_SAMPLE_MAX = 16;

    private static boolean containsIndex(int[] values, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    private static final class Sorted extends PeerSet {
        private static final int IDENTITY_SCAN_MAX = 64;

        private final PkiId[] members;

        Sorted(PkiId[] members) {
            this.members = members;
        }

        @Override
        public int size() {
            return members.length;
        }

        @Override
        public PkiId get(int index) {
            return members[index];
        }

        @Override
        public boolean contains(PkiId peer) {
            return indexOf(peer) >= 0;
        }

        int indexOf(PkiId peer) {
            // A neighbourhood is small and callers usually hold the very object the set was built from: one
            // scan of a short array finds it without comparing PKI-ID bytes. Otherwise, binary search.
            if (members.length <= IDENTITY_SCAN_MAX) {
                for (int i = 0; i < members.length; i++) {
                    if (members[i] == peer) {
                        return i;
                    }
                }
            }
            return Arrays.binarySearch(members, peer);
        }
    }

    private static final class Without extends PeerSet {
        private final PeerSet base;
        private final PkiId excluded;
        private final int excludedIndex;

        Without(PeerSet base, PkiId excluded) {
            this.base = base;
            this.excluded = excluded;
            int index = -1;
            if (base instanceof Sorted sorted) {
                index = sorted.indexOf(excluded);
            } else {
                for (int i = 0; i < base.size(); i++) {
                    if (base.get(i).equals(excluded)) {
                        index = i;
                        break;
                    }
                }
            }
            this.excludedIndex = index;
        }

        @Override
        public int size() {
            return base.size() - 1;
        }

        @Override
        public PkiId get(int index) {
            return base.get(index < excludedIndex ? index : index + 1);
        }

        @Override
        public boolean contains(PkiId peer) {
            return peer != excluded && !peer.equals(excluded) && base.contains(peer);
        }
    }
}
