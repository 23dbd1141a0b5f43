package io.hearsay.gossip.block;

import static io.hearsay.gossip.block.BlockGossipHarness.FORGER;
import static io.hearsay.gossip.block.BlockGossipHarness.HONEST;
import static io.hearsay.gossip.block.BlockGossipHarness.OTHER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearsay.gossip.block.BlockGossipHarness.Event;
import io.hearsay.gossip.block.GossipCounters.Counter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A commit is a request the core hands out and an outcome that comes back later, and the core keeps working in
 * between: it answers heartbeats with the height it had before the run, serves blocks below it, treats the run's
 * blocks as held (not fetched, repaired or buffered again), starts no second run, and forwards the run only once
 * the outcome says it is durable. One peer is driven by hand ({@link BlockGossipHarness}) with its commits held
 * until the test writes them to the ledger (the committer thread's work) and completes them (the event).
 */
class CommitInFlightTest {

    private static BlockGossipHarness heldPeer(int blocks) {
        return new BlockGossipHarness(BlockGossipConfig.lan(), blocks, -1, true);
    }

    @Test
    void whileARunCommitsThePeerAnswersServesAndHoldsTheRun() {
        BlockGossipHarness peer = heldPeer(6);
        peer.gossip.start();
        peer.push(HONEST, peer.block(2));
        peer.push(HONEST, peer.block(3));
        peer.push(HONEST, peer.block(1));
        assertThat(peer.held.pending()).as("the run 1..3 handed out").containsExactly(1L, 2L, 3L);
        // The committer has written the run, but its outcome has not come back.
        peer.held.write();
        assertThat(peer.ledger.height()).isEqualTo(4);

        peer.fireTimers();
        assertThat(peer.sent).as("heartbeats went out").anyMatch(s -> s.message() instanceof BlockMessage.Heartbeat);
        assertThat(peer.sent).filteredOn(s -> s.message() instanceof BlockMessage.Heartbeat)
                .extracting(s -> (BlockMessage.Heartbeat) s.message())
                .allSatisfy(heartbeat -> {
                    assertThat(heartbeat.height()).as("the committed height only").isEqualTo(1);
                    assertThat(heartbeat.headHash()).isEqualTo(HeaderHashes.of(peer.block(0)));
                });

        peer.deliver(OTHER, new BlockMessage.Request(0, HeaderHashes.of(peer.block(0)), false));
        assertThat(peer.sentTo(OTHER, BlockMessage.Push.class)).as("a committed block is served")
                .extracting(push -> push.block().getHeader().getNumber()).containsExactly(0L);
        peer.deliver(OTHER, new BlockMessage.Request(2, HeaderHashes.of(peer.block(2)), false));
        assertThat(peer.sentTo(OTHER, BlockMessage.Push.class)).as("a block of the run is not durable yet").hasSize(1);

        BlockMessage.Announce announce = new BlockMessage.Announce(2, HeaderHashes.of(peer.block(2)), 100, true);
        assertThat(peer.gossip.isStale(announce)).as("an announcement of a block being committed and then spread: its"
                + " sender's claim spares an announcement back").isFalse();
        peer.deliver(OTHER, announce);
        assertThat(peer.sentTo(OTHER, BlockMessage.Request.class)).as("not fetched again").isEmpty();

        peer.push(OTHER, peer.block(3));
        assertThat(peer.gossip.counters().get(Counter.DUPLICATE_BODIES)).as("a block of the run pushed again").isEqualTo(1);
        peer.push(HONEST, peer.block(4));
        assertThat(peer.held.pending()).as("one run at a time: 4 waits").containsExactly(1L, 2L, 3L);
        assertThat(peer.gossip.bufferedBlocks()).as("1..3 held, 4 buffered").isEqualTo(4);

        peer.deliver(OTHER, new BlockMessage.Heartbeat(7, HeaderHashes.of(peer.block(6)), false));
        assertThat(peer.rangeRequestsTo(OTHER)).as("repair skips the run and the buffered block")
                .singleElement().satisfies(request -> assertThat(request.from()).isEqualTo(5));
        assertThat(peer.commits()).as("nothing reported before the outcome").isEmpty();
        assertThat(peer.forwarded()).as("nothing forwarded before the outcome").isEmpty();

        peer.held.complete();
        assertThat(peer.commits()).extracting(Event::number).containsExactly(1L, 2L, 3L);
        assertThat(peer.forwarded()).containsExactly(1L, 2L, 3L);
        assertThat(peer.held.pending()).as("the outcome drains on: the next run").containsExactly(4L);
        peer.held.complete();
        assertThat(peer.gossip.isCommitting()).isFalse();
        assertThat(peer.gossip.height()).isEqualTo(5);
        assertThat(peer.commits()).extracting(Event::number).containsExactly(1L, 2L, 3L, 4L);
        assertThat(peer.forwarded()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(peer.ledger.commitAllCalls).containsExactly(3);
        assertThat(peer.ledger.commitCalls).containsExactly(1);
    }

    @Test
    void theOrderersBlocksArrivingDuringACommitWaitEvenBeyondTheReorderBuffer() {
        BlockGossipConfig fabric = BlockGossipConfig.fabric();
        int blocks = fabric.payloadBufferBlocksMax() + 2 * fabric.repairBatchBlocks();
        BlockGossipHarness peer = new BlockGossipHarness(fabric, blocks, -1, true);
        for (long n = 1; n <= blocks; n++) {
            peer.gossip.onOrdererBlock(peer.block(n));
        }
        assertThat(peer.held.pending()).containsExactly(1L);
        assertThat(peer.gossip.counters().get(Counter.BUFFER_OVERFLOWS)).as("nobody else has them: none dropped").isZero();

        for (int runs = 0; !peer.held.pending().isEmpty(); runs++) {
            assertThat(runs).as("runs of at most repairBatchBlocks").isLessThanOrEqualTo(blocks);
            assertThat(peer.held.pending().size()).isLessThanOrEqualTo(fabric.repairBatchBlocks());
            peer.held.complete();
        }
        assertThat(peer.gossip.height()).isEqualTo(blocks + 1);
        assertThat(peer.commits()).hasSize(blocks).allSatisfy(event -> assertThat(event.from()).isNull());
    }

    @Test
    void aRepairSourceIsGraftedOnceTheRepairedBlocksAreCommitted() {
        BlockGossipHarness peer = heldPeer(3);
        assertThat(BlockGossipConfig.lan().treePush()).isTrue();
        peer.deliver(HONEST, new BlockMessage.Heartbeat(3, HeaderHashes.of(peer.block(2)), false));
        BlockMessage.RangeRequest request = peer.rangeRequestsTo(HONEST).get(0);
        peer.deliver(HONEST, new BlockMessage.RangeResponse(request.requestId(), List.of(peer.block(1), peer.block(2))));
        assertThat(peer.held.pending()).containsExactly(1L, 2L);
        assertThat(peer.sentTo(HONEST, BlockMessage.Graft.class)).as("not before the repair is known to help").isEmpty();

        peer.held.complete();
        assertThat(peer.gossip.height()).isEqualTo(3);
        assertThat(peer.sentTo(HONEST, BlockMessage.Graft.class)).hasSize(1);
        assertThat(peer.gossip.counters().get(Counter.GRAFTS_SENT)).isEqualTo(1);
    }

    @Test
    void aBlockRejectedByALaterOutcomeIsBlamedAndTheBlocksAfterItWait() {
        BlockGossipHarness peer = heldPeer(5);
        peer.push(HONEST, peer.block(2));
        peer.push(FORGER, peer.tampered(3));
        peer.push(HONEST, peer.block(1));
        assertThat(peer.held.pending()).containsExactly(1L, 2L, 3L);
        peer.push(HONEST, peer.block(4));

        peer.held.complete();
        assertThat(peer.gossip.height()).as("1, 2 committed, not the forgery").isEqualTo(3);
        assertThat(peer.commits()).extracting(Event::number).containsExactly(1L, 2L);
        assertThat(peer.forwarded()).containsExactly(1L, 2L);
        assertThat(peer.dropsOf(FORGER)).singleElement().asString().contains("block 3 rejected", "data hash");
        assertThat(peer.dropsOf(HONEST)).isEmpty();
        assertThat(peer.gossip.counters().get(Counter.BLOCKS_REJECTED)).isEqualTo(1);
        assertThat(peer.held.pending()).as("4 waits for a good 3").isEmpty();
        assertThat(peer.gossip.bufferedBlocks()).isEqualTo(1);

        // The honest copy has the forgery's block id: it must not be suppressed as a duplicate.
        peer.push(OTHER, peer.block(3));
        assertThat(peer.held.pending()).containsExactly(3L, 4L);
        peer.held.complete();
        assertThat(peer.gossip.height()).isEqualTo(5);
        assertThat(peer.commits()).extracting(Event::from).endsWith(OTHER, HONEST);
        assertThat(peer.forwarded()).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aStorageFailureInALaterOutcomeFailsAsACommitCallDidAndKeepsTheBlocksAfterIt() {
        BlockGossipHarness peer = new BlockGossipHarness(BlockGossipConfig.lan(), 5, 3, true);
        peer.push(HONEST, peer.block(2));
        peer.push(HONEST, peer.block(3));
        peer.push(HONEST, peer.block(4));
        peer.push(HONEST, peer.block(1));

        assertThatThrownBy(peer.held::complete).hasMessageContaining("disk full at block 3");
        assertThat(peer.gossip.isCommitting()).isFalse();
        assertThat(peer.gossip.height()).isEqualTo(3);
        assertThat(peer.commits()).extracting(Event::number).containsExactly(1L, 2L);
        assertThat(peer.gossip.bufferedBlocks()).as("3 dropped, 4 kept").isEqualTo(1);
        assertThat(peer.gossip.counters().get(Counter.BLOCKS_REJECTED)).as("not the block's fault").isZero();
    }
}
