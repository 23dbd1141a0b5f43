package io.hearsay.peer.node;

import java.util.function.Supplier;

/**
 * A copy of a protocol component's state, reused for {@link #REUSE_NANOS}: the state is read on the component's
 * serial executor, so one copy serves a whole metrics scrape, and a scrape of forty series costs one query.
 */
final class StateCache<T> implements Supplier<T> {
    /** How long a copy is reused: shorter than any scrape interval, longer than one scrape. */
    static final long REUSE_NANOS = 1_000_000_000L;

    private final Supplier<T> read;
    private T state;
    private long takenNanos;

    StateCache(Supplier<T> read) {
        this.read = read;
    }

    /** The state, at most {@link #REUSE_NANOS} old. */
    @Override
    public synchronized T get() {
        long now = System.nanoTime();
        if (state == null || now - takenNanos > REUSE_NANOS) {
            state = read.get();
            takenNanos = now;
        }
        return state;
    }
}
