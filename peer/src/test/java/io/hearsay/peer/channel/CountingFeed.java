package io.hearsay.peer.channel;

import io.hearsay.ledger.TransactionRecord;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.protos.common.Block;

/** A commit feed seen through a counter of the blocks its subscribers take: how tests see backpressure work. */
public final class CountingFeed implements CommitFeed {
    private final CommitFeed feed;
    private final AtomicInteger taken = new AtomicInteger();

    public CountingFeed(CommitFeed feed) {
        this.feed = feed;
    }

    /** Blocks handed to any subscriber so far. */
    public int taken() {
        return taken.get();
    }

    @Override
    public Subscription subscribe(long from, BlockSink sink) {
        return feed.subscribe(from, new BlockSink() {
            @Override
            public boolean accept(Block block) {
                taken.incrementAndGet();
                return sink.accept(block);
            }

            @Override
            public void closed(String reason) {
                sink.closed(reason);
            }
        });
    }

    @Override
    public CompletableFuture<TransactionRecord> committed(String transactionId) {
        return feed.committed(transactionId);
    }
}
