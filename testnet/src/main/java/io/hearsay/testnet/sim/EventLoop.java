package io.hearsay.testnet.sim;

import io.hearsay.discovery.runtime.Clock;
import io.hearsay.discovery.runtime.Scheduler;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * The simulator's single thread of time: a queue of events ordered by virtual time (microseconds) and,
 * within one instant, by the order they were scheduled. Nothing runs concurrently and nothing reads the
 * wall clock, so a run is a function of its seed. Bounded: a run stops with an error past
 * {@code eventsMax} events rather than spinning for ever on a protocol that never quiesces.
 */
public final class EventLoop implements Clock, Scheduler {
    private static final class Event implements Comparable<Event>, Timer {
        final long timeMicros;
        final long sequence;
        final Runnable action;
        boolean cancelled;

        Event(long timeMicros, long sequence, Runnable action) {
            this.timeMicros = timeMicros;
            this.sequence = sequence;
            this.action = action;
        }

        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(timeMicros, other.timeMicros);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final long eventsMax;
    private long nowMicros;
    private long sequence;
    private long executed;

    public EventLoop(long eventsMax) {
        this.eventsMax = eventsMax;
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
        if (delayMicros < 0) {
            throw new IllegalArgumentException("delay " + delayMicros + " µs is negative");
        }
        Event event = new Event(nowMicros + delayMicros, sequence++, task);
        queue.add(event);
        return event;
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
        while (!queue.isEmpty()) {
            if (!condition.getAsBoolean()) {
                return true;
            }
            Event next = queue.peek();
            if (next.timeMicros > untilMicros) {
                nowMicros = untilMicros;
                return false;
            }
            queue.poll();
            if (next.cancelled) {
                continue;
            }
            nowMicros = next.timeMicros;
            if (++executed > eventsMax) {
                throw new IllegalStateException("simulation exceeded " + eventsMax + " events at t=" + nowMicros
                        + " µs: a protocol that never quiesces, or raise eventsMax");
            }
            next.action.run();
        }
        return !condition.getAsBoolean();
    }

    public long executedEvents() {
        return executed;
    }

    public int pendingEvents() {
        return queue.size();
    }
}
