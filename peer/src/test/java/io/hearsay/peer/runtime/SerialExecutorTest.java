package io.hearsay.peer.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The serial context protocol components live on: tasks run one at a time and in submission order although the pool
 * under them has several threads, a failing task does not stop the ones after it, and {@code query}, {@code stop}
 * and {@code close} behave as documented. Ordering runs on a real four-thread pool; what happens after a close is
 * checked on a pool the test drives by hand, so "never runs" is observed, not waited for.
 */
class SerialExecutorTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    /** A pool that runs nothing until the test says so. */
    private final Queue<Runnable> handPool = new ArrayDeque<>();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private void runHandPool() {
        for (Runnable turn = handPool.poll(); turn != null; turn = handPool.poll()) {
            turn.run();
        }
    }

    @Test
    @Timeout(60)
    void tasksRunInSubmissionOrderOneAtATimeOnAMultiThreadPool() {
        SerialExecutor serial = new SerialExecutor("ordered", pool);
        int tasksCount = 20_000;
        // Not thread-safe on purpose: the executor's one-at-a-time contract is what makes the appends safe.
        List<Integer> ran = new ArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger runningMax = new AtomicInteger();
        List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < tasksCount; i++) {
            int number = i;
            serial.execute(() -> {
                runningMax.accumulateAndGet(running.incrementAndGet(), Math::max);
                if (number % 64 == 0) {
                    threads.add(Thread.currentThread().getName());
                    Thread.yield(); // widen the window in which a second runner would overlap
                }
                ran.add(number);
                running.decrementAndGet();
            });
        }
        int total = serial.query(ran::size, WAIT);

        assertThat(total).isEqualTo(tasksCount);
        assertThat(runningMax.get()).isEqualTo(1);
        for (int i = 0; i < tasksCount; i++) {
            assertThat(ran.get(i)).as("task at position %d", i).isEqualTo(i);
        }
        // The tasks crossed turns (64 tasks each), so the order held across hand-overs between pool threads.
        assertThat(threads).hasSizeGreaterThan(1);
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheTasksAfterIt() {
        SerialExecutor serial = new SerialExecutor("failing", pool);
        List<String> ran = java.util.Collections.synchronizedList(new ArrayList<>());
        serial.execute(() -> ran.add("before"));
        serial.execute(() -> {
            throw new IllegalStateException("a protocol bug");
        });
        serial.execute(() -> {
            throw new AssertionError("a broken invariant");
        });
        serial.execute(() -> ran.add("after"));
        await().atMost(WAIT).until(() -> ran.size() == 2);
        assertThat(ran).containsExactly("before", "after");
    }

    @Test
    @Timeout(10)
    void anErrorEscapingATaskDoesNotStopTheExecutorAndFailsAQueryAtOnce() {
        SerialExecutor serial = new SerialExecutor("erring", handPool::add);
        List<String> ran = new ArrayList<>();
        serial.execute(() -> {
            throw new StackOverflowError("deep");
        });
        serial.execute(() -> ran.add("after"));
        assertThatThrownBy(this::runHandPool).isInstanceOf(StackOverflowError.class);
        runHandPool();
        assertThat(ran).as("the executor was rescheduled after the error").containsExactly("after");

        SerialExecutor queried = new SerialExecutor("erring-query", pool);
        assertThatThrownBy(() -> queried.query(() -> {
            throw new StackOverflowError("deep");
        }, Duration.ofSeconds(30))).isInstanceOf(IllegalStateException.class).hasRootCauseInstanceOf(StackOverflowError.class);
        assertThat(queried.query(() -> "alive", WAIT)).isEqualTo("alive");
    }

    @Test
    @Timeout(10)
    void aQueryWaitingInLineFailsAtOnceWhenTheExecutorCloses() throws Exception {
        // A pool that never runs a turn: the query stays queued until the close.
        Queue<Runnable> turns = new java.util.concurrent.ConcurrentLinkedQueue<>();
        SerialExecutor serial = new SerialExecutor("closing", turns::add);
        java.util.concurrent.CompletableFuture<Throwable> failure = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                serial.query(() -> "never", Duration.ofMinutes(10));
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        }, pool);
        await().atMost(WAIT).until(() -> !turns.isEmpty()); // the query's task is queued (then its turn scheduled)
        serial.close();
        assertThat(failure.get(5, TimeUnit.SECONDS)).as("failed at the close, not after ten minutes")
                .hasRootCauseMessage("closing closed before answering");
    }

    @Test
    void queryAnswersOnTheExecutorAfterWhatWasSubmittedBefore() {
        SerialExecutor serial = new SerialExecutor("queried", pool);
        AtomicInteger state = new AtomicInteger();
        AtomicBoolean onExecutor = new AtomicBoolean();
        for (int i = 0; i < 100; i++) {
            serial.execute(state::incrementAndGet);
        }
        int seen = serial.query(() -> {
            onExecutor.set(Thread.currentThread().getName().startsWith("pool-"));
            return state.get();
        }, WAIT);
        assertThat(seen).isEqualTo(100);
        assertThat(onExecutor).isTrue();
    }

    @Test
    @Timeout(10)
    void aQueryThatThrowsFailsAtOnceWithItsCauseAndTheExecutorGoesOn() {
        SerialExecutor serial = new SerialExecutor("throwing-query", pool);
        assertThatThrownBy(() -> serial.query(() -> {
            throw new IllegalArgumentException("no such block");
        }, Duration.ofMinutes(10))).isInstanceOf(IllegalStateException.class)
                .hasRootCauseInstanceOf(IllegalArgumentException.class).hasRootCauseMessage("no such block");
        assertThat(serial.query(() -> "still serving", WAIT)).isEqualTo("still serving");
    }

    @Test
    void aQueryOnAStuckExecutorFailsAfterItsTimeout() throws Exception {
        SerialExecutor serial = new SerialExecutor("stuck", pool);
        CountDownLatch release = new CountDownLatch(1);
        serial.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long started = System.nanoTime();
        assertThatThrownBy(() -> serial.query(() -> 1, Duration.ofMillis(200)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("stuck did not answer");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        release.countDown();
        assertThat(serial.query(() -> 2, WAIT)).isEqualTo(2);
    }

    @Test
    @Timeout(10)
    void aClosedExecutorRefusesAQueryAtOnce() {
        SerialExecutor serial = new SerialExecutor("closed", pool);
        serial.close();
        assertThatThrownBy(() -> serial.query(() -> 1, Duration.ofMinutes(10)))
                .isInstanceOf(IllegalStateException.class).hasMessage("closed is closed; nothing to query");
    }

    @Test
    void stopRunsTheShutdownAfterTheQueuedTasksThenDropsWhatComesLater() {
        SerialExecutor serial = new SerialExecutor("stopping", pool);
        List<String> ran = java.util.Collections.synchronizedList(new ArrayList<>());
        serial.execute(() -> ran.add("queued"));
        assertThat(serial.stop(() -> ran.add("shutdown"), WAIT)).isTrue();
        assertThat(ran).containsExactly("queued", "shutdown");

        // Closed now: a late task is dropped, a late handler's completion still runs.
        SerialExecutor closed = new SerialExecutor("stopped", handPool::add);
        closed.stop(() -> { }, Duration.ofMillis(1)); // nothing runs the hand pool: the shutdown times out
        closed.execute(() -> ran.add("late"));
        AtomicBoolean done = new AtomicBoolean();
        closed.handle(() -> ran.add("late handler"), () -> done.set(true));
        runHandPool();
        assertThat(ran).containsExactly("queued", "shutdown");
        assertThat(done).isTrue();
    }

    @Test
    void stopOfAStuckExecutorReportsFalseAndDropsWhatWasQueued() {
        SerialExecutor serial = new SerialExecutor("stuck-stop", handPool::add);
        List<String> ran = new ArrayList<>();
        serial.execute(() -> ran.add("queued"));
        // The hand pool runs nothing during the stop: the executor is as good as stuck.
        assertThat(serial.stop(() -> ran.add("shutdown"), Duration.ofMillis(50))).isFalse();
        runHandPool();
        assertThat(ran).isEmpty();
    }

    @Test
    void handleRunsTheCompletionAlsoWhenTheHandlerThrows() {
        SerialExecutor serial = new SerialExecutor("handling", handPool::add);
        AtomicInteger done = new AtomicInteger();
        serial.handle(() -> {
            throw new IllegalStateException("malformed message");
        }, done::incrementAndGet);
        serial.handle(() -> { }, done::incrementAndGet);
        assertThat(done).hasValue(0); // nothing ran yet: the completions come from the executor
        runHandPool();
        assertThat(done).hasValue(2);
    }
}
