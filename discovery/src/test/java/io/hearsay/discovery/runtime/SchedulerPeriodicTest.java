package io.hearsay.discovery.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Scheduler#schedulePeriodic}'s default: a task that reschedules itself after each run until cancelled. */
class SchedulerPeriodicTest {
    private final VirtualTime time = new VirtualTime();
    private final List<Long> runs = new ArrayList<>();

    @Test
    void runsAfterTheFirstDelayThenEveryInterval() {
        time.schedulePeriodic(5, 10, () -> runs.add(time.nowMillis()));

        time.advance(40);

        assertThat(runs).containsExactly(5L, 15L, 25L, 35L);
    }

    @Test
    void runsNoMoreOnceCancelledBetweenRuns() {
        Scheduler.Timer timer = time.schedulePeriodic(0, 10, () -> runs.add(time.nowMillis()));
        time.advance(15);

        timer.cancel();
        time.advance(100);

        assertThat(runs).containsExactly(0L, 10L);
    }

    @Test
    void runsNeverWhenCancelledBeforeItsFirstRun() {
        time.schedulePeriodic(5, 10, () -> runs.add(time.nowMillis())).cancel();

        time.advance(100);

        assertThat(runs).isEmpty();
    }

    @Test
    void aTaskThatCancelsItsOwnTimerIsNotRunAgain() {
        Scheduler.Timer[] timer = new Scheduler.Timer[1];
        timer[0] = time.schedulePeriodic(0, 10, () -> {
            runs.add(time.nowMillis());
            if (runs.size() == 3) {
                timer[0].cancel();
            }
        });

        time.advance(100);

        assertThat(runs).containsExactly(0L, 10L, 20L);
    }
}
