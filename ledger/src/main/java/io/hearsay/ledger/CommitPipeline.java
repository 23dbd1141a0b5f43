package io.hearsay.ledger;

import io.hearsay.ledger.CommitPlanner.Head;
import io.hearsay.ledger.CommitPlanner.Plan;
import io.hearsay.ledger.block.BlockHashing;
import io.hearsay.ledger.storage.LedgerStorage;
import io.hearsay.ledger.validation.CheckedTransaction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.hyperledger.fabric.protos.common.Block;

/**
 * {@link Ledger#commitAll}: commits a list of blocks in order, in three overlapping stages. The check
 * threads check blocks ahead; the committer plans block n+1 while a writer thread writes block n's batch,
 * and queues n+1's batch behind it, so the writer goes from one write to the next without waiting for the
 * committer. Each block is checked against the block before it in the list (the head it will follow once
 * that one is committed), so checks need not wait for commits; the planner reads the state through the
 * batch of the block before ({@link CommitPlanner#plan(Block, List, Head, Plan)}), so planning need not
 * wait for that write.
 *
 * <pre>
 *   check threads:  check n+2 … n+k-1 (content; transactions in slices)      k = pipelineBlocksMax
 *   committer:      wait for write n-1, publish n-1 ─▶ await checks of n+1 ─▶ plan n+1 over n's batch
 *                   ─▶ prepare (serialise) n+1's batch ─▶ queue write n+1
 *   writer thread:  write n (one batch, synced) ─▶ write n+1 as soon as n is durable (queued meanwhile)
 * </pre>
 *
 * <p>At most {@link #WRITES_IN_FLIGHT_MAX} batches are written or queued at once, and the committer plans a
 * block only once every write but the newest is durable, so a plan reads through one unwritten batch at
 * most. Why queue at all: on a busy machine the writer is the critical path, and handing each write over
 * through the committer cost it two thread wake-ups per block (committer woken by the finished write, writer
 * woken by the next), a third of a millisecond on 2 loaded cores.
 *
 * <p>Blocks are still written one batch at a time, in order, and a block's head is published only once its
 * batch is durable, so the crash guarantee and what readers see are {@link Ledger#commit}'s. A queued write
 * runs only if the write before it succeeded: a failed write leaves no later block written. On the first
 * rejected block the writes in flight are finished and published, and nothing of the rejected block or after
 * it is written: later blocks may have been checked, but the committer stops there.
 *
 * <p>One instance per call, used by the calling thread under the ledger's commit lock.
 */
final class CommitPipeline {
    /**
     * Batches written or queued at once: the one being written and the next, so the writer never waits for
     * the committer while the committer plans faster than the writer writes. More would need plans that read
     * through several unwritten batches and would buy nothing: the writer has one write to do at a time.
     */
    static final int WRITES_IN_FLIGHT_MAX = 2;

    /** A planned block whose batch is being written or queued; its head is published once it is durable. */
    private record Write(Plan plan, CompletableFuture<Void> done) {}

    private final BlockChecker checker;
    private final CommitPlanner planner;
    private final LedgerStorage storage;
    private final Consumer<Head> publish;
    private final int blocksMax;
    private final List<CommitResult> committed = new ArrayList<>();
    private Head head;
    /** Oldest first; at most {@link #WRITES_IN_FLIGHT_MAX}. */
    private final ArrayDeque<Write> writes = new ArrayDeque<>(WRITES_IN_FLIGHT_MAX);

    /**
     * @param head the ledger's head when the call starts; only {@code publish} changes it meanwhile
     * @param publish makes a durable block's head the ledger's
     * @param blocksMax blocks being checked at once, counting the one awaited
     */
    private CommitPipeline(BlockChecker checker, CommitPlanner planner, LedgerStorage storage, Head head,
            Consumer<Head> publish, int blocksMax) {
        this.checker = checker;
        this.planner = planner;
        this.storage = storage;
        this.head = head;
        this.publish = publish;
        this.blocksMax = blocksMax;
    }

