package io.hearsay.gossip.block;

import static io.hearsay.gossip.block.BlockGossipHarness.FORGER;
import static io.hearsay.gossip.block.BlockGossipHarness.HONEST;
import static io.hearsay.gossip.block.BlockGossipHarness.OTHER;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.gossip.block.GossipCounters.Counter;
import org.junit.jupiter.api.Test;

/**
 * A neighbour that has claimed a block (by announcing or pushing it, or by a heartbeat above it) is not told of it
 * again: on each edge the peer that commits first tells the other and the other stays silent, which halves the
 * announcements of a tree-push network without leaving any peer that may lack the block untold. And an
 * announcement of a block this peer holds for commit and will spread is worth its signature check, since its
 * sender's claim spares a message back. One peer driven by hand ({@link BlockGossipHarness}), lan preset.
 */
class ClaimedBlockTest {
    private static final BlockGossipConfig TREE = BlockGossipConfig.lan();

    private static BlockMessage.Announce announceOf(BlockGossipHarness peer, long number) {
        return new BlockMessage.Announce(number, HeaderHashes.of(peer.block(number)),
                peer.block(number).getSerializedSize(), true);
    }

    @Test
    void aPrunedNeighbourThatAnnouncedTheBlockFirstIsNotToldOfIt() {
        BlockGossipHarness peer = new BlockGossipHarness(TREE, 3);
        peer.deliver(OTHER, new BlockMessage.Prune());
        peer.deliver(FORGER, new BlockMessage.Prune());
        peer.deliver(OTHER, announceOf(peer, 1));

        peer.push(HONEST, peer.block(1));
        assertThat(peer.gossip.height()).isEqualTo(2);
        assertThat(peer.sentTo(OTHER, BlockMessage.Announce.class)).as("OTHER has block 1: it said so").isEmpty();
        assertThat(peer.sentTo(FORGER, BlockMessage.Announce.class)).as("FORGER may lack it: told")
                .extracting(BlockMessage.Announce::number).containsExactly(1L);
        assertThat(peer.gossip.counters().get(Counter.ANNOUNCES_SUPPRESSED)).isEqualTo(1);

        peer.push(HONEST, peer.block(2));
        assertThat(peer.sentTo(OTHER, BlockMessage.Announce.class)).as("a claim covers the blocks below it only")
                .extracting(BlockMessage.Announce::number).containsExactly(2L);
    }

    @Test
    void aHeartbeatAboveTheBlockIsAClaimToo() {
        BlockGossipHarness peer = new BlockGossipHarness(TREE, 4);
        peer.deliver(OTHER, new BlockMessage.Prune());
        peer.deliver(OTHER, new BlockMessage.Heartbeat(3, HeaderHashes.of(peer.block(2)), false));

        peer.push(HONEST, peer.block(1));
        peer.push(HONEST, peer.block(2));
        peer.push(HONEST, peer.block(3));
        assertThat(peer.gossip.height()).isEqualTo(4);
        assertThat(peer.sentTo(OTHER, BlockMessage.Announce.class)).as("told only of the block above its height")
                .extracting(BlockMessage.Announce::number).containsExactly(3L);
    }

    @Test
    void anEagerNeighbourWhoseClaimCrossedOurCommitGetsNoBody() {
        BlockGossipHarness peer = new BlockGossipHarness(TREE, 3, -1, true);
        peer.push(HONEST, peer.block(1));
        assertThat(peer.held.pending()).as("block 1 committing").containsExactly(1L);
        BlockMessage.Announce fromOther = announceOf(peer, 1);
        assertThat(peer.gossip.isStale(fromOther)).as("held and to be spread: its sender's claim is worth having").isFalse();
        peer.deliver(OTHER, fromOther);

        peer.held.write();
        peer.held.complete();
        assertThat(peer.sentTo(FORGER, BlockMessage.Push.class)).as("pushed down the tree").hasSize(1);
        assertThat(peer.sentTo(OTHER, BlockMessage.Push.class)).as("OTHER has it: no body").isEmpty();
        assertThat(peer.sentTo(OTHER, BlockMessage.Announce.class)).as("nor an announcement").isEmpty();
        assertThat(peer.gossip.counters().get(Counter.PUSHES_SUPPRESSED)).isEqualTo(1);

        assertThat(peer.gossip.isStale(fromOther)).as("committed and spread: nothing left to spare").isTrue();
        peer.push(HONEST, peer.block(2));
        assertThat(peer.sentTo(OTHER, BlockMessage.Push.class)).as("the edge is still eager for the next block")
                .extracting(push -> push.block().getHeader().getNumber()).isEmpty();
        peer.held.write();
        peer.held.complete();
        assertThat(peer.sentTo(OTHER, BlockMessage.Push.class))
                .extracting(push -> push.block().getHeader().getNumber()).containsExactly(2L);
    }

