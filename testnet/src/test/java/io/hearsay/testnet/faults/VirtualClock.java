package io.hearsay.testnet.faults;

import java.time.Duration;

/** A {@link ScenarioClock} that moves only when told: waiting jumps straight to the awaited time. */
final class VirtualClock implements ScenarioClock {
    private Duration now = Duration.ZERO;

    @Override
    public Duration elapsed() {
        return now;
    }

    @Override
    public void awaitElapsed(Duration time) {
        if (time.compareTo(now) > 0) {
            now = time;
        }
    }

    /** Time passing inside a step (a restart, a convergence wait). */
    void advance(Duration duration) {
        now = now.plus(duration);
    }
}
