package io.hearsay.peer.transport;

import io.hearsay.identity.PkiId;
import io.hearsay.peer.transport.TransportCounters.Counter;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The envelopes one link holds back under latency or a clog, in send order, each with the time it may go. One
 * release task at a time runs on the network's timer executor, and it hands envelopes to the connection while
 * holding this queue's lock, so they leave in the order they were sent even on a multi-threaded timer.
 *
 * <p>Bounded like a connection's own queues (control messages by count, bulk ones by bytes): a clogged link fills
 * up as a stalled connection would, and what does not fit is refused and counted as QUEUE_FULL.
 *
 * <p>Lock order: this queue, then the connection (through {@code sender}); nothing calls back into a hold.
 */
final class LinkFaultsHold {
    /** Hands an envelope to the link's current connection; false if it was refused (counted there). */
    interface Sender {
        boolean sendNow(PkiId to, byte[] envelope, boolean bulk);
    }

    private record Held(byte[] envelope, boolean bulk, boolean control, long releaseNanos) {}

    private final PkiId peer;
    private final GossipTransportConfig config;
    private final TransportCounters counters;
    private final ScheduledExecutorService timers;
    private final LongSupplier nanoTime;
    private final Sender sender;
    /** The network's faults when a release runs (they may have been replaced or removed since the send). */
    private final Supplier<LinkFaults> faults;
    private final ArrayDeque<Held> queue = new ArrayDeque<>();
    private int controlMessages;
    private long bulkBytes;
    /** The release time of the last envelope queued: later envelopes never leave before it (per-link order). */
    private long lastReleaseNanos = Long.MIN_VALUE;
    private ScheduledFuture<?> release;
    private boolean closed;

    LinkFaultsHold(PkiId peer, GossipTransportConfig config, TransportCounters counters, ScheduledExecutorService timers,
            LongSupplier nanoTime, Sender sender, Supplier<LinkFaults> faults) {
        this.peer = peer;
        this.config = config;
        this.counters = counters;
        this.timers = timers;
        this.nanoTime = nanoTime;
        this.sender = sender;
        this.faults = faults;
    }

    /**
     * Sends at once if nothing is held and {@code rule} holds nothing back; otherwise queues behind what is held.
     * Returns false if the envelope was refused (queue bound, or the connection's own checks).
     */
    synchronized boolean send(byte[] envelope, boolean bulk, LinkFaults.Rule rule, long delayNanos) {
        if (closed) {
            counters.increment(Counter.NOT_CONNECTED);
            return false;
        }
        if (queue.isEmpty() && !rule.holds()) {
            return sender.sendNow(peer, envelope, bulk);
        }
        boolean control = !bulk && envelope.length <= config.chunkBytes();
        if (control ? controlMessages >= config.controlQueueMessagesMax()
                : bulkBytes + envelope.length > config.bulkQueueBytesMax()) {
            counters.increment(Counter.QUEUE_FULL);
            return false;
        }
        long releaseNanos = Math.max(nanoTime.getAsLong() + delayNanos, lastReleaseNanos);
        lastReleaseNanos = releaseNanos;
        queue.add(new Held(envelope, bulk, control, releaseNanos));
        if (control) {
            controlMessages++;
        } else {
            bulkBytes += envelope.length;
        }
        if (!rule.clogged()) {
            scheduleRelease();
        }
        return true;
    }

    /** The faults changed (a clog lifted, a partition healed): release what is due now. */
    synchronized void kick() {
        if (!queue.isEmpty() && release == null && !closed) {
            submit(0);
        }
    }

    synchronized int size() {
        return queue.size();
    }

    /** Drops everything held; the network is closing. */
    synchronized void close() {
        closed = true;
        if (release != null) {
            release.cancel(false);
            release = null;
        }
        queue.clear();
        controlMessages = 0;
        bulkBytes = 0;
    }

    /**
     * Sends every envelope that is due, in order, unless the link is clogged now; a blocked link drops them, as
     * it would have at send time. Schedules the next release if any remain.
     */
    private synchronized void releaseDue(LinkFaults faults) {
        release = null;
        if (closed) {
            return;
        }
        LinkFaults.Rule rule = faults == null ? LinkFaults.Rule.NONE : faults.effective(peer);
        if (rule.clogged()) {
            return; // kick() resumes when it is lifted
        }
        long now = nanoTime.getAsLong();
        while (!queue.isEmpty() && queue.peek().releaseNanos() <= now) {
            Held held = queue.poll();
            if (held.control()) {
                controlMessages--;
            } else {
                bulkBytes -= held.envelope().length;
            }
            if (rule.blocked()) {
                counters.increment(Counter.FAULT_DROPPED);
            } else {
                sender.sendNow(peer, held.envelope(), held.bulk());
            }
        }
        if (!queue.isEmpty()) {
            submit(queue.peek().releaseNanos() - now);
        }
    }

    private void scheduleRelease() {
        if (release == null) {
            submit(queue.peek().releaseNanos() - nanoTime.getAsLong());
        }
    }

    private void submit(long delayNanos) {
        try {
            release = timers.schedule(() -> releaseDue(faults.get()), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // The node's timers stopped: it is shutting down, and what is held goes with it.
            release = null;
        }
    }
}
