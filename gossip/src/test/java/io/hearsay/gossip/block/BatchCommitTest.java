package io.hearsay.gossip.block;

import static io.hearsay.gossip.block.BlockGossipHarness.FORGER;
import static io.hearsay.gossip.block.BlockGossipHarness.HONEST;
import static io.hearsay.gossip.block.BlockGossipHarness.OTHER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearsay.gossip.block.BlockGossipHarness.Event;
import io.hearsay.gossip.block.GossipCounters.Counter;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The reorder buffer feeds the ledger a consecutive run of blocks in one {@link BlockLedger#commitAll} call
 * (the ledger's pipelined catch-up path), yet every block is handled as if committed alone: counted,
 * reported in order, forwarded if new, and a rejected block's sender penalised while the blocks after it wait.
 * One peer is driven by hand ({@link BlockGossipHarness}); its ledger records each commit call.
 */
class BatchCommitTest {

    @Test
    void aRunOfBufferedBlocksIsCommittedInOneCall() {
        BlockGossipHarness peer = new BlockGossipHarness(BlockGossipConfig.lan(), 9);
        for (long n = 2; n <= 9; n++) {
            peer.push(HONEST, peer.block(n));
        }
        assertThat(peer.gossip.bufferedBlocks()).as("2..9 wait for 1").isEqualTo(8);
        assertThat(peer.ledger.commitCalls).isEmpty();
        peer.push(HONEST, peer.block(1));

        assertThat(peer.ledger.commitAllCalls).as("one call for the run 1..9").containsExactly(9);
        assertThat(peer.ledger.commitCalls).isEmpty();
        assertThat(peer.gossip.height()).isEqualTo(10);
        assertThat(peer.gossip.bufferedBlocks()).isZero();
        assertThat(peer.commits()).as("one callback per block, in order, naming the sender")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 9).mapToObj(n -> new Event(n, HONEST, null)).toList());
        assertThat(peer.gossip.counters().get(Counter.BLOCKS_COMMITTED)).isEqualTo(9);
        assertThat(peer.forwarded()).as("each new block forwarded, in order").containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void onlyBlocksPushedAsNewAreForwarded() {
        BlockGossipHarness peer = new BlockGossipHarness(BlockGossipConfig.lan(), 3);
        peer.push(HONEST, peer.block(2));
        // A pull answer or repair: not to be spread on.
        peer.deliver(OTHER, new BlockMessage.Push(peer.block(3), false));
        peer.push(HONEST, peer.block(1));

        assertThat(peer.ledger.commitAllCalls).containsExactly(3);
        assertThat(peer.commits()).extracting(Event::number).containsExactly(1L, 2L, 3L);
        assertThat(peer.commits()).extracting(Event::from).containsExactly(HONEST, HONEST, OTHER);
        assertThat(peer.forwarded()).containsExactly(1L, 2L);
    }

    @Test
    void aSingleNewBlockTakesThePlainCommit() {
        BlockGossipHarness peer = new BlockGossipHarness(BlockGossipConfig.lan(), 2);
        peer.gossip.onOrdererBlock(peer.block(1));
        peer.push(HONEST, peer.block(2));

        assertThat(peer.ledger.commitCalls).as("the orderer's block, then the pushed one").hasSize(2);
        assertThat(peer.ledger.commitAllCalls).isEmpty();
        assertThat(peer.commits()).containsExactly(new Event(1, null, null), new Event(2, HONEST, null));
    }

    @Test
    void aLongRunIsCommittedInCallsOfAtMostRepairBatchBlocks() {
        BlockGossipConfig fabric = BlockGossipConfig.fabric();
        int blocks = 2 * fabric.repairBatchBlocks();
        assertThat(blocks).as("the run fits the reorder buffer").isLessThanOrEqualTo(fabric.payloadBufferBlocksMax());
        BlockGossipHarness peer = new BlockGossipHarness(fabric, blocks);
        for (long n = 2; n <= blocks; n++) {
            peer.push(HONEST, peer.block(n));
        }
        peer.push(HONEST, peer.block(1));

        assertThat(peer.ledger.commitAllCalls).containsExactly(fabric.repairBatchBlocks(), fabric.repairBatchBlocks());
        assertThat(peer.gossip.height()).isEqualTo(blocks + 1);
        assertThat(peer.commits()).extracting(Event::number)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, blocks).boxed().toList());
    }

    @Test
    void aRejectedBlockInARunCommitsThoseBeforeItPenalisesItsSenderAndHoldsThoseAfter() {
        BlockGossipHarness peer = new BlockGossipHarness(BlockGossipConfig.lan(), 6);
        peer.push(HONEST, peer.block(2));
        peer.push(HONEST, peer.block(3));
        // Same header as the genuine block 4, so the same block id, but other data.
        peer.push(FORGER, peer.tampered(4));
        peer.push(HONEST, peer.block(5));
        peer.push(HONEST, peer.block(6));
        peer.push(HONEST, peer.block(1));

        assertThat(peer.ledger.commitAllCalls).containsExactly(6);
        assertThat(peer.gossip.height()).as("1..3 committed, not the forgery nor anything after it").isEqualTo(4);
        assertThat(peer.ledger.block(5)).isEmpty();
        assertThat(peer.commits()).extracting(Event::number).containsExactly(1L, 2L, 3L);
        assertThat(peer.gossip.bufferedBlocks()).as("5 and 6 wait for a good 4").isEqualTo(2);
        assertThat(peer.gossip.counters().get(Counter.BLOCKS_COMMITTED)).isEqualTo(3);
        assertThat(peer.gossip.counters().get(Counter.BLOCKS_REJECTED)).isEqualTo(1);
        assertThat(peer.gossip.counters().get(Counter.PEERS_PENALISED)).isEqualTo(1);
        assertThat(peer.dropsOf(FORGER)).singleElement().asString().contains("block 4 rejected", "data hash");
        assertThat(peer.dropsOf(HONEST)).isEmpty();
        assertThat(peer.forwarded()).as("the forgery is not spread").containsExactly(1L, 2L, 3L);

        // The honest copy has the forgery's block id: it must not be suppressed as a duplicate.
        peer.push(OTHER, peer.block(4));
        assertThat(peer.gossip.counters().get(Counter.DUPLICATE_BODIES)).isZero();
        assertThat(peer.ledger.commitAllCalls).containsExactly(6, 3);
        assertThat(peer.gossip.height()).isEqualTo(7);
        assertThat(peer.commits()).extracting(Event::number).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(peer.commits()).extracting(Event::from).endsWith(OTHER, HONEST, HONEST);
        assertThat(peer.forwarded()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void aRepairedBlockIsReportedInvalidOnlyIfItIsTheOneRejected() {
        // The range response's block 2 completes the run 2, 3 (forged), 4: block 2 is good, so its server is not
        // blamed; the forger is, and repair then fetches a good 3 elsewhere and the run 3, 4 commits.
        BlockGossipHarness peer = new BlockGossipHarness(BlockGossipConfig.lan(), 4);
        peer.deliver(HONEST, new BlockMessage.Heartbeat(3, HeaderHashes.of(peer.block(2)), false));
        BlockMessage.RangeRequest request = peer.rangeRequestsTo(HONEST).get(0);
        assertThat(request.from()).isEqualTo(1);
        assertThat(request.toExclusive()).isEqualTo(3);
        peer.push(FORGER, peer.tampered(3));
        peer.push(OTHER, peer.block(4));
        peer.deliver(HONEST, new BlockMessage.RangeResponse(request.requestId(), List.of(peer.block(1), peer.block(2))));

        assertThat(peer.ledger.commitCalls).as("the response is buffered whole, then drained").isEmpty();
        assertThat(peer.ledger.commitAllCalls).as("1, 2 from the response with the buffered 3, 4").containsExactly(4);
        assertThat(peer.gossip.height()).isEqualTo(3);
        assertThat(peer.dropsOf(HONEST)).as("the server of good blocks is not blamed").isEmpty();
        assertThat(peer.dropsOf(FORGER)).singleElement().asString().contains("block 3 rejected");

        BlockMessage.RangeRequest retry = peer.rangeRequestsTo(OTHER).get(0);
        assertThat(retry.from()).isEqualTo(3);
        peer.deliver(OTHER, new BlockMessage.RangeResponse(retry.requestId(), List.of(peer.block(3))));
        assertThat(peer.ledger.commitAllCalls).containsExactly(4, 2);
        assertThat(peer.gossip.height()).isEqualTo(5);
        assertThat(peer.commits()).extracting(Event::number).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aRepairedBlockRejectedInARunEndsTheRangeAndIsBlamedOnce() {
        BlockGossipHarness peer = new BlockGossipHarness(BlockGossipConfig.lan(), 4);
        peer.deliver(FORGER, new BlockMessage.Heartbeat(3, HeaderHashes.of(peer.block(2)), false));
        BlockMessage.RangeRequest request = peer.rangeRequestsTo(FORGER).get(0);
        peer.push(OTHER, peer.block(3));
        peer.push(OTHER, peer.block(4));
        peer.deliver(FORGER, new BlockMessage.RangeResponse(request.requestId(), List.of(peer.block(1), peer.tampered(2))));

        assertThat(peer.ledger.commitAllCalls).as("the response's 1, 2 and the buffered 3, 4 in one call").containsExactly(4);
        assertThat(peer.gossip.height()).isEqualTo(2);
        assertThat(peer.gossip.bufferedBlocks()).as("3 and 4 wait for a good 2").isEqualTo(2);
        assertThat(peer.dropsOf(FORGER)).as("penalised once, by the commit path").singleElement().asString()
                .contains("block 2 rejected");
        assertThat(peer.dropsOf(OTHER)).isEmpty();
    }

    @Test
    void aStorageFailureReportsWhatWasCommittedAndDropsOnlyTheFailedBlock() {
        BlockGossipHarness peer = new BlockGossipHarness(BlockGossipConfig.lan(), 6, 4);
        for (long n = 2; n <= 6; n++) {
            peer.push(HONEST, peer.block(n));
        }
        assertThatThrownBy(() -> peer.push(HONEST, peer.block(1))).hasMessageContaining("disk full at block 4");

        assertThat(peer.gossip.height()).isEqualTo(4);
        assertThat(peer.commits()).extracting(Event::number).containsExactly(1L, 2L, 3L);
        assertThat(peer.forwarded()).containsExactly(1L, 2L, 3L);
        assertThat(peer.gossip.bufferedBlocks()).as("4 dropped, as the per-block loop did; 5 and 6 kept").isEqualTo(2);
        assertThat(peer.gossip.counters().get(Counter.BLOCKS_REJECTED)).as("not the block's fault").isZero();
    }
}
