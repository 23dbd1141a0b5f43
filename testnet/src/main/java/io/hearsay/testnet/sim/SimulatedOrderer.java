package io.hearsay.testnet.sim;

import com.google.protobuf.ByteString;
import io.hearsay.gossip.block.HeaderHashes;
import io.hearsay.ledger.block.BlockHashing;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;

/**
 * Cuts Fabric-shaped blocks for large simulations: real headers (number, previous hash, data hash) over a
 * payload of a chosen size, but no signatures. Instead it keeps the set of header hashes it produced, the
 * stand-in for an orderer signature: {@link SimulatedChain} accepts only blocks in it, so forged or altered
 * blocks are rejected as a real ledger would reject them, at a fraction of the cost.
 */
public final class SimulatedOrderer implements BlockSource {
    private final List<Block> blocks = new ArrayList<>();
    private final Set<ByteString> genuineHeaders = new HashSet<>();
    private final int payloadBytes;

    public SimulatedOrderer(int payloadBytes) {
        this.payloadBytes = payloadBytes;
        cut();
    }

    /** Cuts the next block; block 0 is cut by the constructor. */
    @Override
    public Block cut() {
        long number = blocks.size();
        byte[] payload = new byte[payloadBytes];
        for (int i = 0; i < Math.min(8, payload.length); i++) {
            payload[i] = (byte) (number >>> (8 * i));
        }
        BlockData data = BlockData.newBuilder().addData(ByteString.copyFrom(payload)).build();
        ByteString previous = number == 0 ? ByteString.EMPTY
                : HeaderHashes.of(blocks.get((int) number - 1));
        Block block = Block.newBuilder()
                .setHeader(BlockHeader.newBuilder().setNumber(number).setPreviousHash(previous)
                        .setDataHash(ByteString.copyFrom(BlockHashing.dataHash(data))))
                .setData(data)
                .build();
        blocks.add(block);
        genuineHeaders.add(HeaderHashes.of(block));
        return block;
    }

    boolean isGenuine(ByteString headerHash) {
        return genuineHeaders.contains(headerHash);
    }

    public Block genesis() {
        return blocks.get(0);
    }

    @Override
    public long height() {
        return blocks.size();
    }

    @Override
    public Block block(long number) {
        return blocks.get((int) number);
    }
}
