package io.hearsay.testnet.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Timing a condition on running nodes by polling it: the figure is the time from a start instant until the first
 * poll that sees it hold, so it is late by at most one poll interval (the interval is printed with the method).
 */
final class Polling {
    private Polling() {}

    /**
     * Milliseconds from {@code startNanos} ({@link System#nanoTime()}) until {@code condition} holds, polled every
     * {@code interval}; NaN if it does not hold within {@code bound} of the start. A condition that throws (a node
     * closing under it) counts as not holding.
     */
    static double millisUntil(long startNanos, Duration bound, Duration interval, BooleanSupplier condition) {
        long deadline = startNanos + bound.toNanos();
        while (true) {
            if (holds(condition)) {
                return (System.nanoTime() - startNanos) / 1e6;
            }
            if (System.nanoTime() - deadline >= 0) {
                return Double.NaN;
            }
            LockSupport.parkNanos(interval.toNanos());
        }
    }

    private static boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
