package io.hearsay.peer.channel;

import io.hearsay.ledger.Ledger;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link CommitFeed} subscription: a cursor ({@link #next}) over the ledger that a drain task advances on the
 * feed's executor. Replay and live delivery are the same loop — read block {@code next} while it is below the
 * ledger's height — so a commit racing with {@code subscribe} can neither be skipped nor sent twice: the cursor,
 * not the commit notification, decides what is sent.
 *
 * <pre>
 *   idle ──wake()/resume()──▶ scheduled ──drain: next &lt; height──▶ sink.accept(block), next++
 *    ▲                           │  └─ accept false (no resume meanwhile) ──▶ paused ──resume()──▶ scheduled
 *    └── caught up, no wake ─────┘  └─ close / ledger error ──▶ closed (sink.closed(reason) if the feed ended it)
 * </pre>
 *
 * <p>Threading: at most one drain task exists at a time (the {@code scheduled} flag), so the sink is called one
 * block at a time and {@link #next} needs no lock. The lock guards only the flags and is never held while calling
 * the ledger or the sink, so {@link #wake()} costs the committer a few field writes.
 */
final class FeedSubscription implements CommitFeed.Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(FeedSubscription.class);

    private final Ledger ledger;
    private final Executor executor;
    private final CommitFeed.BlockSink sink;
    private final int blocksPerTurn;
    private final Consumer<FeedSubscription> onClosed;
    /** The next block to hand to the sink; touched only by the single drain task. */
    private long next;

    // Guarded by this.
    private boolean scheduled;
    private boolean paused;
    /** A commit was announced while the drain task ran: look at the height again before going idle. */
    private boolean woken;
    /** {@link #resume()} ran since the sink was last handed a block: a {@code false} from that block is stale. */
    private boolean resumed;
    private boolean closed;
    /** Why the feed ended this subscription; null when its owner closed it (the owner needs no notice). */
    private String closeReason;
    private boolean closeNotified;

    FeedSubscription(Ledger ledger, Executor executor, CommitFeed.BlockSink sink, long from, int blocksPerTurn,
            Consumer<FeedSubscription> onClosed) {
        this.ledger = ledger;
        this.executor = executor;
        this.sink = sink;
        this.next = from;
        this.blocksPerTurn = blocksPerTurn;
        this.onClosed = onClosed;
    }

    /** Starts the replay. */
    void start() {
        wake();
    }

    /** A block was committed: deliver it unless paused or already draining (then the drain sees it). */
    void wake() {
        synchronized (this) {
            if (scheduled) {
                woken = true;
                return;
            }
            if (paused || closed) {
                return;
            }
            scheduled = true;
        }
        submit();
    }

    @Override
    public void resume() {
        synchronized (this) {
            resumed = true;
            if (!paused || closed) {
                return;
            }
            paused = false;
            scheduled = true;
        }
        submit();
    }

    @Override
    public void close() {
        end(null);
    }

    /** Ends the subscription; a non-null reason is passed to {@link CommitFeed.BlockSink#closed} on the feed's executor. */
    void end(String reason) {
        boolean notify;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            closeReason = reason;
            // A running drain delivers the notice; otherwise start one just for it.
            notify = reason != null && !scheduled;
            if (notify) {
                scheduled = true;
            }
        }
        onClosed.accept(this);
        if (notify) {
            submit();
        }
    }

    private void submit() {
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // The node is shutting down and took the executor with it; nothing more can be delivered.
            String reason;
            synchronized (this) {
                scheduled = false;
                closed = true;
                reason = closeNotified ? null : (closeReason != null ? closeReason : "the node is shutting down");
                closeNotified = true;
            }
            onClosed.accept(this);
            if (reason != null) {
                sink.closed(reason);
            }
        }
    }

    private void drain() {
        for (int delivered = 0; ; delivered++) {
            String notice = null;
            synchronized (this) {
                if (closed) {
                    scheduled = false;
                    if (closeReason != null && !closeNotified) {
                        closeNotified = true;
                        notice = closeReason;
                    }
                } else if (paused) {
                    scheduled = false;
                    return;
                } else {
                    woken = false;
                }
            }
            if (notice != null) {
                sink.closed(notice);
                return;
            }
            if (isClosed()) {
                return;
            }
            if (delivered == blocksPerTurn) {
                submit(); // give the thread back; still scheduled
                return;
            }
            Block block;
            try {
                if (Long.compareUnsigned(next, ledger.height()) >= 0) {
                    synchronized (this) {
                        if (woken || closed) {
                            continue;
                        }
                        scheduled = false;
                        return;
                    }
                }
                block = ledger.block(next).orElseThrow(() -> new IllegalStateException(
                        "block " + next + " is below the ledger's height but cannot be read"));
            } catch (RuntimeException e) {
                LOG.warn("{}: subscription ends: cannot read block {}", ledger.channelId(), next, e);
                end("the ledger of channel " + ledger.channelId() + " failed to read block " + next + ": " + e.getMessage());
                continue;
            }
            synchronized (this) {
                resumed = false;
            }
            boolean more;
            try {
                more = sink.accept(block);
            } catch (RuntimeException e) {
                LOG.warn("{}: subscriber failed on block {}; closing its subscription", ledger.channelId(), next, e);
                close();
                continue;
            }
            next++;
            if (!more) {
                synchronized (this) {
                    if (!resumed) {
                        paused = true;
                    }
                }
            }
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }
}