    @Test
    void anAnnouncementToALowerRankedNeighbourWaitsAndIsDroppedIfItsClaimArrivesMeanwhile() {
        // Ranked above all three neighbours: every announcement of this peer waits for the deferral.
        BlockGossipHarness peer = new BlockGossipHarness(TREE, 3, -1, false, BlockGossipHarness.peer(9));
        peer.deliver(OTHER, new BlockMessage.Prune());
        peer.deliver(FORGER, new BlockMessage.Prune());
        peer.push(HONEST, peer.block(1));
        assertThat(peer.gossip.height()).isEqualTo(2);
        assertThat(peer.sentTo(OTHER, BlockMessage.Announce.class)).as("held for the deferral").isEmpty();
        assertThat(peer.sentTo(FORGER, BlockMessage.Announce.class)).isEmpty();

        BlockMessage.Announce fromOther = announceOf(peer, 1);
        assertThat(peer.gossip.isStale(fromOther)).as("committed, but its claim may still spare a message").isFalse();
        peer.deliver(OTHER, fromOther);
        peer.fireTimers();
        assertThat(peer.sentTo(OTHER, BlockMessage.Announce.class)).as("OTHER claimed it meanwhile").isEmpty();
        assertThat(peer.sentTo(FORGER, BlockMessage.Announce.class)).as("FORGER did not: told after the delay")
                .extracting(BlockMessage.Announce::number).containsExactly(1L);
        assertThat(peer.gossip.isStale(fromOther)).as("nothing held any more").isTrue();
    }

    @Test
    void stoppingDropsHeldAnnouncements() {
        BlockGossipHarness peer = new BlockGossipHarness(TREE, 3, -1, false, BlockGossipHarness.peer(9));
        peer.deliver(OTHER, new BlockMessage.Prune());
        peer.push(HONEST, peer.block(1));
        peer.gossip.stop();
        peer.fireTimers();
        assertThat(peer.sentTo(OTHER, BlockMessage.Announce.class)).isEmpty();
    }

    @Test
    void anAnnouncementOfAHeldBlockNobodyWillBeToldOfIsStillStale() {
        BlockGossipHarness repaired = new BlockGossipHarness(TREE, 3, -1, true);
        repaired.deliver(HONEST, new BlockMessage.Heartbeat(3, HeaderHashes.of(repaired.block(2)), false));
        BlockMessage.RangeRequest request = repaired.rangeRequestsTo(HONEST).get(0);
        repaired.deliver(HONEST, new BlockMessage.RangeResponse(request.requestId(),
                java.util.List.of(repaired.block(1), repaired.block(2))));
        assertThat(repaired.held.pending()).as("repaired blocks committing").containsExactly(1L, 2L);
        assertThat(repaired.gossip.isStale(announceOf(repaired, 1))).as("repaired blocks are not spread").isTrue();

        BlockGossipHarness fabric = new BlockGossipHarness(BlockGossipConfig.fabric(), 3, -1, true);
        fabric.push(HONEST, fabric.block(1));
        assertThat(fabric.held.pending()).containsExactly(1L);
        assertThat(fabric.gossip.isStale(announceOf(fabric, 1))).as("fabric pushes to a fanout and announces nothing")
                .isTrue();
    }

