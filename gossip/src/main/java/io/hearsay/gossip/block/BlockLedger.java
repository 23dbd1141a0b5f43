package io.hearsay.gossip.block;

import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.Ledger;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/**
 * What block gossip needs of a ledger: its head, its blocks, and a validating commit. Peers use their
 * {@link Ledger} ({@link #of(Ledger)}); the simulator may use a lighter chain for runs of 100,000 peers.
 *
 * <p>Contract: {@link #commit} and {@link #commitAll} validate each block (the ledger's block-level checks
 * at least) and are durable when they return; gossip advertises the new height only after that.
 */
public interface BlockLedger {
    long height();

    /** Header hash of the last block. */
    byte[] headHash();

    Optional<Block> block(long number);

    void commit(Block block) throws BlockRejectedException;

    /**
     * Commits {@code blocks} in list order, each exactly as {@link #commit} would: the catch-up path, which a
     * ledger may pipeline ({@link Ledger#commitAll}). Every block is durable when this returns.
     *
     * @throws BlockRejectedException for the first block that fails a check, named by
     *     {@link BlockRejectedException#blockNumber()}: every block before it in the list is committed and
     *     durable, nothing from it on is, and {@link #height()} tells how far the call got (so callers need
     *     not rely on {@link BlockRejectedException#committed()}, which only a {@link Ledger} fills in)
     */
    default void commitAll(List<Block> blocks) throws BlockRejectedException {
        for (Block block : blocks) {
            commit(block);
        }
    }

    static BlockLedger of(Ledger ledger) {
        return new BlockLedger() {
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
                ledger.commit(block);
            }

            @Override
            public void commitAll(List<Block> blocks) throws BlockRejectedException {
                ledger.commitAll(blocks);
            }
        };
    }
}
