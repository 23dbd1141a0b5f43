package io.hearsay.peer.runtime;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: the serial context a protocol component
 * lives on. A hundred peers in one JVM share a few threads, yet each peer's protocol state is touched by one
 * task at a time, so the deterministic core needs no locks. A task that throws is logged and the executor
 * goes on; a protocol bug must not silence a peer.
 *
 * <p>The queue itself is not bounded: what feeds it is (each connection has a bounded window of inbound
 * messages not yet handled, and the protocol's timers are bounded), which is where backpressure belongs.
 */
public final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
    /** Tasks run per turn on a pool thread before yielding it, so one busy peer cannot starve the others. */
    private static final int TASKS_PER_TURN = 64;

    private final String name;
    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean closed;

    public SerialExecutor(String name, Executor pool) {
        this.name = name;
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        if (closed) {
            abandon(task);
            return;
        }
        tasks.add(task);
        if (closed) {
            dropQueued(); // close() ran between the check and the add: nothing would ever run what was just queued
        } else if (scheduled.compareAndSet(false, true)) {
            pool.execute(this::runSome);
        }
    }

    /**
     * Runs {@code handler} on this executor, then {@code done} in any case — also when {@code handler} throws or this
     * executor is closed — so a connection waiting for its inbound message to be handled reads on.
     */
    public void handle(Runnable handler, Runnable done) {
        if (closed) {
            done.run();
            return;
        }
        execute(() -> {
            try {
                handler.run();
            } finally {
                done.run();
            }
        });
    }

    /**
     * Runs {@code query} on this executor and waits for its answer: how another thread reads protocol state, which
     * only this executor may touch.
     *
     * @throws IllegalStateException if no answer comes within {@code timeout} (the executor is stuck or closed), or
     *     at once, with its exception as the cause, if {@code query} throws
     */
    public <T> T query(java.util.function.Supplier<T> query, java.time.Duration timeout) {
        if (closed) {
            throw new IllegalStateException(name + " is closed; nothing to query"); // fail now, not after the timeout
        }
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        execute(new PendingQuery<T>(result) {
            @Override
            public void run() {
                try {
                    result.complete(query.get());
                } catch (Throwable e) {
                    // The caller gets the failure now, rather than waiting out its timeout for an answer that never comes.
                    result.completeExceptionally(e);
                    throw e;
                }
            }
        });
        try {
            return result.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while querying " + name, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(name + " did not answer: " + e, e);
        }
    }

    /**
     * Runs {@code shutdown} on this executor, waits for it at most {@code timeout}, then closes the executor: a
     * protocol stops on its own thread, and whatever it left queued is dropped.
     *
     * @return false (and logs why) if the shutdown did not finish in time
     */
    public boolean stop(Runnable shutdown, java.time.Duration timeout) {
        boolean stopped;
        try {
            query(() -> {
                shutdown.run();
                return Boolean.TRUE;
            }, timeout);
            stopped = true;
        } catch (IllegalStateException e) {
            LOG.warn("{}: did not stop cleanly: {}", name, e.getMessage());
            stopped = false;
        }
        close();
        return stopped;
    }

    /** Drops queued tasks and refuses new ones; a task already running finishes. Queries waiting in line fail now. */
    public void close() {
        closed = true;
        dropQueued();
    }

    private void dropQueued() {
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
            abandon(task);
        }
    }

    /** A task that will never run: a query waiting for it is told so at once instead of at its timeout. */
    private void abandon(Runnable task) {
        if (task instanceof PendingQuery<?> pending) {
            pending.result.completeExceptionally(new IllegalStateException(name + " closed before answering"));
        }
    }

    /** A query's task, known as one so that closing can fail its caller rather than leave it waiting. */
    private abstract static class PendingQuery<T> implements Runnable {
        final java.util.concurrent.CompletableFuture<T> result;

        PendingQuery(java.util.concurrent.CompletableFuture<T> result) {
            this.result = result;
        }
    }

    private void runSome() {
        try {
            for (int i = 0; i < TASKS_PER_TURN && !closed; i++) {
                Runnable task = tasks.poll();
                if (task == null) {
                    break;
                }
                try {
                    task.run();
                } catch (RuntimeException | AssertionError e) {
                    LOG.error("{}: task failed; continuing", name, e);
                }
            }
        } finally {
            // Also after an Error escaped a task (it goes on to the pool's thread): a flag left set would stop this
            // executor for good.
            scheduled.set(false);
            // A task added after the last poll but before the flag was cleared would otherwise wait forever.
            if (!tasks.isEmpty() && !closed && scheduled.compareAndSet(false, true)) {
                pool.execute(this::runSome);
            }
        }
    }
}
