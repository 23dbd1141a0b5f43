package io.hearsay.ledger;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The committed value of recently used state keys, in front of the storage, for the committer only. A block's
 * planning looks up every key it reads or writes ({@link PlannerReads}); hot keys (account balances, counters)
 * are looked up block after block, and a storage lookup of one crosses into RocksDB and searches its memtables
 * and files: a quarter of the committer's time in the block-level benchmark.
 *
 * <p>Holds what is durable, never what is planned: an entry comes from a storage read, or from the writes of a
 * block whose batch is durable ({@link #applyDurable}), so a block that is rejected, or whose write fails,
 * leaves nothing here. An absent key is cached too ({@link #ABSENT}), since a read of a key that was never
 * written is as common as any.
 *
 * <p>Least recently used entries leave first once the entries' bytes (key and value) pass the bound. Not
 * thread-safe: used under the ledger's commit lock, by the thread that plans and publishes.
 */
final class StateCache {
    /** The value of a key that has none; compared by identity. */
    static final byte[] ABSENT = new byte[0];
    /** What an entry costs beyond its key and value bytes: the map node, the key object, two array headers. */
    static final int ENTRY_OVERHEAD_BYTES = 96;

    private final long bytesMax;
    private long bytes;
    private final LinkedHashMap<StoredKey, byte[]> entries = new LinkedHashMap<>(64, 0.75f, true);

    /** @param bytesMax the bound on cached bytes, entry overhead included; 0 caches nothing */
    StateCache(long bytesMax) {
        if (bytesMax < 0) {
            throw new IllegalArgumentException("bytesMax is " + bytesMax + "; it must be 0 or more");
        }
        this.bytesMax = bytesMax;
    }

    /** The committed value of {@code key}: its bytes, {@link #ABSENT} if it has none, or null if not cached. */
    byte[] get(StoredKey key) {
        return entries.get(key);
    }

    /** Remembers the committed value of {@code key} as read from storage ({@code null}: the key has none). */
    void putCommitted(StoredKey key, byte[] value) {
        if (bytesMax == 0) {
            return;
        }
        byte[] stored = value == null ? ABSENT : value;
        byte[] previous = entries.put(key, stored);
        bytes += cost(key, stored) - (previous == null ? 0 : cost(key, previous));
        while (bytes > bytesMax && !entries.isEmpty()) {
            Map.Entry<StoredKey, byte[]> eldest = entries.entrySet().iterator().next();
            bytes -= cost(eldest.getKey(), eldest.getValue());
            entries.remove(eldest.getKey());
        }
    }

    /**
     * Takes the state writes of a block whose batch is now durable (stored key → stored value, null for a
     * delete): from now on they are the committed values.
     */
    void applyDurable(Map<StoredKey, byte[]> stateWrites) {
        if (bytesMax == 0) {
            return;
        }
        stateWrites.forEach(this::putCommitted);
    }

    /** Entries cached now; for tests. */
    int size() {
        return entries.size();
    }

    /** Bytes cached now, entry overhead included; for tests. */
    long bytes() {
        return bytes;
    }

    private static long cost(StoredKey key, byte[] value) {
        return ENTRY_OVERHEAD_BYTES + key.bytes().length + value.length;
    }
}
