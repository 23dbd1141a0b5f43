package io.hearsay.testnet.contract;

import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.testnet.sim.BlockSource;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The orderer of both networks under test: cuts signed blocks of a {@link SampleChannel}, each with one
 * transaction endorsed by both organisations that writes a fresh key and overwrites a shared one, so peers
 * validate signatures and policy and their world states diverge if any block is lost or applied twice.
 */
final class SampleChannelOrderer implements BlockSource {
    private final SampleChannel channel;
    private final List<Block> blocks = new ArrayList<>();

    SampleChannelOrderer(SampleChannel channel) {
        this.channel = channel;
        blocks.add(channel.genesis);
    }

    @Override
    public synchronized Block cut() {
        int n = blocks.size();
        Block block = channel.next(blocks.get(n - 1), channel.put("k" + n, "v" + n, "last", "block" + n));
        blocks.add(block);
        return block;
    }

    @Override
    public synchronized long height() {
        return blocks.size();
    }

    @Override
    public synchronized Block block(long number) {
        return blocks.get(Math.toIntExact(number));
    }
}
