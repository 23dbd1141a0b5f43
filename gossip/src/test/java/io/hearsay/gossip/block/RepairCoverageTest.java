package io.hearsay.gossip.block;

import static io.hearsay.gossip.block.BlockGossipHarness.HONEST;
import static io.hearsay.gossip.block.BlockGossipHarness.OTHER;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Repair asks only for blocks nothing else is bringing: a large body being fetched is not asked for twice. */
class RepairCoverageTest {
    @Test
    void aBlockBeingFetchedAfterAnAnnouncementIsNotAlsoRepaired() {
        BlockGossipConfig config = BlockGossipConfig.lan().withLazyPushThresholdBytes(10);
        BlockGossipHarness peer = new BlockGossipHarness(config, 3);
        peer.deliver(OTHER, new BlockMessage.Announce(1, HeaderHashes.of(peer.block(1)), peer.block(1).getSerializedSize(), true));
        assertThat(peer.sentTo(OTHER, BlockMessage.Request.class)).hasSize(1);

        peer.deliver(HONEST, new BlockMessage.Heartbeat(2, HeaderHashes.of(peer.block(1)), false));
        assertThat(peer.rangeRequestsTo(HONEST)).as("block 1 is on its way from the announcer").isEmpty();

        peer.deliver(HONEST, new BlockMessage.Heartbeat(3, HeaderHashes.of(peer.block(2)), false));
        assertThat(peer.rangeRequestsTo(HONEST)).singleElement().satisfies(request -> {
            assertThat(request.from()).as("repair starts after the block being fetched").isEqualTo(2);
            assertThat(request.toExclusive()).isEqualTo(3);
        });
    }
}
