package io.hearsay.discovery.runtime;

/**
 * Timers for protocol code, which never starts threads or sleeps. The runtime calls a task back on the
 * same serial context that delivers the component's messages, so protocol state needs no locks.
 */
public interface Scheduler {
    /** Runs {@code task} once, {@code delayMillis} (≥ 0) from now. */
    Timer schedule(long delayMillis, Runnable task);

    /** A pending task. */
    interface Timer {
        /** Cancels the task if it has not run; idempotent. */
        void cancel();
    }
}
