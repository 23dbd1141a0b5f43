package io.hearsay.gossip.item;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A peer's items: the highest version seen per key, in key order (so digests and replies are built in a
 * deterministic order). Bounded: a store at {@code itemsMax} refuses new keys, counting each refusal,
 * rather than growing without limit when a neighbour floods it with keys.
 */
public final class ItemStore {
    /** Up to this many (digest, item) pairs, {@link #newerThan} compares pairs rather than building a map. */
    private static final long LINEAR_NEWER_THAN_MAX = 64;

    private final NavigableMap<String, VersionedItem> items = new TreeMap<>();
    private final int itemsMax;
    private long refusedNewKeys;

    public ItemStore(int itemsMax) {
        if (itemsMax < 1) {
            throw new IllegalArgumentException("itemsMax is " + itemsMax + "; it must be at least 1");
        }
        this.itemsMax = itemsMax;
    }

    public Optional<VersionedItem> get(String key) {
        return Optional.ofNullable(items.get(key));
    }

    /**
     * Keeps {@code item} if it is newer than what the store has for its key.
     *
     * @return true if the store changed
     */
    public boolean merge(VersionedItem item) {
        VersionedItem current = items.get(item.key());
        if (current == null) {
            if (items.size() >= itemsMax) {
                refusedNewKeys++;
                return false;
            }
        } else if (current.version() >= item.version()) {
            return false;
        }
        items.put(item.key(), item);
        return true;
    }

    public List<ItemDigest> digests() {
        List<ItemDigest> digests = new ArrayList<>(items.size());
        items.values().forEach(item -> digests.add(item.digest()));
        return digests;
    }

    public Collection<VersionedItem> items() {
        return items.values();
    }

    /** Items newer than the digests say the other side has, or that it lacks. */
    public List<VersionedItem> newerThan(List<ItemDigest> theirs) {
        if ((long) theirs.size() * items.size() <= LINEAR_NEWER_THAN_MAX) {
            return newerThanByScan(theirs);
        }
        NavigableMap<String, Long> known = new TreeMap<>();
        theirs.forEach(digest -> known.merge(digest.key(), digest.version(), Math::max));
        List<VersionedItem> newer = new ArrayList<>();
        for (VersionedItem item : items.values()) {
            Long version = known.get(item.key());
            if (version == null || version < item.version()) {
                newer.add(item);
            }
        }
        return newer;
    }

    /**
     * {@link #newerThan} for small stores and digests (the common case: a handful of items), by comparing every
     * pair instead of building a map; the same items in the same (key) order.
     */
    private List<VersionedItem> newerThanByScan(List<ItemDigest> theirs) {
        for (int i = 0; i < theirs.size(); i++) {
            // As the map would: a digest without a key is refused even when the store is empty.
            Objects.requireNonNull(theirs.get(i).key(), "digest key");
        }
        List<VersionedItem> newer = new ArrayList<>();
        for (VersionedItem item : items.values()) {
            boolean known = false;
            long version = Long.MIN_VALUE;
            for (int i = 0; i < theirs.size(); i++) {
                ItemDigest digest = theirs.get(i);
                if (digest.key().equals(item.key())) {
                    known = true;
                    version = Math.max(version, digest.version());
                }
            }
            if (!known || version < item.version()) {
                newer.add(item);
            }
        }
        return newer;
    }

    public int size() {
        return items.size();
    }

    public long refusedNewKeys() {
        return refusedNewKeys;
    }
}
