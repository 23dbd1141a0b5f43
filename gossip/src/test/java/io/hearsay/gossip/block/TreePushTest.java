package io.hearsay.gossip.block;

import static io.hearsay.gossip.block.BlockGossipHarness.FORGER;
import static io.hearsay.gossip.block.BlockGossipHarness.HONEST;
import static io.hearsay.gossip.block.BlockGossipHarness.OTHER;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.gossip.block.GossipCounters.Counter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tree push (Plumtree): the edge a block first arrives on stays eager, an edge that delivers a duplicate is
 * pruned both ways, pruned neighbours are told instead of pushed to and fetch late bodies themselves, and a
 * peer the tree missed grafts its repair source back. The blocks here are small, so the lan preset (tree
 * push on) pushes them rather than lazily announcing them.
 */
class TreePushTest {
    private static final BlockGossipConfig TREE = BlockGossipConfig.lan();

    @Test
    void aDuplicatePushPrunesItsSenderAndTheFirstArrivalStaysEager() {
        BlockGossipHarness peer = new BlockGossipHarness(TREE, 3);
        peer.push(HONEST, peer.block(1));
        assertThat(peer.sentTo(OTHER, BlockMessage.Push.class)).as("forwarded eagerly to every unpruned neighbour").hasSize(1);
        assertThat(peer.sentTo(FORGER, BlockMessage.Push.class)).hasSize(1);
        assertThat(peer.sentTo(HONEST, BlockMessage.Push.class)).as("never back to the sender").isEmpty();

        peer.push(OTHER, peer.block(1));
        assertThat(peer.sentTo(OTHER, BlockMessage.Prune.class)).hasSize(1);
        assertThat(peer.gossip.counters().get(Counter.PRUNES_SENT)).isEqualTo(1);
        peer.push(OTHER, peer.block(1));
        assertThat(peer.sentTo(OTHER, BlockMessage.Prune.class)).as("pruned once, not per duplicate").hasSize(1);

        peer.push(HONEST, peer.block(2));
        assertThat(peer.sentTo(OTHER, BlockMessage.Push.class)).as("no eager push over a pruned edge").hasSize(1);
        assertThat(peer.sentTo(OTHER, BlockMessage.Announce.class)).as("but the pruned neighbour is told")
                .singleElement().satisfies(announce -> {
                    assertThat(announce.number()).isEqualTo(2);
                    assertThat(announce.forward()).isTrue();
                    assertThat(announce.bodyBytes()).isEqualTo(peer.block(2).getSerializedSize());
                });
        assertThat(peer.sentTo(FORGER, BlockMessage.Push.class)).hasSize(2);
    }

    @Test
    void aPruneFromANeighbourStopsPushesToItUntilItAsksForABlock() {
        BlockGossipHarness peer = new BlockGossipHarness(TREE, 3);
        peer.deliver(OTHER, new BlockMessage.Prune());
        peer.gossip.onOrdererBlock(peer.block(1));
        assertThat(peer.sentTo(OTHER, BlockMessage.Push.class)).isEmpty();
        assertThat(peer.sentTo(OTHER, BlockMessage.Announce.class)).hasSize(1);
        assertThat(peer.sentTo(HONEST, BlockMessage.Push.class)).hasSize(1);

        // Asking for a new block is Plumtree's graft: the asker is pushed to again.
        peer.deliver(OTHER, new BlockMessage.Request(1, HeaderHashes.of(peer.block(1)), true));
        assertThat(peer.sentTo(OTHER, BlockMessage.Push.class)).hasSize(1);
        peer.gossip.onOrdererBlock(peer.block(2));
        assertThat(peer.sentTo(OTHER, BlockMessage.Push.class)).hasSize(2);
    }

    @Test
    void anAnnouncedSmallBlockIsFetchedOnlyIfItsPushIsLate() {
        BlockGossipHarness onTime = new BlockGossipHarness(TREE, 3);
        BlockMessage.Announce announce = new BlockMessage.Announce(1, HeaderHashes.of(onTime.block(1)),
                onTime.block(1).getSerializedSize(), true);
        onTime.deliver(OTHER, announce);
        assertThat(onTime.sentTo(OTHER, BlockMessage.Request.class)).as("not at once: the push is on its way").isEmpty();
        onTime.push(HONEST, onTime.block(1));
        onTime.fireTimers();
        assertThat(onTime.sentTo(OTHER, BlockMessage.Request.class)).as("the push came in time").isEmpty();

        BlockGossipHarness late = new BlockGossipHarness(TREE, 3);
        late.deliver(OTHER, announce);
        late.fireTimers();
        assertThat(late.sentTo(OTHER, BlockMessage.Request.class)).singleElement()
                .satisfies(request -> assertThat(request.forward()).as("spread on once fetched").isTrue());
        late.deliver(OTHER, new BlockMessage.Push(late.block(1), true));
        assertThat(late.gossip.height()).isEqualTo(2);
        assertThat(late.sentTo(HONEST, BlockMessage.Push.class)).as("the fetched block goes on down the tree").hasSize(1);
    }

