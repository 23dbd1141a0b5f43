package io.hearsay.peer;

import io.hearsay.identity.PkiId;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs dropped messages with their reason, at most once a second per sender, with a count of the drops
 * not logged in between: a flooding or broken neighbour must not flood the log too. Every drop is also
 * counted by the component that dropped it.
 */
final class DropLog {
    private static final long INTERVAL_NANOS = 1_000_000_000L;
    /** The window key of drops with no sender (blocks from the orderer). */
    private static final PkiId NO_SENDER = PkiId.fromBytes(new byte[PkiId.LENGTH_BYTES]);

    private final Logger log;
    private final String peerName;
    private final ConcurrentHashMap<PkiId, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        volatile long startNanos;
        final AtomicLong suppressed = new AtomicLong();
    }

    DropLog(Logger log, String peerName) {
        this.log = log;
        this.peerName = peerName;
    }

    void dropped(PkiId from, String reason) {
        long now = System.nanoTime();
        Window window = windows.computeIfAbsent(from == null ? NO_SENDER : from, f -> {
            Window w = new Window();
            w.startNanos = now - INTERVAL_NANOS;
            return w;
        });
        synchronized (window) {
            if (now - window.startNanos < INTERVAL_NANOS) {
                window.suppressed.incrementAndGet();
                return;
            }
            window.startNanos = now;
        }
        long suppressed = window.suppressed.getAndSet(0);
        log.warn("{}: dropped a message from {}: {}{}", peerName, from == null ? "the orderer" : from, reason,
                suppressed == 0 ? "" : " (" + suppressed + " more drops from this sender in the last second)");
    }
}
