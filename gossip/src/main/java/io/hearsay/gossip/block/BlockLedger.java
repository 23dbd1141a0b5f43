package io.hearsay.gossip.block;

import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.Ledger;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/**
 * What block gossip needs of a ledger: its head, its blocks, and a validating commit. Peers use their
 * {@link Ledger} ({@link #of(Ledger)}); the simulator may use a lighter chain for runs of 100,000 peers.
 *
 * <p>Contract: {@link #commit} validates the block (the ledger's block-level checks at least) and is
 * durable when it returns; gossip advertises the new height only after that.
 */
public interface BlockLedger {
    long height();

    /** Header hash of the last block. */
    byte[] headHash();

    Optional<Block> block(long number);

    void commit(Block block) throws BlockRejectedException;

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
        };
    }
}