    @Test
    void aLargeAnnouncedBlockIsFetchedAtOnce() {
        BlockGossipHarness peer = new BlockGossipHarness(TREE, 3);
        peer.deliver(OTHER, new BlockMessage.Announce(1, HeaderHashes.of(peer.block(1)),
                (int) TREE.lazyPushThresholdBytes() + 1, true));
        assertThat(peer.sentTo(OTHER, BlockMessage.Request.class)).hasSize(1);
    }

    @Test
    void aPeerThatHadToRepairGraftsItsSource() {
        BlockGossipHarness peer = new BlockGossipHarness(TREE, 3);
        peer.deliver(HONEST, new BlockMessage.Heartbeat(3, HeaderHashes.of(peer.block(2)), false));
        BlockMessage.RangeRequest request = peer.rangeRequestsTo(HONEST).get(0);
        peer.deliver(HONEST, new BlockMessage.RangeResponse(request.requestId(), List.of(peer.block(1), peer.block(2))));
        assertThat(peer.gossip.height()).isEqualTo(3);
        assertThat(peer.sentTo(HONEST, BlockMessage.Graft.class)).hasSize(1);
        assertThat(peer.gossip.counters().get(Counter.GRAFTS_SENT)).isEqualTo(1);
    }

    @Test
    void aPeerWhoseNeighboursAllPrunedItGraftsOneAtTheNextHeartbeat() {
        BlockGossipHarness peer = new BlockGossipHarness(TREE, 3);
        for (var neighbour : List.of(HONEST, OTHER, FORGER)) {
            peer.deliver(neighbour, new BlockMessage.Prune());
        }
        peer.gossip.start();
        peer.fireTimers();
        long grafts = List.of(HONEST, OTHER, FORGER).stream()
                .mapToLong(n -> peer.sentTo(n, BlockMessage.Graft.class).size()).sum();
        assertThat(grafts).isEqualTo(1);
        peer.gossip.onOrdererBlock(peer.block(1));
        long pushes = List.of(HONEST, OTHER, FORGER).stream()
                .mapToLong(n -> peer.sentTo(n, BlockMessage.Push.class).size()).sum();
        assertThat(pushes).as("the grafted neighbour is pushed to").isEqualTo(1);
    }

    @Test
    void aSecondCopyOfALargeBodyAnswersAHedgedRequestAndPrunesNothing() {
        BlockGossipHarness peer = new BlockGossipHarness(TREE.withLazyPushThresholdBytes(10), 3);
        assertThat(peer.block(1).getSerializedSize()).as("a large block for this config").isGreaterThan(10);
        peer.deliver(HONEST, new BlockMessage.Push(peer.block(1), true));
        peer.deliver(OTHER, new BlockMessage.Push(peer.block(1), true));
        assertThat(peer.sentTo(OTHER, BlockMessage.Prune.class)).isEmpty();
    }

    @Test
    void aLargeBodyGetsItsTransferTimeBeforeItIsHedged() {
        assertThat(TREE.hedgeDelayMillis(0)).isEqualTo(TREE.hedgeDelayMillis());
        assertThat(TREE.hedgeDelayMillis(1 << 20)).isEqualTo(TREE.hedgeDelayMillis() + (1 << 20) / TREE.hedgeBytesPerMilli());
    }

    @Test
    void withTreePushOffBlocksGoToARandomFanout() {
        BlockGossipHarness peer = new BlockGossipHarness(TREE.withTreePush(false).withPushFanout(1), 3);
        peer.push(HONEST, peer.block(1));
        peer.push(OTHER, peer.block(1));
        assertThat(peer.sentTo(OTHER, BlockMessage.Prune.class)).isEmpty();
        long pushes = List.of(OTHER, FORGER).stream().mapToLong(n -> peer.sentTo(n, BlockMessage.Push.class).size()).sum();
        assertThat(pushes).isEqualTo(1);
    }
}
