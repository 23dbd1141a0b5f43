package io.hearsay.peer.runtime;

import io.hearsay.discovery.runtime.Clock;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.discovery.runtime.Scheduler;
import java.security.SecureRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real world behind the protocol's runtime ports: a monotonic clock, timers that fire on the
 * component's {@link SerialExecutor}, and randomness seeded once from the OS (the seed is kept, so a
 * node's random choices can be logged and replayed).
 */
public final class NodeRuntime {
    private static final long ORIGIN_NANOS = System.nanoTime();

    private NodeRuntime() {}

    /** Milliseconds since this JVM loaded the class; monotonic. */
    public static final Clock CLOCK = () -> (System.nanoTime() - ORIGIN_NANOS) / 1_000_000;

    /** A fresh seed from the OS. */
    public static long newSeed() {
        return new SecureRandom().nextLong();
    }

    public static PeerRuntime of(SerialExecutor serial, ScheduledExecutorService timers, long seed) {
        return new PeerRuntime(CLOCK, scheduler(serial, timers), RandomSource.seeded(seed));
    }

    /** Timers kept by one shared timer thread, run on the component's serial executor. */
    public static Scheduler scheduler(SerialExecutor serial, ScheduledExecutorService timers) {
        return (delayMillis, task) -> {
            TimerTask timer = new TimerTask(task);
            timer.future = timers.schedule(() -> serial.execute(timer), delayMillis, TimeUnit.MILLISECONDS);
            return timer;
        };
    }

    private static final class TimerTask implements Runnable, Scheduler.Timer {
        private final Runnable task;
        private volatile boolean cancelled;
        private volatile ScheduledFuture<?> future;

        TimerTask(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            // Cancelled after it was handed to the serial executor but before it ran: the protocol expects silence.
            if (!cancelled) {
                task.run();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            ScheduledFuture<?> pending = future;
            if (pending != null) {
                pending.cancel(false);
            }
        }
    }
}
