package io.hearsay.testnet.faults;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The time a {@link ScenarioRunner} runs steps by, injected so tests run a scenario in virtual time: a test clock
 * jumps to the awaited time at once, and any time the target spends (a convergence wait) is whatever the test says.
 */
public interface ScenarioClock {
    /** Time since the clock started. */
    Duration elapsed();

    /** Returns once {@link #elapsed()} has reached {@code time}; at once if it has. */
    void awaitElapsed(Duration time) throws InterruptedException;

    /** Wall time from now, by {@link System#nanoTime()}; waits on the calling thread (the runner's own). */
    static ScenarioClock system() {
        long start = System.nanoTime();
        return new ScenarioClock() {
            @Override
            public Duration elapsed() {
                return Duration.ofNanos(System.nanoTime() - start);
            }

            @Override
            public void awaitElapsed(Duration time) throws InterruptedException {
                long remaining;
                while ((remaining = time.minus(elapsed()).toNanos()) > 0) {
                    TimeUnit.NANOSECONDS.sleep(remaining);
                }
            }
        };
    }
}
