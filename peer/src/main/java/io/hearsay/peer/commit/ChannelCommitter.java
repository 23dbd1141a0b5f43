package io.hearsay.peer.commit;

import io.hearsay.gossip.block.BlockLedger;
import io.hearsay.gossip.block.ForwardingBlockLedger;
import io.hearsay.gossip.block.CommitOutcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel's committer on a node: gossip's {@link BlockLedger} whose {@link #startCommit} validates and writes a
 * run on a thread of the channel's own and posts the outcome to the channel's serial executor as an event. The
 * channel's protocol therefore goes on answering heartbeats, requests and election messages while RocksDB works,
 * instead of waiting out every run's signature checks and write on its executor.
 *
 * <pre>
 *   serial executor:   ... startCommit(run) ─┐   Heartbeat   Request   Election ...   ┌─▶ outcome: forward, drain on
 *   committer thread:                        └─▶ ledger.startCommit(run): validate, write ─┘
 * </pre>
 *
 * Gossip starts at most one run at a time per channel, so one thread is enough and the queue in front of it holds at
 * most one run (the next run may be handed over while the thread is still finishing the last one's hand-back); a
 * caller that breaks that contract gets a failed outcome, not a growing queue. Reads ({@link #height()},
 * {@link #block}) go straight to the ledger, which allows them on any thread during a commit. Wrap the ledger that is to do the work (e.g. a timed one): its own {@code startCommit}, synchronous
 * by default, runs on the committer thread. Close after the serial executor, before the ledger.
 */
public final class ChannelCommitter extends ForwardingBlockLedger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelCommitter.class);
    /** How long {@link #close} waits for a run being written, so the ledger is not closed under it. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    /** How long the committer thread outlives its last run; a busy channel keeps it, an idle one lets it go. */
    private static final Duration THREAD_IDLE = Duration.ofSeconds(30);
    /** Runs waiting for the thread: gossip hands over one at a time, so one is all a well-behaved caller needs. */
    private static final int RUNS_QUEUED_MAX = 1;

    private final String name;
    private final Executor core;
    private final ExecutorService thread;

    /**
     * @param name names the thread ({@code hearsay-commit-<name>}) and the log lines
     * @param ledger does the committing, on the committer thread
     * @param core the channel's serial executor, where outcomes are delivered
     */
    public ChannelCommitter(String name, BlockLedger ledger, Executor core) {
        super(ledger);
        this.name = name;
        this.core = core;
        ThreadPoolExecutor committer = new ThreadPoolExecutor(1, 1, THREAD_IDLE.toMillis(), TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(RUNS_QUEUED_MAX), task -> {
                    Thread thread = new Thread(task, "hearsay-commit-" + name);
                    thread.setDaemon(true);
                    return thread;
                });
        // A quiet channel keeps no thread: a hundred in-process peers' idle channels cost nothing.
        committer.allowCoreThreadTimeOut(true);
        this.thread = committer;
    }

    /** Hands the run to the committer thread and returns at once; {@code done} later runs on the serial executor. */
    @Override
    public void startCommit(List<Block> blocks, Consumer<CommitOutcome> done) {
        List<Block> run = List.copyOf(blocks);
        try {
            thread.execute(() -> commitOnThread(run, done));
        } catch (RejectedExecutionException e) {
            // Closed (the channel is stopping), or a caller started runs without waiting for outcomes. Report the run
            // as failed; nothing of it was written.
            String why = thread.isShutdown() ? "the committer is closed" : "a run is already committing and another waits";
            core.execute(() -> done.accept(new CommitOutcome(
                    new IllegalStateException(name + ": " + why + "; blocks not committed", e))));
        }
    }

    private void commitOnThread(List<Block> run, Consumer<CommitOutcome> done) {
        try {
            delegate.startCommit(run, outcome -> core.execute(() -> done.accept(outcome)));
        } catch (RuntimeException | Error e) {
            // The wrapped ledger failed outside its commit (its startCommit reports commit failures itself).
            core.execute(() -> done.accept(new CommitOutcome(e)));
        }
    }

    /** Refuses new runs and waits (bounded) for the one being written, so the ledger can be closed after this. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: a commit still runs after {}; closing the ledger now may interrupt it", name, CLOSE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
