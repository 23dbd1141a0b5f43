package io.hearsay.discovery.runtime;

/**
 * Timers for protocol code, which never starts threads or sleeps. The runtime calls a task back on the
 * same serial context that delivers the component's messages, so protocol state needs no locks.
 */
public interface Scheduler {
    /** Runs {@code task} once, {@code delayMillis} (≥ 0) from now. */
    Timer schedule(long delayMillis, Runnable task);

    /**
     * Runs {@code task} {@code firstDelayMillis} from now, then every {@code intervalMillis} after each run, until the
     * returned timer is cancelled. Each next run is scheduled right after the task returns, as a task rescheduling
     * itself would. A runtime may override this to reuse one event for every run: the simulator does, so a peer's
     * heartbeat costs no new timer object and no list of timers to keep.
     */
    default Timer schedulePeriodic(long firstDelayMillis, long intervalMillis, Runnable task) {
        final class Periodic implements Runnable, Timer {
            private Timer pending;
            private boolean cancelled;

            @Override
            public void run() {
                task.run();
                if (!cancelled) {
                    pending = schedule(intervalMillis, this);
                }
            }

            @Override
            public void cancel() {
                cancelled = true;
                pending.cancel();
            }
        }
        Periodic periodic = new Periodic();
        periodic.pending = schedule(firstDelayMillis, periodic);
        return periodic;
    }

    /** A pending task. */
    interface Timer {
        /** Cancels the task if it has not run; idempotent. */
        void cancel();
    }
}
