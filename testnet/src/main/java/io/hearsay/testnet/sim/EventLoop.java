package io.hearsay.testnet.sim;

import io.hearsay.discovery.runtime.Clock;
import io.hearsay.discovery.runtime.Scheduler;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * The simulator's single thread of time: a queue of events ordered by virtual time (microseconds) and,
 * within one instant, by the order they were scheduled. Nothing runs concurrently and nothing reads the
 * wall clock, so a run is a function of its seed. Bounded: a run stops with an error past
 * {@code eventsMax} events rather than spinning for ever on a protocol that never quiesces.
 *
 * <p>Two structures hold the queue, because nearly every event is a message delivery due within a few
 * milliseconds, while timers lie seconds ahead:
 *
 * <pre>
 *   near: a wheel of {@value #WHEEL_MICROS} one-microsecond buckets covering [now, now + wheel): each bucket
 *         a FIFO list (same instant: scheduling order), found through a bitmap. O(1) in and out.
 *   far:  a 4-ary min-heap over parallel arrays (time, sequence, action) for events at or beyond now + wheel.
 *
 *   schedule(t):  t - now &lt; wheel ? append to bucket t : push on the heap
 *   time moves:   every heap event now inside the wheel moves to its bucket, in (time, sequence) order,
 *                 before anything else is scheduled, so it precedes any later event for the same instant
 * </pre>
 *
 * Each near event is therefore before every far one, and the order is exactly (time, scheduling order), as
 * with the {@code PriorityQueue} this replaced; a 100,000-peer run spent a quarter of its time in that queue.
 */
public final class EventLoop implements Clock, Scheduler {
    /** A cancellable event: what {@link #schedule} returns. Skipped, uncounted, if cancelled before it is due. */
    private static final class CancellableEvent implements Timer, Runnable {
        final Runnable action;
        boolean cancelled;

        CancellableEvent(Runnable action) {
            this.action = action;
        }

        @Override
        public void run() {
            action.run();
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    /** Microseconds the wheel covers: a LAN delivery (0.5–2 ms plus transmission) lands in it. A power of two. */
    static final int WHEEL_MICROS = 8192;
    private static final int WHEEL_MASK = WHEEL_MICROS - 1;
    private static final int WHEEL_WORDS = WHEEL_MICROS / 64;
    private static final int CAPACITY_INITIAL = 1024;
    private static final int NONE = -1;

    // The wheel: per bucket the first and last slot of its FIFO list, and a bit per non-empty bucket.
    private final int[] bucketHead = new int[WHEEL_MICROS];
    private final int[] bucketTail = new int[WHEEL_MICROS];
    private final long[] occupied = new long[WHEEL_WORDS];
    private int nearCount;
    // Slots of near events: the action and the next slot in its bucket (or in the free list).
    private Runnable[] slotActions = new Runnable[CAPACITY_INITIAL];
    private int[] slotNext = new int[CAPACITY_INITIAL];
    private int slotsUsed;
    private int freeSlot = NONE;

    // The far heap.
    private long[] times = new long[CAPACITY_INITIAL];
    private long[] sequences = new long[CAPACITY_INITIAL];
    private Runnable[] actions = new Runnable[CAPACITY_INITIAL];
    private int farCount;

    private final long eventsMax;
    private long nowMicros;
    private long sequence;
    private long executed;

    public EventLoop(long eventsMax) {
        this.eventsMax = eventsMax;
        Arrays.fill(bucketHead, NONE);
    }

    @Override
    public long nowMillis() {
        return nowMicros / 1000;
    }

    public long nowMicros() {
        return nowMicros;
    }

    @Override
    public Timer schedule(long delayMillis, Runnable task) {
        return scheduleMicros(delayMillis * 1000, task);
    }

    public Timer scheduleMicros(long delayMicros, Runnable task) {
        CancellableEvent event = new CancellableEvent(task);
        postMicros(delayMicros, event);
        return event;
    }

    /**
     * Schedules {@code task} like {@link #scheduleMicros} but without a handle to cancel it: what the simulated
     * network uses for deliveries, one per message, so they cost no extra object. Takes the same place in the
     * order as a cancellable event scheduled at the same moment would.
     */
    public void postMicros(long delayMicros, Runnable task) {
        if (delayMicros < 0) {
            throw new IllegalArgumentException("delay " + delayMicros + " µs is negative");
        }
        long time = nowMicros + delayMicros;
        if (time < nowMicros) {
            throw new IllegalArgumentException("delay " + delayMicros + " µs overflows virtual time");
        }
        sequence++;
        if (delayMicros < WHEEL_MICROS) {
            append((int) (time & WHEEL_MASK), task);
        } else {
            push(time, sequence, task);
        }
    }

    /** Runs events until the queue is empty or virtual time would pass {@code untilMicros}. */
    public void runUntil(long untilMicros) {
        runWhile(() -> true, untilMicros);
    }

    /**
     * Runs events while {@code condition} holds (checked before each event) and time stays at or below
     * {@code untilMicros}. Returns true if it stopped because the condition turned false.
     */
    public boolean runWhile(BooleanSupplier condition, long untilMicros) {
        while (nearCount + farCount > 0) {
            if (!condition.getAsBoolean()) {
                return true;
            }
            long time;
            Runnable action;
            if (nearCount > 0) {
                int start = (int) (nowMicros & WHEEL_MASK);
                int bucket = nextOccupied(start);
                time = nowMicros + ((bucket - start) & WHEEL_MASK);
                if (time > untilMicros) {
                    advanceTo(untilMicros);
                    return false;
                }
                action = takeFirst(bucket);
            } else {
                time = times[0];
                if (time > untilMicros) {
                    advanceTo(untilMicros);
                    return false;
                }
                action = actions[0];
                removeFirst();
            }
            if (action instanceof CancellableEvent event && event.cancelled) {
                continue;
            }
            advanceTo(time);
            if (++executed > eventsMax) {
                throw new IllegalStateException("simulation exceeded " + eventsMax + " events at t=" + nowMicros
                        + " µs: a protocol that never quiesces, or raise eventsMax");
            }
            action.run();
        }
        return !condition.getAsBoolean();
    }

    public long executedEvents() {
        return executed;
    }

    /** Events in the queue, cancelled ones not yet due included. */
    public int pendingEvents() {
        return nearCount + farCount;
    }

    /** Moves time to {@code time} and every heap event that is now inside the wheel into its bucket. */
    private void advanceTo(long time) {
        if (time < nowMicros) {
            rewind();
        }
        nowMicros = time;
        while (farCount > 0 && times[0] - time < WHEEL_MICROS) {
            long due = times[0];
            Runnable action = actions[0];
            removeFirst();
            append((int) (due & WHEEL_MASK), action);
        }
    }

    /**
     * Time moves back only if {@link #runWhile} is asked to stop before the present (as the
     * {@code PriorityQueue} loop allowed); the wheel's window would then no longer contain its events, so they
     * all go to the heap, in order. They precede every heap event of the same instant, so fresh sequence
     * numbers keep the order.
     */
    private void rewind() {
        int start = (int) (nowMicros & WHEEL_MASK);
        while (nearCount > 0) {
            int bucket = nextOccupied(start);
            long time = nowMicros + ((bucket - start) & WHEEL_MASK);
            push(time, ++sequence, takeFirst(bucket));
        }
    }

    // ---- the wheel ----

    private void append(int bucket, Runnable action) {
        int slot = freeSlot;
        if (slot != NONE) {
            freeSlot = slotNext[slot];
        } else {
            if (slotsUsed == slotActions.length) {
                slotActions = Arrays.copyOf(slotActions, slotsUsed * 2);
                slotNext = Arrays.copyOf(slotNext, slotsUsed * 2);
            }
            slot = slotsUsed++;
        }
        slotActions[slot] = action;
        slotNext[slot] = NONE;
        if (bucketHead[bucket] == NONE) {
            bucketHead[bucket] = slot;
            occupied[bucket >>> 6] |= 1L << bucket;
        } else {
            slotNext[bucketTail[bucket]] = slot;
        }
        bucketTail[bucket] = slot;
        nearCount++;
    }

    private Runnable takeFirst(int bucket) {
        int slot = bucketHead[bucket];
        Runnable action = slotActions[slot];
        slotActions[slot] = null;
        int next = slotNext[slot];
        bucketHead[bucket] = next;
        if (next == NONE) {
            occupied[bucket >>> 6] &= ~(1L << bucket);
        }
        slotNext[slot] = freeSlot;
        freeSlot = slot;
        nearCount--;
        return action;
    }

    /** The first non-empty bucket at or after {@code start}, going round the wheel once. */
    private int nextOccupied(int start) {
        int word = start >>> 6;
        long bits = occupied[word] & (-1L << start);
        for (int i = 0; i <= WHEEL_WORDS; i++) {
            if (bits != 0) {
                return (word << 6) + Long.numberOfTrailingZeros(bits);
            }
            word = (word + 1) & (WHEEL_WORDS - 1);
            bits = occupied[word];
        }
        throw new IllegalStateException("the wheel holds " + nearCount + " events but no bucket is marked");
    }

    // ---- the far heap ----

    private static boolean before(long time, long seq, long otherTime, long otherSeq) {
        return time < otherTime || (time == otherTime && seq < otherSeq);
    }

    private void push(long time, long seq, Runnable action) {
        if (farCount == times.length) {
            int capacity = farCount * 2;
            times = Arrays.copyOf(times, capacity);
            sequences = Arrays.copyOf(sequences, capacity);
            actions = Arrays.copyOf(actions, capacity);
        }
        int index = farCount++;
        while (index > 0) {
            int parent = (index - 1) >>> 2;
            long parentTime = times[parent];
            if (!before(time, seq, parentTime, sequences[parent])) {
                break;
            }
            times[index] = parentTime;
            sequences[index] = sequences[parent];
            actions[index] = actions[parent];
            index = parent;
        }
        times[index] = time;
        sequences[index] = seq;
        actions[index] = action;
    }

    /** Removes the root: the last element fills the hole, sinking past the smallest of its up to four children. */
    private void removeFirst() {
        int last = --farCount;
        long time = times[last];
        long seq = sequences[last];
        Runnable action = actions[last];
        actions[last] = null;
        if (last == 0) {
            return;
        }
        int index = 0;
        while (true) {
            int first = 4 * index + 1;
            if (first >= last) {
                break;
            }
            int end = Math.min(first + 4, last);
            int child = first;
            long childTime = times[first];
            long childSeq = sequences[first];
            for (int c = first + 1; c < end; c++) {
                long t = times[c];
                if (t < childTime || (t == childTime && sequences[c] < childSeq)) {
                    child = c;
                    childTime = t;
                    childSeq = sequences[c];
                }
            }
            if (!before(childTime, childSeq, time, seq)) {
                break;
            }
            times[index] = childTime;
            sequences[index] = childSeq;
            actions[index] = actions[child];
            index = child;
        }
        times[index] = time;
        sequences[index] = seq;
        actions[index] = action;
    }
}