    @Test
    void aNeighbourThatClaimedOrWasJustToldOurHeightGetsNoHeartbeat() {
        BlockGossipHarness peer = new BlockGossipHarness(TREE, 3);
        peer.push(HONEST, peer.block(1));
        peer.deliver(OTHER, new BlockMessage.Heartbeat(2, HeaderHashes.of(peer.block(1)), false));
        assertThat(peer.gossip.height()).isEqualTo(2);
        assertThat(peer.sentTo(FORGER, BlockMessage.Push.class)).as("FORGER was pushed block 1").hasSize(1);

        peer.gossip.start();
        peer.fireTimers();
        assertThat(peer.sentTo(HONEST, BlockMessage.Heartbeat.class)).as("HONEST pushed block 1: it has our height").isEmpty();
        assertThat(peer.sentTo(OTHER, BlockMessage.Heartbeat.class)).as("OTHER said height 2").isEmpty();
        assertThat(peer.sentTo(FORGER, BlockMessage.Heartbeat.class)).as("FORGER was just pushed block 1").isEmpty();
        assertThat(peer.gossip.counters().get(Counter.HEARTBEATS_SUPPRESSED)).isEqualTo(3);

        // The height stood still for a heartbeat interval: FORGER, which never said it has block 1, is told again
        // (the push may have been lost); the others have claimed it.
        peer.advanceMillis(TREE.heartbeatIntervalMillis());
        peer.fireTimers();
        assertThat(peer.sentTo(FORGER, BlockMessage.Heartbeat.class)).extracting(BlockMessage.Heartbeat::height)
                .containsExactly(2L);
        assertThat(peer.sentTo(HONEST, BlockMessage.Heartbeat.class)).isEmpty();
        assertThat(peer.sentTo(OTHER, BlockMessage.Heartbeat.class)).isEmpty();

        // OTHER restarted with less (a wiped disk): its heartbeat lowers its claim, so it is told our height again.
        peer.deliver(OTHER, new BlockMessage.Heartbeat(1, HeaderHashes.of(peer.block(0)), false));
        peer.fireTimers();
        assertThat(peer.sentTo(OTHER, BlockMessage.Heartbeat.class)).extracting(BlockMessage.Heartbeat::height)
                .containsExactly(2L);
    }

    @Test
    void fabricsPullHeartbeatsAreAlwaysSent() {
        BlockGossipHarness peer = new BlockGossipHarness(BlockGossipConfig.fabric(), 3);
        peer.push(HONEST, peer.block(1));
        peer.deliver(OTHER, new BlockMessage.Heartbeat(2, HeaderHashes.of(peer.block(1)), true));

        peer.gossip.start();
        peer.fireTimers();
        assertThat(peer.sentTo(HONEST, BlockMessage.Heartbeat.class)).as("a pull asks for blocks: sent whatever HONEST has")
                .hasSize(1);
        assertThat(peer.sentTo(OTHER, BlockMessage.Heartbeat.class)).hasSize(1);
        assertThat(peer.gossip.counters().get(Counter.HEARTBEATS_SUPPRESSED)).isZero();
    }

    @Test
    void heartbeatsPushesAndAnnouncementsShowTheirSendersHeight() {
        BlockGossipHarness peer = new BlockGossipHarness(TREE, 3);
        assertThat(new BlockMessage.Heartbeat(7, HeaderHashes.of(peer.block(2)), false).senderHeightAtLeast()).isEqualTo(7);
        assertThat(new BlockMessage.Push(peer.block(2), true).senderHeightAtLeast()).isEqualTo(3);
        assertThat(announceOf(peer, 2).senderHeightAtLeast()).isEqualTo(3);
        assertThat(new BlockMessage.Request(2, HeaderHashes.of(peer.block(2)), true).senderHeightAtLeast())
                .as("asking for a block shows nothing").isZero();
        assertThat(new BlockMessage.Prune().senderHeightAtLeast()).isZero();
    }
}
