package io.hearsay.peer.runtime;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads shared by every peer in one JVM: a pool the peers' {@link SerialExecutor}s run on, and one timer
 * thread. A hundred in-process peers then cost a handful of threads, not hundreds.
 */
public final class NodeResources implements AutoCloseable {
    private final ExecutorService pool;
    private final ScheduledThreadPoolExecutor timers;

    /** @param threads pool size; the number of cores is the natural choice (protocol work is CPU-bound). */
    public NodeResources(int threads) {
        this.pool = Executors.newFixedThreadPool(threads, daemon("hearsay-peer-"));
        this.timers = new ScheduledThreadPoolExecutor(1, daemon("hearsay-timer-"));
        // Cancelled timers (most hedges and repair timeouts) leave the queue at once instead of at their deadline.
        this.timers.setRemoveOnCancelPolicy(true);
    }

    public static NodeResources forCores() {
        return new NodeResources(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    public SerialExecutor serialExecutor(String name) {
        return new SerialExecutor(name, pool);
    }

    public ScheduledExecutorService timers() {
        return timers;
    }

    @Override
    public void close() {
        timers.shutdownNow();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