    /** @param parallel false writes on the calling thread, so a single-threaded ledger stays single-threaded */
    static List<CommitResult> commitAll(List<Block> blocks, Head head, BlockChecker checker, CommitPlanner planner,
            LedgerStorage storage, Consumer<Head> publish, int blocksMax, boolean parallel) throws BlockRejectedException {
        if (blocks.isEmpty()) {
            return List.of();
        }
        // A thread per call: writes of different ledgers must not queue behind each other, and a catch-up
        // batch outlasts the thread's start-up (about 0.1 ms) by far. One block has nothing to overlap.
        ExecutorService writer = parallel && blocks.size() > 1 ? Executors.newSingleThreadExecutor(CommitPipeline::writerThread) : null;
        try {
            return new CommitPipeline(checker, planner, storage, head, publish, blocksMax)
                    .run(blocks, writer == null ? Runnable::run : writer);
        } finally {
            if (writer != null) {
                writer.shutdown();
            }
        }
    }

    private List<CommitResult> run(List<Block> blocks, Executor writer) throws BlockRejectedException {
        ArrayDeque<BlockChecker.Pending> inFlight = new ArrayDeque<>(blocksMax);
        long expectedNumber = head.height();
        byte[] expectedPreviousHash = head.height() == 0 ? new byte[0] : head.headHash();
        int started = 0;
        try {
            for (int planned = 0; planned < blocks.size(); planned++) {
                while (started < blocks.size() && inFlight.size() < blocksMax) {
                    Block next = blocks.get(started++);
                    inFlight.addLast(checker.start(next, expectedNumber, expectedPreviousHash));
                    // If next is rejected these are wrong, but nothing after next is committed then anyway.
                    expectedNumber = next.getHeader().getNumber() + 1;
                    expectedPreviousHash = BlockHashing.headerHash(next.getHeader());
                }
                // Only the newest write may still be unwritten while planning: the plan reads through it.
                while (writes.size() >= WRITES_IN_FLIGHT_MAX) {
                    finishOldestWrite();
                }
                BlockChecker.Pending pending = inFlight.removeFirst();
                List<CheckedTransaction> checked;
                try {
                    checked = pending.await();
                } catch (BlockRejectedException e) {
                    finishWrites();
                    throw e.afterCommitting(committed);
                }
                Plan unwritten = writes.isEmpty() ? null : writes.peekLast().plan();
                Plan plan = planner.plan(pending.block(), checked, unwritten == null ? head : unwritten.head(), unwritten);
                // Serialising the batch here, beside the write in flight, keeps it off the writer: the critical path.
                storage.prepare(plan.batch());
                CompletableFuture<Void> previous = writes.isEmpty()
                        ? CompletableFuture.completedFuture(null) : writes.peekLast().done();
                // Runs once the write before is durable, on the writer, and not at all if that write failed.
                writes.addLast(new Write(plan, previous.thenRunAsync(() -> storage.write(plan.batch()), writer)));
                publishDurableWrites();
            }
            finishWrites();
            return committed;
        } catch (RuntimeException | Error e) {
            // Never leave a write running once the commit lock is released, nor a durable block unpublished.
            try {
                finishWrites();
            } catch (RuntimeException | Error alsoFailed) {
                if (alsoFailed != e) { // a write queued behind a failed one fails with that write's exception
                    e.addSuppressed(alsoFailed);
                }
            }
            throw e;
        } finally {
            inFlight.forEach(BlockChecker.Pending::abandon);
        }
    }

    /** Publishes, oldest first, the writes that are already durable, without waiting for any. */
    private void publishDurableWrites() {
        while (!writes.isEmpty() && writes.peekFirst().done().isDone()) {
            finishOldestWrite();
        }
    }

    /**
     * Waits for every write in flight, oldest first, publishing each durable one. If one failed, the writes
     * queued behind it never ran (they complete with the same exception); they are dropped and the first
     * failure is thrown.
     */
    private void finishWrites() {
        RuntimeException failure = null;
        while (!writes.isEmpty()) {
            try {
                finishOldestWrite();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Waits for the oldest write in flight, then publishes its block: durable first, visible after. A write that
     * failed, or never ran because the one before failed, has its prepared batch released.
     */
    private void finishOldestWrite() {
        Write write = writes.removeFirst();
        try {
            write.done().join();
        } catch (CompletionException e) {
            storage.release(write.plan().batch());
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
        planner.durable(write.plan());
        head = write.plan().head();
        publish.accept(head);
        committed.add(write.plan().result());
    }

    private static Thread writerThread(Runnable task) {
        Thread thread = new Thread(task, "ledger-writer");
        thread.setDaemon(true);
        return thread;
    }
}
