package io.hearsay.gossip.block;

import static io.hearsay.gossip.block.BlockGossipHarness.HONEST;
import static io.hearsay.gossip.block.BlockGossipHarness.OTHER;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.gossip.block.GossipCounters.Counter;
import io.hearsay.identity.PkiId;
import org.junit.jupiter.api.Test;

/** A range request that times out moves repair to another peer without penalising the silent one: loss is not a lie. */
class SilentPeerTest {
    @Test
    void aRangeRequestThatTimesOutGoesToAnotherPeerAndPenalisesNobody() {
        BlockGossipHarness peer = new BlockGossipHarness(BlockGossipConfig.lan(), 3);
        peer.deliver(HONEST, new BlockMessage.Heartbeat(4, HeaderHashes.of(peer.block(3)), false));
        peer.deliver(OTHER, new BlockMessage.Heartbeat(4, HeaderHashes.of(peer.block(3)), false));
        PkiId first = peer.rangeRequestsTo(HONEST).isEmpty() ? OTHER : HONEST;
        PkiId second = first.equals(HONEST) ? OTHER : HONEST;
        assertThat(peer.rangeRequestsTo(first)).hasSize(1);
        assertThat(peer.rangeRequestsTo(second)).isEmpty();

        peer.fireTimers(); // the request to the first peer times out (its answer was lost)

        assertThat(peer.gossip.counters().get(Counter.RANGE_TIMEOUTS)).isEqualTo(1);
        assertThat(peer.gossip.counters().get(Counter.PEERS_PENALISED)).isZero();
        assertThat(peer.events).noneMatch(event -> event.dropReason() != null);
        assertThat(peer.rangeRequestsTo(second)).as("repair moved on to the other peer").isNotEmpty();
    }
}
