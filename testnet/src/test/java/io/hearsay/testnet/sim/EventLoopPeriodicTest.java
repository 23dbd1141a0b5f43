package io.hearsay.testnet.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearsay.discovery.runtime.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The event loop's periodic timers, which reuse one event for every run, run exactly when and in the order that
 * {@link Scheduler#schedulePeriodic}'s default (a task rescheduling itself) would on the same loop: random scripts of
 * periodic timers, one-shot events at the same instants, and cancellations (between runs, before the first run, and
 * by the task itself) give the same log either way.
 */
class EventLoopPeriodicTest {
    private static final long SEED = 57;

    /** The loop as a scheduler that keeps the interface's default {@code schedulePeriodic}. */
    private static Scheduler withDefaultPeriodic(EventLoop loop) {
        return loop::schedule;
    }

    private static List<String> runScript(long seed, boolean loopsOwnPeriodic) {
        EventLoop loop = new EventLoop(1_000_000);
        Scheduler scheduler = loopsOwnPeriodic ? loop : withDefaultPeriodic(loop);
        SplittableRandom random = new SplittableRandom(seed);
        List<String> log = new ArrayList<>();
        List<Scheduler.Timer> timers = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int id = t;
            long interval = 1 + random.nextInt(20);
            int selfCancelAfter = random.nextInt(4) == 0 ? 1 + random.nextInt(5) : -1;
            int[] count = {0};
            Scheduler.Timer[] self = new Scheduler.Timer[1];
            self[0] = scheduler.schedulePeriodic(random.nextInt(10), interval, () -> {
                log.add(loop.nowMicros() + " periodic " + id);
                // Work the task schedules itself comes before its next run at the same instant, either way.
                loop.schedule(interval, () -> log.add(loop.nowMicros() + " follow-up of " + id));
                if (++count[0] == selfCancelAfter) {
                    self[0].cancel();
                }
            });
            timers.add(self[0]);
        }
        for (int i = 0; i < 40; i++) {
            int id = i;
            loop.schedule(random.nextInt(200), () -> log.add(loop.nowMicros() + " one-shot " + id));
        }
        loop.runUntil(60_000);
        timers.get(random.nextInt(timers.size())).cancel();
        loop.runUntil(120_000);
        timers.get(random.nextInt(timers.size())).cancel();
        loop.runUntil(300_000);
        log.add("executed " + loop.executedEvents());
        return log;
    }

    @Test
    void runsAsATaskReschedulingItselfWould() {
        SplittableRandom seeds = new SplittableRandom(SEED);
        for (int script = 0; script < 200; script++) {
            long seed = seeds.nextLong();
            assertThat(runScript(seed, true)).as("SEED=%d script %d seed %d", SEED, script, seed)
                    .isEqualTo(runScript(seed, false));
        }
    }

    @Test
    void aCancelledPeriodicTimerRunsNoMore() {
        EventLoop loop = new EventLoop(1_000);
        List<Long> runs = new ArrayList<>();
        Scheduler.Timer timer = loop.schedulePeriodic(2, 5, () -> runs.add(loop.nowMillis()));
        loop.runUntil(13_000);

        timer.cancel();
        loop.runUntil(100_000);

        assertThat(runs).containsExactly(2L, 7L, 12L);
        assertThat(loop.executedEvents()).isEqualTo(3);
    }

    @Test
    void rejectsAnIntervalThatIsNotPositive() {
        EventLoop loop = new EventLoop(1_000);
        assertThatThrownBy(() -> loop.schedulePeriodic(0, 0, () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not positive");
    }
}
