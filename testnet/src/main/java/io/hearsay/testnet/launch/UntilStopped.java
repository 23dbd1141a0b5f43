package io.hearsay.testnet.launch;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Running a node (or a network) in the foreground: the command's thread waits until the JVM is asked to stop
 * (SIGTERM, Ctrl-C), and a shutdown hook then closes what runs, so ledgers are flushed and neighbours see a clean
 * goodbye. Data stays on disk; the same command starts it again where it stopped.
 */
public final class UntilStopped {
    private static final Logger LOG = LoggerFactory.getLogger(UntilStopped.class);

    private final CountDownLatch stopping = new CountDownLatch(1);

    private UntilStopped(AutoCloseable running) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.countDown();
            try {
                running.close();
            } catch (Exception e) {
                LOG.warn("closing on shutdown failed: {}", e.toString());
            }
        }, "hearsay-shutdown"));
    }

    /** Registers the shutdown hook that closes {@code running}. */
    public static UntilStopped closingOnShutdown(AutoCloseable running) {
        return new UntilStopped(running);
    }

    /**
     * Blocks until shutdown begins. The hook does the closing, and the JVM waits for it before exiting, so the
     * caller may simply return.
     */
    public void await() throws InterruptedException {
        stopping.await();
    }

    /** Waits up to {@code millis} for shutdown to begin; true if it has. For loops that do work between waits. */
    public boolean awaitMillis(long millis) throws InterruptedException {
        return stopping.await(millis, TimeUnit.MILLISECONDS);
    }
}
