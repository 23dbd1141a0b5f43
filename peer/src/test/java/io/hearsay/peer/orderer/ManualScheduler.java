package io.hearsay.peer.orderer;

import io.hearsay.discovery.runtime.Scheduler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Virtual time for the orderer's deterministic parts: timers run only when a test advances the clock. */
final class ManualScheduler implements Scheduler {
    private final List<Pending> timers = new ArrayList<>();
    private long nowMillis;
    private long sequence;

    @Override
    public Timer schedule(long delayMillis, Runnable task) {
        Pending pending = new Pending(nowMillis + delayMillis, sequence++, task);
        timers.add(pending);
        return () -> timers.remove(pending);
    }

    /** Moves time forward by {@code millis}, running every timer due by then in time order. */
    void advance(long millis) {
        long until = nowMillis + millis;
        while (true) {
            Pending next = timers.stream()
                    .filter(t -> t.dueMillis <= until)
                    .min(Comparator.comparingLong(Pending::dueMillis).thenComparingLong(Pending::sequence))
                    .orElse(null);
            if (next == null) {
                break;
            }
            timers.remove(next);
            nowMillis = next.dueMillis;
            next.task.run();
        }
        nowMillis = until;
    }

    /** Delays of the timers not yet run, from now. */
    List<Long> pendingDelays() {
        return timers.stream().map(t -> t.dueMillis - nowMillis).sorted().toList();
    }

    private record Pending(long dueMillis, long sequence, Runnable task) {}
}
