package io.hearsay.gossip.block;

import com.google.protobuf.ByteString;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.Ledger;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.hyperledger.fabric.protos.common.Block;

/**
 * What block gossip needs of a ledger: its head, its blocks, and a validating commit. Peers use their
 * {@link Ledger} ({@link #of(Ledger)}); the simulator may use a lighter chain for runs of 100,000 peers.
 *
 * <p>Contract: {@link #commit} and {@link #commitAll} validate each block (the ledger's block-level checks
 * at least) and are durable when they return; gossip advertises the new height only after that.
 *
 * <p>Gossip itself commits through {@link #startCommit}, which hands a run over and hears the outcome later as
 * an event, so its core goes on handling messages while a long validation and write run elsewhere. By default
 * that commit happens in the caller and completes before returning (the simulator and tests); a node overrides
 * it to commit on a committer thread of its own and post the outcome back to the core's serial executor.
 */
public interface BlockLedger {
    long height();

    /** Header hash of the last block. */
    byte[] headHash();

    /**
     * {@link #headHash()} as a {@code ByteString}, what heartbeats carry: a ledger that holds it as one returns it
     * without the two copies (out of the ledger, into a {@code ByteString}) this default makes.
     */
    default ByteString headHashString() {
        return ByteString.copyFrom(headHash());
    }

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

    /**
     * Starts committing {@code blocks} (consecutive, from {@link #height()} on): one block as {@link #commit}, more
     * as {@link #commitAll}. Calls {@code done} exactly once, on the caller's serial context and never concurrently
     * with it: either before this method returns (this default, which commits in the caller) or later, as an event
     * of that context (a ledger that commits on another thread). Until then the caller starts no other commit and
     * reads of this ledger may see the run partly committed; the caller must not take that as advertised.
     */
    default void startCommit(List<Block> blocks, Consumer<CommitOutcome> done) {
        CommitOutcome outcome;
        try {
            if (blocks.size() == 1) {
                // Mostly a new block from the orderer or a push: nothing to pipeline, so the plain commit.
                commit(blocks.get(0));
            } else {
                commitAll(blocks);
            }
            outcome = CommitOutcome.COMMITTED;
        } catch (BlockRejectedException | RuntimeException | Error e) {
            outcome = new CommitOutcome(e);
        }
        done.accept(outcome);
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
