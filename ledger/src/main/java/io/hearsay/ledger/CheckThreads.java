package io.hearsay.ledger;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that check blocks ({@link BlockChecker}) for every ledger in this JVM, one per core: the work
 * is CPU-bound (ECDSA, SHA-256, protobuf parsing), so more threads would only add switching, and a pool
 * per ledger would give 100 ledgers 100 pools. Shared like {@code RocksResources.shared()}; the threads are
 * daemons, so they never keep the JVM alive, and die after a minute idle. Named "ledger-check-N": Linux
 * shows a thread's first 15 characters (top -H, /proc), which must tell the threads apart.
 *
 * <p>Tasks run in the order submitted, so the block a committer waits for is checked before the blocks it
 * looks ahead to. The queue has no bound of its own: each commit in progress queues at most
 * {@code pipelineBlocksMax} × ({@link #count()} + 1) tasks, and commits per ledger are serialised.
 */
final class CheckThreads {
    /** Idle threads exit after this, so a JVM whose ledgers are quiet holds none. */
    private static final long IDLE_SECONDS_MAX = 60;

    private CheckThreads() {}

    /** One thread per core the JVM may use. */
    static int count() {
        return Holder.POOL.getMaximumPoolSize();
    }

    static Executor shared() {
        return Holder.POOL;
    }

    /** Created on first use, so a JVM that never commits in parallel starts no threads. */
    private static final class Holder {
        static final ThreadPoolExecutor POOL = create(Runtime.getRuntime().availableProcessors());

        private static ThreadPoolExecutor create(int threads) {
            AtomicInteger created = new AtomicInteger();
            ThreadFactory factory = task -> {
                Thread thread = new Thread(task, "ledger-check-" + created.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS_MAX, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), factory);
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }
}
