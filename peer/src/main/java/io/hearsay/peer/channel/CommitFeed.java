package io.hearsay.peer.channel;

import io.hearsay.ledger.TransactionRecord;
import java.util.concurrent.CompletableFuture;
import org.hyperledger.fabric.protos.common.Block;

/**
 * What one channel's committer tells the services that answer from the local ledger (Deliver, CommitStatus,
 * ChaincodeEvents): committed blocks in order, and "transaction X is committed here". Readers never poll
 * and never park a thread per request: they subscribe, and the feed pushes.
 */
public interface CommitFeed {

    /**
     * Delivers every committed block with number {@code >= from}, in order and without gaps: first those already
     * in the ledger (replayed), then each new one as it commits. Blocks are handed to {@code sink} on a feed
     * thread, never on the committer's, one at a time per subscription.
     *
     * <p>Flow control: when {@link BlockSink#accept} returns {@code false} the block was still taken, but the
     * subscription pauses until {@link Subscription#resume()} is called (a gRPC stream that is not ready).
     */
    Subscription subscribe(long from, BlockSink sink);

    /**
     * Completes with the transaction's record once a block holding {@code transactionId} is committed on this
     * peer (at once if it already is). Cancelling the returned future drops the waiter.
     */
    CompletableFuture<TransactionRecord> committed(String transactionId);

    /** Receives one subscription's blocks. */
    interface BlockSink {
        /** @return false to pause the subscription until {@link Subscription#resume()} */
        boolean accept(Block block);

        /** The subscription ended because the feed closed or the ledger failed to read; no more blocks follow. */
        default void closed(String reason) {
        }
    }

    /** A live subscription; closing it stops delivery (idempotent). */
    interface Subscription extends AutoCloseable {
        void resume();

        @Override
        void close();
    }
}
