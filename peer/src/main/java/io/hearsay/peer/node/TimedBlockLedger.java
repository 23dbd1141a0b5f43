package io.hearsay.peer.node;

import io.hearsay.gossip.block.BlockLedger;
import io.hearsay.gossip.block.ForwardingBlockLedger;
import io.hearsay.ledger.BlockRejectedException;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/** Gossip's view of a ledger with each commit timed (Fabric's {@code ledger_block_processing_time}). */
final class TimedBlockLedger extends ForwardingBlockLedger {
    private final Timer commits;

    TimedBlockLedger(BlockLedger ledger, Timer commits) {
        super(ledger);
        this.commits = commits;
    }

    @Override
    public void commit(Block block) throws BlockRejectedException {
        long start = System.nanoTime();
        delegate.commit(block);
        commits.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void commitAll(List<Block> blocks) throws BlockRejectedException {
        if (blocks.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        delegate.commitAll(blocks);
        // One sample per block, at the run's average: what a block cost when committed in a run.
        long perBlock = (System.nanoTime() - start) / blocks.size();
        for (int i = 0; i < blocks.size(); i++) {
            commits.record(perBlock, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }
}
