package io.hearsay.peer.channel;

import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.TransactionRecord;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The {@link CommitFeed} of one channel's {@link Ledger}. The committer calls {@link #onCommitted} after each
 * {@link Ledger#commit} (or {@link Ledger#commitAll}) returned; everything else happens on the injected executor.
 *
 * <pre>
 *   committer ── Ledger.commit ── onCommitted(h) ──┬─▶ each subscription: wake()  (a few field writes)
 *                                                  └─▶ waiters: schedule one scan of the new blocks
 *   executor  ── subscription drain: ledger.block(next) → sink.accept, in order, blocksPerTurn at a time
 *             ── waiter scan: tx ids of the new blocks → complete their futures from the tx index
 * </pre>
 *
 * <p>Subscriptions read blocks from the ledger itself, so replay and live delivery are one path and the height
 * passed to {@link #onCommitted} is only a wake-up: the ledger's own height is the truth.
 *
 * <p>Thread-safe. {@code onCommitted} never blocks and never calls a subscriber.
 */
public final class LedgerCommitFeed implements CommitFeed, AutoCloseable {
    private final Ledger ledger;
    private final Executor executor;
    private final CommitFeedConfig config;
    private final Set<FeedSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final TransactionWaiters waiters;
    private volatile String closedReason;

    /**
     * @param executor runs deliveries and waiter scans; any pool (each subscription runs one task at a time on
     *     it). Sinks are called on it, so it must not be a gRPC transport thread that the sinks could wait on
     */
    public LedgerCommitFeed(Ledger ledger, Executor executor, CommitFeedConfig config) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.config = Objects.requireNonNull(config, "config");
        this.waiters = new TransactionWaiters(ledger, executor, config.transactionWaitersMax());
    }

    /**
     * The committer's hook: blocks up to {@code newHeight} are committed and readable. Cheap and non-blocking;
     * safe to call from any thread, more than once, or with a stale height.
     */
    public void onCommitted(long newHeight) {
        if (closedReason != null) {
            return;
        }
        for (FeedSubscription subscription : subscriptions) {
            subscription.wake();
        }
        waiters.onCommitted();
    }

    @Override
    public Subscription subscribe(long from, BlockSink sink) {
        if (from < 0) {
            throw new IllegalArgumentException("a subscription starts at block " + Long.toUnsignedString(from)
                    + ", beyond any ledger; block numbers up to " + Long.MAX_VALUE + " are supported");
        }
        Objects.requireNonNull(sink, "sink");
        FeedSubscription subscription = new FeedSubscription(ledger, executor, sink, from, config.blocksPerTurn(),
                subscriptions::remove);
        subscriptions.add(subscription);
        String reason = closedReason;
        if (reason != null) {
            subscription.end(reason); // closed concurrently: the sink still hears why
        } else {
            subscription.start();
        }
        return subscription;
    }

    @Override
    public CompletableFuture<TransactionRecord> committed(String transactionId) {
        Objects.requireNonNull(transactionId, "transactionId");
        return waiters.await(transactionId);
    }

    /** Live subscriptions; for tests and metrics. */
    public int subscriptions() {
        return subscriptions.size();
    }

    /** Pending transaction waiters; for tests and metrics. */
    public int pendingWaiters() {
        return waiters.pending();
    }

    /** Ends every subscription and waiter: the channel is closing. */
    @Override
    public void close() {
        close("the channel " + ledger.channelId() + " is closing on this node");
    }

    /** Ends every subscription (their sinks hear {@code reason}) and fails every waiter with it. */
    public void close(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (closedReason != null) {
            return;
        }
        closedReason = reason;
        for (FeedSubscription subscription : List.copyOf(subscriptions)) {
            subscription.end(reason);
        }
        waiters.close(reason);
    }
}
