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
 * threads check blocks ahead; the committer plans block n+1 while a writer thread writes block n's batch.
 * Each block is checked against the block before it in the list (the head it will follow once that one is
 * committed), so checks need not wait for commits; the planner reads the state through block n's batch
 * ({@link CommitPlanner#plan(Block, List, Head, Plan)}), so planning need not wait for the write.
 *
 * <pre>
 *   check threads:  check n+2 … n+k-1 (content; transactions in slices)      k = pipelineBlocksMax
 *   committer:      await checks of n+1 ─▶ plan n+1 over n's batch ─▶ wait for write n ─▶ publish n ─▶ write n+1
 *   writer thread:  write n (one batch, synced)
 * </pre>
 *
 * <p>Blocks are still written one batch at a time, in order, and a block's head is published only once its
 * batch is durable, so the crash guarantee and what readers see are {@link Ledger#commit}'s. On the first
 * rejected block the write in flight is finished and published, and nothing of the rejected block or after
 * it is written: later blocks may have been checked, but the committer stops there.
 *
 * <p>One instance per call, used by the calling thread under the ledger's commit lock.
 */
final class CommitPipeline {
    private final BlockChecker checker;
    private final CommitPlanner planner;
    private final LedgerStorage storage;
    private final Consumer<Head> publish;
    private final int blocksMax;
    private final List<CommitResult> committed = new ArrayList<>();
    private Head head;
    /** The plan whose batch is being written, and its write; both null when no write is in flight. */
    private Plan unwritten;
    private CompletableFuture<Void> writing;

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
                BlockChecker.Pending pending = inFlight.removeFirst();
                List<CheckedTransaction> checked;
                try {
                    checked = pending.await();
                } catch (BlockRejectedException e) {
                    finishWrite();
                    throw e.afterCommitting(committed);
                }
                Plan plan = planner.plan(pending.block(), checked, unwritten == null ? head : unwritten.head(), unwritten);
                finishWrite();
                unwritten = plan;
                writing = CompletableFuture.runAsync(() -> storage.write(plan.batch()), writer);
            }
            finishWrite();
            return committed;
        } catch (RuntimeException | Error e) {
            // Never leave a write running once the commit lock is released, nor a durable block unpublished.
            try {
                finishWrite();
            } catch (RuntimeException | Error alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        } finally {
            inFlight.forEach(BlockChecker.Pending::abandon);
        }
    }

    /** Waits for the write in flight, if any, then publishes its block: durable first, visible after. */
    private void finishWrite() {
        if (writing == null) {
            return;
        }
        CompletableFuture<Void> write = writing;
        Plan plan = unwritten;
        writing = null;
        unwritten = null;
        try {
            write.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
        head = plan.head();
        publish.accept(head);
        committed.add(plan.result());
    }

    private static Thread writerThread(Runnable task) {
        Thread thread = new Thread(task, "ledger-writer");
        thread.setDaemon(true);
        return thread;
    }
}
