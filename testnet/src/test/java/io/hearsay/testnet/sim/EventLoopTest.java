package io.hearsay.testnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.discovery.runtime.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The event loop runs events exactly as a plain priority queue ordered by (time, scheduling order) does: random
 * scripts of events that schedule more events (deliveries a few microseconds to milliseconds ahead, timers tens of
 * milliseconds to minutes ahead, in the wheel, the mid ring or the heap) and cancel timers, driven by runs with
 * limits before, at and after the present, stopping conditions and scheduling between runs, give the same events
 * at the same times, the same clock after every run and the same answers.
 */
class EventLoopTest {
    private static final long SEED = 31;

    /** What the scripts need of a loop. */
    private interface Loop {
        Scheduler.Timer scheduleMicros(long delayMicros, Runnable task);

        void postMicros(long delayMicros, Runnable task);

        boolean runWhile(BooleanSupplier condition, long untilMicros);

        long nowMicros();

        long executedEvents();
    }

    /** The reference: a priority queue of (time, sequence), as the loop was first written. */
    private static final class ReferenceLoop implements Loop {
        private record Event(long time, long sequence, Runnable action, boolean[] cancelled) {}

        private final PriorityQueue<Event> queue = new PriorityQueue<>((a, b) -> a.time() != b.time()
                ? Long.compare(a.time(), b.time()) : Long.compare(a.sequence(), b.sequence()));
        private long now;
        private long sequence;
        private long executed;

        @Override
        public Scheduler.Timer scheduleMicros(long delayMicros, Runnable task) {
            boolean[] cancelled = {false};
            queue.add(new Event(now + delayMicros, ++sequence, task, cancelled));
            return () -> cancelled[0] = true;
        }

        @Override
        public void postMicros(long delayMicros, Runnable task) {
            scheduleMicros(delayMicros, task);
        }

        @Override
        public boolean runWhile(BooleanSupplier condition, long untilMicros) {
            while (!queue.isEmpty()) {
                if (!condition.getAsBoolean()) {
                    return true;
                }
                Event next = queue.peek();
                if (next.time() > untilMicros) {
                    now = untilMicros;
                    return false;
                }
                queue.poll();
                if (next.cancelled()[0]) {
                    continue;
                }
                now = next.time();
                executed++;
                next.action().run();
            }
            return !condition.getAsBoolean();
        }

        @Override
        public long nowMicros() {
            return now;
        }

        @Override
        public long executedEvents() {
            return executed;
        }
    }

    private static Loop wrap(EventLoop loop) {
        return new Loop() {
            @Override
            public Scheduler.Timer scheduleMicros(long delayMicros, Runnable task) {
                return loop.scheduleMicros(delayMicros, task);
            }

            @Override
            public void postMicros(long delayMicros, Runnable task) {
                loop.postMicros(delayMicros, task);
            }

            @Override
            public boolean runWhile(BooleanSupplier condition, long untilMicros) {
                return loop.runWhile(condition, untilMicros);
            }

            @Override
            public long nowMicros() {
                return loop.nowMicros();
            }

            @Override
            public long executedEvents() {
                return loop.executedEvents();
            }
        };
    }

    /** One script run on one loop: everything it observed, in order. */
    private static List<String> runScript(long seed, Loop loop) {
        List<String> log = new ArrayList<>();
        List<Scheduler.Timer> timers = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        int[] nextId = {0};
        // Each event's behaviour comes from its own id, so both loops' events act alike if they run alike.
        class Script {
            void schedule(SplittableRandom from) {
                int id = nextId[0]++;
                long delay = delay(from);
                Runnable action = () -> {
                    log.add("event " + id + " at " + loop.nowMicros());
                    SplittableRandom own = new SplittableRandom(seed * 1_000_003L + id);
                    int children = own.nextInt(100) < 45 ? 1 : own.nextInt(100) < 70 ? 0 : 2;
                    for (int c = 0; c < children && nextId[0] < 6_000; c++) {
                        schedule(own);
                    }
                    if (own.nextInt(10) == 0 && !timers.isEmpty()) {
                        timers.get(own.nextInt(timers.size())).cancel();
                    }
                };
                if (from.nextBoolean()) {
                    loop.postMicros(delay, action);
                } else {
                    timers.add(loop.scheduleMicros(delay, action));
                }
            }

            long delay(SplittableRandom from) {
                return switch (from.nextInt(12)) {
                    case 0 -> 0;
                    case 1 -> from.nextLong(1, 8);
                    case 2, 3, 4 -> from.nextLong(500, 2_500);
                    case 5 -> from.nextLong(2_500, 9_000);
                    case 6 -> from.nextLong(4_090, 4_100);
                    case 7 -> from.nextLong(8_180, 8_200);
                    case 8 -> from.nextLong(9_000, 600_000);
                    case 9 -> from.nextLong(600_000, 5_000_000);
                    case 10 -> from.nextLong(16_000_000, 18_000_000);
                    default -> from.nextLong(18_000_000, 120_000_000);
                };
            }
        }
        Script script = new Script();
        for (int i = 0; i < 20; i++) {
            script.schedule(random);
        }
        for (int run = 0; run < 40; run++) {
            long now = loop.nowMicros();
            long until = switch (random.nextInt(6)) {
                case 0 -> now - random.nextLong(0, 20_000);
                case 1 -> now;
                case 2 -> now + random.nextLong(0, 10_000);
                case 3 -> now + random.nextLong(0, 3_000_000);
                case 4 -> now + random.nextLong(0, 60_000_000);
                default -> Long.MAX_VALUE / 4;
            };
            long stopAfter = loop.executedEvents() + random.nextInt(400);
            boolean stopped = loop.runWhile(() -> loop.executedEvents() < stopAfter, until);
            log.add("run " + run + " until " + until + " -> " + stopped + " at " + loop.nowMicros());
            for (int i = random.nextInt(4); i > 0; i--) {
                script.schedule(random);
            }
        }
        boolean drained = loop.runWhile(() -> true, Long.MAX_VALUE / 4);
        log.add("drained " + drained + " at " + loop.nowMicros() + " after " + loop.executedEvents());
        return log;
    }

    @Test
    void runsEventsAsAPriorityQueueOfTimeAndSchedulingOrder() {
        Random seeds = new Random(SEED);
        for (int script = 0; script < 300; script++) {
            long seed = seeds.nextLong();
            List<String> expected = runScript(seed, new ReferenceLoop());
            List<String> actual = runScript(seed, wrap(new EventLoop(10_000_000)));
            assertThat(actual).as("SEED=%d script %d seed %d", SEED, script, seed).isEqualTo(expected);
        }
    }
}
