package io.hearsay.discovery.swim;

import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The updates a member still has to spread, each piggybacked a bounded number of times (memberlist's
 * transmit-limited queue). A message takes the updates sent fewest times so far, newest first; an update
 * sent {@code limit} times is dropped. A newer update about a member replaces the queued one, since it
 * supersedes it. Bounded: when full, the update sent most often (the oldest among them) makes room.
 *
 * <p>Deterministic: the order is a total order on (times sent, insertion number); the map by subject is
 * only looked up, never iterated.
 */
final class UpdateQueue {
    private static final class Entry {
        final MemberUpdate update;
        final long order;
        int transmits;

        Entry(MemberUpdate update, long order) {
            this.update = update;
            this.order = order;
        }
    }

    private static final Comparator<Entry> SEND_ORDER = Comparator.<Entry>comparingInt(entry -> entry.transmits)
            .thenComparingLong(entry -> -entry.order);

    private final TreeSet<Entry> queue = new TreeSet<>(SEND_ORDER);
    private final Map<PkiId, Entry> bySubject = new HashMap<>();
    private final int capacity;
    private final SwimCounters counters;
    private long nextOrder;

    UpdateQueue(int capacity, SwimCounters counters) {
        this.capacity = capacity;
        this.counters = counters;
    }

    /** Queues {@code update}, replacing any queued update about the same member. */
    void add(MemberUpdate update) {
        Entry previous = bySubject.remove(update.subject());
        if (previous != null) {
            queue.remove(previous);
        }
        if (queue.size() >= capacity) {
            Entry evicted = queue.pollLast();
            bySubject.remove(evicted.update.subject());
            counters.increment(SwimCounters.Counter.QUEUE_OVERFLOWS);
        }
        Entry entry = new Entry(update, nextOrder++);
        queue.add(entry);
        bySubject.put(update.subject(), entry);
    }

    /**
     * Up to {@code max} updates for one message, fewest sends first; each counts as sent once more, and one
     * sent {@code limit} times leaves the queue.
     */
    List<MemberUpdate> take(int max, int limit) {
        if (queue.isEmpty() || max <= 0) {
            return List.of();
        }
        List<Entry> taken = new ArrayList<>(Math.min(max, queue.size()));
        for (Entry entry : queue) {
            if (taken.size() == max) {
                break;
            }
            taken.add(entry);
        }
        List<MemberUpdate> updates = new ArrayList<>(taken.size());
        for (Entry entry : taken) {
            queue.remove(entry);
            entry.transmits++;
            updates.add(entry.update);
            if (entry.transmits < limit) {
                queue.add(entry);
            } else {
                bySubject.remove(entry.update.subject());
            }
        }
        return updates;
    }

    /** Drops any queued update about {@code subject} (a forgotten member). */
    void remove(PkiId subject) {
        Entry entry = bySubject.remove(subject);
        if (entry != null) {
            queue.remove(entry);
        }
    }

    int size() {
        return queue.size();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }
}
