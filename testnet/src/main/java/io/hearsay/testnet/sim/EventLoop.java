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
 * <p>Three structures hold the queue, because nearly every event is a message delivery due within a few
 * milliseconds, most timers lie tens of milliseconds to seconds ahead, and a few lie further:
 *
 * <pre>
 *   near: a wheel of {@value #WHEEL_MICROS} one-microsecond buckets, each a FIFO list (same instant: scheduling
 *         order), found through a bitmap. It holds every event of the mid buckets up to {@code drainedUpTo}, the
 *         one after now's: [now, (now / span + 2) * span) with span = {@value #MID_SPAN_MICROS} µs, within the wheel.
 *   mid:  a ring of {@value #MID_BUCKETS} buckets of {@value #MID_SPAN_MICROS} µs each (about 16.8 s), each a FIFO
 *         list of events in scheduling order, found through a bitmap; for events in the buckets after drainedUpTo.
 *   far:  a 4-ary min-heap over parallel arrays (time, sequence, action) for events beyond the mid ring.
 *
 *   schedule(t):  t's mid bucket &lt;= drainedUpTo ? append to near bucket t : in the ring ? append to mid bucket : heap
 *   time moves:   drainedUpTo follows it; each mid bucket that enters the ring's far end first takes the heap's
 *                 events for it, in (time, sequence) order, and each bucket drainedUpTo reaches moves, in its order,
 *                 into the near buckets of its events' instants
 * </pre>
 *
 * An event enters the near wheel (or a mid bucket) only after every earlier-scheduled event of its instant did, so
 * each near bucket runs in scheduling order; every near event precedes every mid event, and every mid event every
 * heap event. The order is therefore exactly (time, scheduling order), as with the {@code PriorityQueue} this
 * replaced; a 100,000-peer run spent a quarter of its time in that queue, and a 10,000-peer run a tenth in the heap
 * alone while timers (heartbeats, hedges, deferred announcements) all went through it.
 */
public final class EventLoop implements Clock, Scheduler {
    /**
     * A timer: what {@link #schedule} and {@link #schedulePeriodic} return. Skipped, uncounted, if cancelled before it is
     * due. A periodic one is queued again after each run, where a task rescheduling itself made a new timer per run: a
     * peer's heartbeat then reaches its protocol through an object made at start rather than one made at its last run,
     * which at 10,000 peers was a cache miss before every timer's first useful load. One class for both, so the loop's
     * call of an event's {@code run} sees two kinds of event (this and the network's deliveries), not three.
     */
    private final class TimerEvent implements Timer, Runnable {
        final Runnable task;
        /** Between runs of a periodic timer; 0 for a one-shot one. */
        final long intervalMicros;
        boolean cancelled;

        TimerEvent(Runnable task, long intervalMicros) {
            this.task = task;
            this.intervalMicros = intervalMicros;
        }

        @Override
        public void run() {
            task.run();
            if (intervalMicros > 0 && !cancelled) {
                postMicros(intervalMicros, this);
            }
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
    /** Microseconds a mid bucket spans: half the wheel, so the two buckets drained ahead of now fit in the wheel. */
    static final int MID_SPAN_MICROS = WHEEL_MICROS / 2;
    private static final int MID_SHIFT = Integer.numberOfTrailingZeros(MID_SPAN_MICROS);
    /** Mid buckets in the ring: a power of two. */
    static final int MID_BUCKETS = 4096;
    private static final int MID_MASK = MID_BUCKETS - 1;
    private static final int MID_WORDS = MID_BUCKETS / 64;
    private static final int CAPACITY_INITIAL = 1024;
    private static final int NONE = -1;

    // The wheel: per bucket the first and last slot of its FIFO list, and a bit per non-empty bucket.
    private final int[] bucketHead = new int[WHEEL_MICROS];
    private final int[] bucketTail = new int[WHEEL_MICROS];
    private final long[] occupied = new long[WHEEL_WORDS];
    private int nearCount;
    // The mid ring: per bucket the first and last slot of its FIFO list, and a bit per non-empty bucket.
    private final int[] midHead = new int[MID_BUCKETS];
    private final int[] midTail = new int[MID_BUCKETS];
    private final long[] midOccupied = new long[MID_WORDS];
    private int midCount;
    /**
     * Where the near wheel's window starts: now, or a little later while the wheel is empty and the next events lie
     * in a mid bucket (the loop moves the window to them without moving the clock, which only events move).
     */
    private long wheelBase;
    /** The last mid bucket (time / span) whose events are all in the near wheel: the window's start's bucket + 1. */
    private long drainedUpTo = 1;
    // Slots of near and mid events: the action, the time, and the next slot in its bucket (or in the free list).
    private Runnable[] slotActions = new Runnable[CAPACITY_INITIAL];
    private long[] slotTimes = new long[CAPACITY_INITIAL];
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
        Arrays.fill(midHead, NONE);
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
        TimerEvent event = new TimerEvent(task, 0);
        postMicros(delayMicros, event);
        return event;
    }

    @Override
    public Timer schedulePeriodic(long firstDelayMillis, long intervalMillis, Runnable task) {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("interval " + intervalMillis + " ms is not positive");
        }
        TimerEvent event = new TimerEvent(task, intervalMillis * 1000);
        postMicros(firstDelayMillis * 1000, event);
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
        if (time < wheelBase) {
            // Scheduled between runs, after the window moved ahead of the clock: move the window back to the clock.
            moveWheelTo(nowMicros);
        }
        sequence++;
        long bucket = time >> MID_SHIFT;
        if (bucket <= drainedUpTo) {
            append((int) (time & WHEEL_MASK), newSlot(task, time));
        } else if (bucket - drainedUpTo < MID_BUCKETS) {
            appendMid((int) (bucket & MID_MASK), newSlot(task, time));
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
        while (nearCount + midCount + farCount > 0) {
            if (!condition.getAsBoolean()) {
                return true;
            }
            long time;
            Runnable action;
            if (nearCount == 0 && midCount > 0) {
                // The next event is in the first non-empty mid bucket: move the window to just before it, which
                // drains it into the wheel.
                long bucket = drainedUpTo + 1 + ((nextOccupiedMid((int) ((drainedUpTo + 1) & MID_MASK))
                        - (drainedUpTo + 1)) & MID_MASK);
                if (bucket << MID_SHIFT > untilMicros) {
                    advanceTo(untilMicros);
                    return false;
                }
                moveWheelTo((bucket - 1) << MID_SHIFT);
            }
            if (nearCount > 0) {
                int start = (int) (wheelBase & WHEEL_MASK);
                int bucket = nextOccupied(start);
                time = wheelBase + ((bucket - start) & WHEEL_MASK);
                if (time > untilMicros) {
                    advanceTo(untilMicros);
                    return false;
                }
                action = freeSlot(takeFirst(bucket));
            } else {
                time = times[0];
                if (time > untilMicros) {
                    advanceTo(untilMicros);
                    return false;
                }
                action = actions[0];
                removeFirst();
            }
            if (action instanceof TimerEvent event && event.cancelled) {
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
        return nearCount + midCount + farCount;
    }

    /** Moves the clock, and the window with it, to {@code time}. */
    private void advanceTo(long time) {
        moveWheelTo(time);
        nowMicros = time;
    }

    /**
     * Moves the near wheel's window to start at {@code time}, and {@code drainedUpTo} with it: the heap's events for
     * each mid bucket entering the ring go to it, and each mid bucket reached goes to the near wheel. Nothing queued
     * may lie before {@code time}.
     */
    private void moveWheelTo(long time) {
        if (time < wheelBase) {
            rewind(time);
        }
        wheelBase = time;
        long target = (time >> MID_SHIFT) + 1;
        while (drainedUpTo < target) {
            if (midCount == 0) {
                // Nothing in the ring: skip the empty buckets, up to where the heap's first event enters it.
                long heapEnters = farCount > 0 ? (times[0] >> MID_SHIFT) - MID_BUCKETS : Long.MAX_VALUE;
                drainedUpTo = Math.max(drainedUpTo, Math.min(target - 1, heapEnters));
            }
            drainedUpTo++;
            takeFromHeap();
            drainMid((int) (drainedUpTo & MID_MASK));
        }
    }

    /** Moves every heap event now within the ring to its mid bucket, or the near wheel if drained, in heap order. */
    private void takeFromHeap() {
        while (farCount > 0 && (times[0] >> MID_SHIFT) - drainedUpTo < MID_BUCKETS) {
            long due = times[0];
            Runnable action = actions[0];
            removeFirst();
            long bucket = due >> MID_SHIFT;
            if (bucket <= drainedUpTo) {
                append((int) (due & WHEEL_MASK), newSlot(action, due));
            } else {
                appendMid((int) (bucket & MID_MASK), newSlot(action, due));
            }
        }
    }

    /**
     * The window moves back only if {@link #runWhile} is asked to stop before the present (as the
     * {@code PriorityQueue} loop allowed), or an event is scheduled between runs after the window moved ahead of the
     * clock (see {@link #wheelBase}); the wheel's and the ring's windows would then no longer contain their
     * events, so they all go to the heap, in order, and come back as from the heap. No heap event shares an instant
     * with them, so fresh sequence numbers keep the order.
     */
    private void rewind(long time) {
        int start = (int) (wheelBase & WHEEL_MASK);
        while (nearCount > 0) {
            int bucket = nextOccupied(start);
            long due = wheelBase + ((bucket - start) & WHEEL_MASK);
            push(due, ++sequence, freeSlot(takeFirst(bucket)));
        }
        while (midCount > 0) {
            int bucket = nextOccupiedMid((int) ((drainedUpTo + 1) & MID_MASK));
            while (midHead[bucket] != NONE) {
                int slot = takeFirstMid(bucket);
                push(slotTimes[slot], ++sequence, freeSlot(slot));
            }
        }
        drainedUpTo = (time >> MID_SHIFT) + 1;
        takeFromHeap();
    }

    // ---- the near wheel and the mid ring: FIFO lists of slots ----

    private int newSlot(Runnable action, long time) {
        int slot = freeSlot;
        if (slot != NONE) {
            freeSlot = slotNext[slot];
        } else {
            if (slotsUsed == slotActions.length) {
                slotActions = Arrays.copyOf(slotActions, slotsUsed * 2);
                slotTimes = Arrays.copyOf(slotTimes, slotsUsed * 2);
                slotNext = Arrays.copyOf(slotNext, slotsUsed * 2);
            }
            slot = slotsUsed++;
        }
        slotActions[slot] = action;
        slotTimes[slot] = time;
        return slot;
    }

    /** Returns {@code slot} to the free list and its action, which it no longer holds, to the caller. */
    private Runnable freeSlot(int slot) {
        Runnable action = slotActions[slot];
        slotActions[slot] = null;
        slotNext[slot] = freeSlot;
        freeSlot = slot;
        return action;
    }

    private void append(int bucket, int slot) {
        link(bucketHead, bucketTail, occupied, bucket, slot);
        nearCount++;
    }

    /** Unlinks the first slot of near bucket {@code bucket}; the caller frees it. */
    private int takeFirst(int bucket) {
        nearCount--;
        return unlinkFirst(bucketHead, occupied, bucket);
    }

    private void appendMid(int bucket, int slot) {
        link(midHead, midTail, midOccupied, bucket, slot);
        midCount++;
    }

    private int takeFirstMid(int bucket) {
        midCount--;
        return unlinkFirst(midHead, midOccupied, bucket);
    }

    /** Moves mid bucket {@code bucket}'s events, in their order, to the near buckets of their instants. */
    private void drainMid(int bucket) {
        while (midHead[bucket] != NONE) {
            int slot = takeFirstMid(bucket);
            append((int) (slotTimes[slot] & WHEEL_MASK), slot);
        }
    }

    private void link(int[] head, int[] tail, long[] marks, int bucket, int slot) {
        slotNext[slot] = NONE;
        if (head[bucket] == NONE) {
            head[bucket] = slot;
            marks[bucket >>> 6] |= 1L << bucket;
        } else {
            slotNext[tail[bucket]] = slot;
        }
        tail[bucket] = slot;
    }

    private int unlinkFirst(int[] head, long[] marks, int bucket) {
        int slot = head[bucket];
        int next = slotNext[slot];
        head[bucket] = next;
        if (next == NONE) {
            marks[bucket >>> 6] &= ~(1L << bucket);
        }
        return slot;
    }

    /** The first non-empty near bucket at or after {@code start}, going round the wheel once. */
    private int nextOccupied(int start) {
        return nextMarked(occupied, start, nearCount);
    }

    /** The first non-empty mid bucket at or after {@code start}, going round the ring once. */
    private int nextOccupiedMid(int start) {
        return nextMarked(midOccupied, start, midCount);
    }

    private static int nextMarked(long[] marks, int start, int events) {
        int word = start >>> 6;
        long bits = marks[word] & (-1L << start);
        for (int i = 0; i <= marks.length; i++) {
            if (bits != 0) {
                return (word << 6) + Long.numberOfTrailingZeros(bits);
            }
            word = (word + 1) & (marks.length - 1);
            bits = marks[word];
        }
        throw new IllegalStateException("a ring holds " + events + " events but no bucket is marked");
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
