package io.hearsay.peer.membership;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One counter per constant of an enum: written by a protocol's serial executor, read from any thread (metrics, tests).
 * What node-level protocols count their refusals and link events with.
 */
public final class EnumCounts<E extends Enum<E>> {
    private final Class<E> type;
    private final AtomicLongArray values;

    public EnumCounts(Class<E> type) {
        this.type = type;
        this.values = new AtomicLongArray(type.getEnumConstants().length);
    }

    public void increment(E key) {
        values.incrementAndGet(key.ordinal());
    }

    public long get(E key) {
        return values.get(key.ordinal());
    }

    /** Every counter, zeros included, as they are now. */
    public Map<E, Long> snapshot() {
        Map<E, Long> snapshot = new EnumMap<>(type);
        for (E key : type.getEnumConstants()) {
            snapshot.put(key, get(key));
        }
        return snapshot;
    }
}
