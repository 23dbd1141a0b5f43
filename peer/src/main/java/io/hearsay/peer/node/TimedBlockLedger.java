package io.hearsay.peer.node;

import io.hearsay.gossip.block.BlockLedger;
import io.hearsay.ledger.BlockRejectedException;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/** Gossip's view of a ledger with each commit timed (Fabric's {@code ledger_block_processing_time}). */
final class TimedBlockLedger implements BlockLedger {
    private final BlockLedger ledger;
    private final Timer commits;

    TimedBlockLedger(BlockLedger ledger, Timer commits) {
        this.ledger = ledger;
        this.commits = commits;
    }

    @Override
    public long height() {
        return ledger.height();
    }

    @Override
    public byte[] headHash() {
        return ledger.headHash();
    }

    @Override
    public Optional<Block> block(long number) {
        return ledger.block(number);
    }

    @Override
    public void commit(Block block) throws BlockRejectedException {
        long start = System.nanoTime();
        ledger.commit(block);
        commits.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void commitAll(List<Block> blocks) throws BlockRejectedException {
        if (blocks.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        ledger.commitAll(blocks);
        // One sample per block, at the run's average: what a block cost when committed in a run.
        long perBlock = (System.nanoTime() - start) / blocks.size();
        for (int i = 0; i < blocks.size(); i++) {
            commits.record(perBlock, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }
}
