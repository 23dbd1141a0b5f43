package io.hearsay.testnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.hearsay.gossip.block.BlockGossipConfig;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.gossip.block.GossipCounters.Counter;
import io.hearsay.identity.PkiId;
import io.hearsay.ledger.block.BlockHashing;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;

/**
 * Lazy push: a peer that hears of a large block from two announcers asks the first, and when no body
 * comes within {@code hedgeDelayMillis} asks the second, so one dead or slow announcer costs one hedge
 * delay, not a repair round. Repair is slowed right down here so only hedging can deliver the block.
 */
class LazyPushHedgingTest {
    private static BlockGossipConfig hedgingOnly() {
        BlockGossipConfig lan = BlockGossipConfig.lan();
        return new BlockGossipConfig(lan.pushFanout(), 1_024, true, 50, 600_000, lan.heartbeatFanout(), false, 0, 0,
                false, 600_000, lan.repairBatchBlocks(), lan.repairInflightBatchesMax(), lan.repairTimeoutMillis(),
                lan.payloadBufferBlocksMax(), lan.seenBlocksMax(), lan.penaltyMillis(), lan.rangeRequestBlocksMax(), false, 0, lan.hedgeBytesPerMilli());
    }

    @Test
    void silentFirstAnnouncerIsHedgedToTheSecond() {
        long seed = 121;
        BlockSimulation simulation = new BlockSimulation(new BlockSimulation.Scenario(12, 4, hedgingOnly(),
                LinkModel.lan(), 64 * 1024, 1, 100, seed));
        int late = 7;
        simulation.crash(late);
        assertThat(simulation.run(5_000).converged()).as("SEED=%d others converged", seed).isTrue();
        simulation.restart(late);

        Block block = simulation.chain(0).block(1).orElseThrow();
        ByteString hash = ByteString.copyFrom(BlockHashing.headerHash(block.getHeader()));
        PkiId dead = simulation.neighboursOf(late).first();
        PkiId alive = simulation.neighboursOf(late).last();
        simulation.crash(simulation.indexOf(dead));
        simulation.gossip(late).onMessage(dead, new BlockMessage.Announce(1, hash, 2_048, true));
        simulation.gossip(late).onMessage(alive, new BlockMessage.Announce(1, hash, 2_048, true));

        simulation.advance(40);
        assertThat(simulation.height(late)).as("SEED=%d nothing before the hedge delay", seed).isEqualTo(1);
        simulation.advance(200);
        assertThat(simulation.height(late)).as("SEED=%d block fetched from the second announcer", seed).isEqualTo(2);
        assertThat(simulation.gossip(late).counters().get(Counter.REQUESTS_SENT)).isEqualTo(1);
        assertThat(simulation.gossip(late).counters().get(Counter.HEDGED_REQUESTS)).isEqualTo(1);
        assertThat(simulation.gossip(late).counters().get(Counter.BODIES_RECEIVED)).as("one body, not two").isEqualTo(1);
    }
}
