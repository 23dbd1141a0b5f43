package io.hearsay.gossip.block;

import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;

/**
 * Tree push's lazy queue: announcements ("IHAVE") held for a short delay and sent only if still needed then.
 *
 * <p>Why: on an edge between two pruned neighbours, the one that commits a block first tells the other, and the
 * other, having heard, stays silent ({@code BlockGossip#hasClaimed}). But two neighbours that commit at about the
 * same time (at the same depth of the tree) each announce before hearing from the other, and both announcements
 * are wasted. So one direction of each edge waits here: a peer tells a neighbour that ranks above it in PKI-ID
 * order at once, and one that ranks below it after this delay, unless that neighbour's own announcement arrived
 * meanwhile. Of a near tie, one message is left instead of two; a neighbour still behind hears one delay later,
 * within the delay it gives a late push before fetching it anyway.
 * <pre>
 *   A &lt; B, both commit block n within the delay:
 *     A ──Announce(n)──▶ B            (at once: B ranks above A)
 *     B: holds Announce(n) for A ... A's Announce(n) arrives ─▶ dropped
 * </pre>
 * An announcement arriving for a block with announcements held here is therefore worth its signature check
 * ({@link #holds}). Entries are flushed together, at most {@code delayMillis} after they were added; at most one
 * entry per neighbour per block committed within one delay, so the queue is bounded by the neighbourhood times the
 * commit run.
 */
final class DeferredAnnouncements {
    private record Entry(PkiId peer, BlockMessage.Announce announce) {}

    private final Scheduler scheduler;
    private final long delayMillis;
    private final BiConsumer<PkiId, BlockMessage.Announce> send;
    private final BiPredicate<PkiId, BlockMessage.Announce> stillNeeded;
    private final List<Entry> entries = new ArrayList<>();
    private Scheduler.Timer flush;

    /**
     * @param stillNeeded asked for each entry when the delay is over: false (the peer claimed the block meanwhile, or
     *     is no longer a neighbour) drops it
     */
    DeferredAnnouncements(Scheduler scheduler, long delayMillis, BiConsumer<PkiId, BlockMessage.Announce> send,
            BiPredicate<PkiId, BlockMessage.Announce> stillNeeded) {
        this.scheduler = scheduler;
        this.delayMillis = delayMillis;
        this.send = send;
        this.stillNeeded = stillNeeded;
    }

    void add(PkiId peer, BlockMessage.Announce announce) {
        entries.add(new Entry(peer, announce));
        if (flush == null) {
            flush = scheduler.schedule(delayMillis, this::flush);
        }
    }

    /** True if an announcement of block {@code number} waits here: a claim of it may still spare a message. */
    boolean holds(long number) {
        if (flush == null) {
            // Nothing held (a flush is pending exactly while entries are): asked of most messages a peer receives,
            // so the list, another object, is read only when it has entries.
            return false;
        }
        for (Entry entry : entries) {
            if (entry.announce().number() == number) {
                return true;
            }
        }
        return false;
    }

    /** Drops every held announcement (the peer is stopping or crashed). */
    void stop() {
        if (flush != null) {
            flush.cancel();
            flush = null;
        }
        entries.clear();
    }

    private void flush() {
        flush = null;
        List<Entry> due = new ArrayList<>(entries);
        entries.clear();
        for (Entry entry : due) {
            if (stillNeeded.test(entry.peer(), entry.announce())) {
                send.accept(entry.peer(), entry.announce());
            }
        }
    }
}
