package io.hearsay.discovery.runtime;

import java.util.Comparator;
import java.util.PriorityQueue;

/** Virtual time for unit tests: tasks run one at a time in (time, scheduling order). */
public final class VirtualTime implements Clock, Scheduler {
    private static final class Task implements Timer {
        final long atMillis;
        final long order;
        final Runnable action;
        boolean cancelled;

        Task(long atMillis, long order, Runnable action) {
            this.atMillis = atMillis;
            this.order = order;
            this.action = action;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>(
            Comparator.<Task>comparingLong(task -> task.atMillis).thenComparingLong(task -> task.order));
    private long nowMillis;
    private long order;

    @Override
    public long nowMillis() {
        return nowMillis;
    }

    @Override
    public Timer schedule(long delayMillis, Runnable task) {
        Task scheduled = new Task(nowMillis + delayMillis, order++, task);
        queue.add(scheduled);
        return scheduled;
    }

    /** Runs every task due up to {@code millis} from now, then sets the clock there. */
    public void advance(long millis) {
        long until = nowMillis + millis;
        while (!queue.isEmpty() && queue.peek().atMillis <= until) {
            Task task = queue.poll();
            nowMillis = task.atMillis;
            if (!task.cancelled) {
                task.action.run();
            }
        }
        nowMillis = until;
    }
}
