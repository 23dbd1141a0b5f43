package io.hearsay.peer.channel;

import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.TransactionRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Tell me when transaction X is committed here": futures keyed by transaction id, completed by a scan of each
 * newly committed block on the feed's executor (never on the committer's thread).
 *
 * <p>No lost wake-up: a waiter is registered first and the ledger's transaction index checked second, while a
 * scan reads the ledger's height first and the registrations second. Either the waiter's check sees the commit,
 * or the commit's scan (which runs after the commit returned) sees the waiter.
 *
 * <p>Bounded: at most {@code waitersMax} futures over all ids; each is removed as soon as it completes, fails or
 * is cancelled (a CommitStatus call whose client went away).
 */
final class TransactionWaiters {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionWaiters.class);
    private static final int IDLE = 0;
    private static final int SCANNING = 1;
    private static final int SCAN_AGAIN = 2;

    private final Ledger ledger;
    private final Executor executor;
    private final int waitersMax;
    /** Each set is only read or changed inside the map's compute functions, which lock its key. */
    private final Map<String, Set<CompletableFuture<TransactionRecord>>> byTransactionId = new ConcurrentHashMap<>();
    private final AtomicInteger waiters = new AtomicInteger();
    private final AtomicInteger scanState = new AtomicInteger(IDLE);
    /** Blocks below this have been scanned; touched only by the single scan task. */
    private long scannedHeight;
    private volatile RuntimeException closedWith;

    TransactionWaiters(Ledger ledger, Executor executor, int waitersMax) {
        this.ledger = ledger;
        this.executor = executor;
        this.waitersMax = waitersMax;
        this.scannedHeight = ledger.height();
    }

    CompletableFuture<TransactionRecord> await(String transactionId) {
        if (closedWith != null) {
            return CompletableFuture.failedFuture(closedWith);
        }
        if (waiters.incrementAndGet() > waitersMax) {
            waiters.decrementAndGet();
            return CompletableFuture.failedFuture(new TooManyWaitersException(waitersMax));
        }
        CompletableFuture<TransactionRecord> waiter = new CompletableFuture<>();
        byTransactionId.compute(transactionId, (id, set) -> {
            Set<CompletableFuture<TransactionRecord>> futures = set == null ? new HashSet<>(2) : set;
            futures.add(waiter);
            return futures;
        });
        // Whatever ends the waiter — commit, failure, the client's cancellation — frees its slot.
        waiter.whenComplete((record, failure) -> remove(transactionId, waiter));
        try {
            ledger.transaction(transactionId).ifPresent(waiter::complete);
        } catch (RuntimeException e) {
            waiter.completeExceptionally(e);
        }
        if (closedWith != null) {
            waiter.completeExceptionally(closedWith);
        }
        return waiter;
    }

    int pending() {
        return waiters.get();
    }

    /** New blocks were committed: scan them, coalescing announcements that arrive while a scan runs. */
    void onCommitted() {
        while (true) {
            int state = scanState.get();
            if (state == SCAN_AGAIN
                    || (state == SCANNING && scanState.compareAndSet(SCANNING, SCAN_AGAIN))) {
                return;
            }
            if (state == IDLE && scanState.compareAndSet(IDLE, SCANNING)) {
                try {
                    executor.execute(this::scan);
                } catch (RejectedExecutionException e) {
                    scanState.set(IDLE);
                }
                return;
            }
        }
    }

    /** Fails every pending waiter and refuses new ones. */
    void close(String reason) {
        closedWith = new IllegalStateException(reason);
        for (String transactionId : List.copyOf(byTransactionId.keySet())) {
            snapshot(transactionId).forEach(waiter -> waiter.completeExceptionally(closedWith));
        }
    }

    private void scan() {
        do {
            scanState.set(SCANNING);
            try {
                scanNewBlocks();
            } catch (RuntimeException e) {
                LOG.warn("{}: scanning new blocks for commit-status waiters failed; the next commit retries",
                        ledger.channelId(), e);
            }
        } while (!scanState.compareAndSet(SCANNING, IDLE));
    }

    private void scanNewBlocks() {
        long height = ledger.height(); // before looking at the waiters: see the class comment
        if (byTransactionId.isEmpty()) {
            scannedHeight = height;
            return;
        }
        while (scannedHeight < height) {
            Block block = ledger.block(scannedHeight).orElseThrow(() -> new IllegalStateException(
                    "block " + scannedHeight + " is below the height but cannot be read"));
            for (String transactionId : CommittedTransaction.transactionIds(block)) {
                if (!transactionId.isEmpty() && byTransactionId.containsKey(transactionId)) {
                    complete(transactionId);
                }
            }
            scannedHeight++;
        }
    }

    private void complete(String transactionId) {
        // The index, not the block, answers: for a duplicate id it names the first (the one that counts).
        ledger.transaction(transactionId).ifPresent(record ->
                snapshot(transactionId).forEach(waiter -> waiter.complete(record)));
    }

    /** The futures waiting for {@code transactionId}, copied so they are completed outside the map's lock. */
    private List<CompletableFuture<TransactionRecord>> snapshot(String transactionId) {
        List<CompletableFuture<TransactionRecord>> copy = new ArrayList<>();
        byTransactionId.computeIfPresent(transactionId, (id, set) -> {
            copy.addAll(set);
            return set;
        });
        return copy;
    }

    private void remove(String transactionId, CompletableFuture<TransactionRecord> waiter) {
        byTransactionId.computeIfPresent(transactionId, (id, set) -> {
            if (set.remove(waiter)) {
                waiters.decrementAndGet();
            }
            return set.isEmpty() ? null : set;
        });
    }
}
