package io.hearsay.testnet.sim;

import com.google.protobuf.ByteString;
import io.hearsay.gossip.block.BlockLedger;
import io.hearsay.gossip.block.HeaderHashes;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.BlockRejectedException.Reason;
import io.hearsay.ledger.block.BlockHashing;
import java.util.Arrays;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A peer's chain in a large simulation: references to shared immutable blocks, checked as the ledger
 * checks them (number, previous hash, data hash) plus the orderer's registry in place of its signature.
 * Survives a simulated crash (its blocks are "on disk").
 */
public final class SimulatedChain implements BlockLedger {
    private final SimulatedOrderer orderer;
    /**
     * The blocks, genesis first, in an array the chain holds itself: the height, read on nearly every message a peer
     * receives (is an announcement stale?), is then a field of this object rather than of a list behind it.
     */
    private Block[] blocks = new Block[8];
    private int height;
    private ByteString headHash;

    public SimulatedChain(SimulatedOrderer orderer) {
        this.orderer = orderer;
        Block genesis = orderer.genesis();
        append(genesis);
        headHash = HeaderHashes.of(genesis);
    }

    @Override
    public long height() {
        return height;
    }

    @Override
    public byte[] headHash() {
        return headHash.toByteArray();
    }

    /** The head block's hash as {@link HeaderHashes} holds it: one object shared by every chain holding that block. */
    @Override
    public ByteString headHashString() {
        return headHash;
    }

    @Override
    public Optional<Block> block(long number) {
        return number >= 0 && number < height ? Optional.of(blocks[(int) number]) : Optional.empty();
    }

    @Override
    public void commit(Block block) throws BlockRejectedException {
        long number = block.getHeader().getNumber();
        if (number != height) {
            throw new BlockRejectedException(Reason.WRONG_NUMBER, number, "expected block " + height);
        }
        if (!block.getHeader().getPreviousHash().equals(headHash)) {
            throw new BlockRejectedException(Reason.WRONG_PREVIOUS_HASH, number, "previous hash does not match the head");
        }
        // The orderer's own immutable object needs no re-hashing (100,000 peers × 1 MiB would dominate the
        // run); any other object, such as a forgery, is checked in full.
        boolean orderersObject = number < orderer.height() && orderer.block(number) == block;
        if (!orderersObject
                && !Arrays.equals(block.getHeader().getDataHash().toByteArray(), BlockHashing.dataHash(block.getData()))) {
            throw new BlockRejectedException(Reason.WRONG_DATA_HASH, number, "data hash does not match the data");
        }
        ByteString hash = HeaderHashes.of(block);
        if (!orderer.isGenuine(hash)) {
            throw new BlockRejectedException(Reason.BAD_ORDERER_SIGNATURE, number, "not a block the orderer cut");
        }
        append(block);
        headHash = hash;
    }

    private void append(Block block) {
        if (height == blocks.length) {
            blocks = Arrays.copyOf(blocks, height * 2);
        }
        blocks[height++] = block;
    }
}
