package io.hearsay.testnet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.auth.AuthenticatedChannel;
import io.hearsay.discovery.auth.IntegrityConfig;
import io.hearsay.gossip.block.BlockGossipConfig;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.gossip.block.GossipCounters.Counter;
import io.hearsay.identity.PkiId;
import java.util.List;
import java.util.stream.IntStream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.junit.jupiter.api.Test;

/**
 * Block gossip on simulated peers: every peer gets every block in both presets; crashed, partitioned and
 * lossy peers catch up by themselves once the fault heals; lying and forging peers are penalised and do
 * not stop honest peers from converging; and a run is a function of its seed. Every assertion names its SEED.
 */
class BlockGossipSimulationTest {
    private static BlockSimulation.Scenario scenario(BlockGossipConfig config, int payload, long seed) {
        return new BlockSimulation.Scenario(60, 6, config, LinkModel.lan(), payload, 10, 500, seed);
    }

    @Test
    void everyPeerCommitsEveryBlockInOrderWithLazyPushReceivingEachBodyAboutOnce() {
        long seed = 11;
        BlockSimulation.Result result = new BlockSimulation(scenario(BlockGossipConfig.lan(), 64 * 1024, seed)).run(60_000);
        assertThat(result.converged()).as("SEED=%d converged", seed).isTrue();
        assertThat(result.copiesPerPeerPerBlock()).as("SEED=%d copies per peer per block", seed).isBetween(1.0, 1.15);
        assertThat(result.timeToAllMillis().p99()).as("SEED=%d time to all p99 ms", seed).isLessThan(500);
    }

    @Test
    void fabricPresetConvergesToo_butSlowerAndWithAboutThreeCopies() {
        long seed = 12;
        BlockSimulation.Result hearsay = new BlockSimulation(scenario(BlockGossipConfig.lan(), 64 * 1024, seed)).run(60_000);
        BlockSimulation.Result fabric = new BlockSimulation(scenario(BlockGossipConfig.fabric(), 64 * 1024, seed)).run(120_000);
        assertThat(fabric.converged()).as("SEED=%d fabric converged", seed).isTrue();
        // Forward-once push to 3, minus the previous hop: about 3 bodies per peer (Fabric note, section 2.6).
        assertThat(fabric.copiesPerPeerPerBlock()).as("SEED=%d fabric copies", seed).isBetween(2.0, 3.5);
        assertThat(fabric.timeToAllMillis().p50()).as("SEED=%d fabric vs hearsay time to all p50", seed)
                .isGreaterThan(5 * hearsay.timeToAllMillis().p50());
    }

    @Test
    void sameSeedGivesTheSameTraceAndAnotherSeedAnotherTrace() {
        long first = new BlockSimulation(scenario(BlockGossipConfig.lan(), 4096, 21)).run(60_000).traceHash();
        long again = new BlockSimulation(scenario(BlockGossipConfig.lan(), 4096, 21)).run(60_000).traceHash();
        long other = new BlockSimulation(scenario(BlockGossipConfig.lan(), 4096, 22)).run(60_000).traceHash();
        assertThat(again).as("SEED=21 replay").isEqualTo(first);
        assertThat(other).as("SEED=22 vs 21").isNotEqualTo(first);
    }

    @Test
    void crashedPeerCatchesUpAfterRestart() {
        long seed = 31;
        BlockSimulation simulation = new BlockSimulation(new BlockSimulation.Scenario(40, 6, BlockGossipConfig.lan(),
                LinkModel.lan(), 2048, 30, 200, seed));
        simulation.crash(7);
        simulation.run(3_000);
        assertThat(simulation.height(7)).as("SEED=%d crashed peer stayed behind", seed).isEqualTo(1);
        simulation.restart(7);
        boolean caughtUp = simulation.loop().runWhile(() -> simulation.height(7) < 31, simulation.loop().nowMicros() + 10_000_000);
        assertThat(caughtUp).as("SEED=%d restarted peer reached height 31 (has %d)", seed, simulation.height(7)).isTrue();
        assertThat(simulation.gossip(7).counters().get(Counter.RANGE_REQUESTS_SENT)).as("SEED=%d repaired by ranges", seed).isPositive();
    }

    @Test
    void partitionedPeersConvergeAfterHealing() {
        long seed = 41;
        BlockSimulation simulation = new BlockSimulation(new BlockSimulation.Scenario(40, 6, BlockGossipConfig.lan(),
                LinkModel.lan(), 2048, 20, 200, seed));
        List<Integer> minority = IntStream.range(25, 40).boxed().toList();
        simulation.partition(minority);
        simulation.run(5_000);
        assertThat(simulation.height(30)).as("SEED=%d minority cut off", seed).isEqualTo(1);
        simulation.heal();
        boolean converged = simulation.loop().runWhile(() -> !simulation.allLiveHaveAll(), simulation.loop().nowMicros() + 10_000_000);
        assertThat(converged).as("SEED=%d converged after heal", seed).isTrue();
        assertNoFork(simulation, 40, seed);
    }

    @Test
    void lossyLinksStillConverge() {
        long seed = 51;
        BlockSimulation simulation = new BlockSimulation(new BlockSimulation.Scenario(40, 6, BlockGossipConfig.lan(),
                LinkModel.lan().withLoss(0.2), 2048, 15, 300, seed));
        assertThat(simulation.run(60_000).converged()).as("SEED=%d with 20%% loss", seed).isTrue();
        assertNoFork(simulation, 40, seed);
    }

    @Test
    void peerClaimingAHugeHeightIsPenalisedAndHonestPeersStillCatchUp() {
        long seed = 61;
        BlockSimulation simulation = new BlockSimulation(new BlockSimulation.Scenario(20, 5, BlockGossipConfig.lan(),
                LinkModel.lan(), 1024, 10, 200, seed));
        simulation.crash(5);
        simulation.run(3_000);
        // A liar: a neighbour of peer 5 that claims a million blocks and, being down, never serves one.
        PkiId liar = simulation.neighboursOf(5).first();
        simulation.crash(simulation.indexOf(liar));
        simulation.restart(5);
        simulation.gossip(5).onMessage(liar, new BlockMessage.Heartbeat(1_000_000, ByteString.copyFrom(new byte[32]), false));
        boolean caughtUp = simulation.loop().runWhile(() -> simulation.height(5) < 11, simulation.loop().nowMicros() + 15_000_000);
        assertThat(caughtUp).as("SEED=%d peer 5 caught up despite the liar (height %d)", seed, simulation.height(5)).isTrue();
        assertThat(simulation.gossip(5).counters().get(Counter.RANGE_TIMEOUTS)).as("SEED=%d the liar's range timed out", seed).isPositive();
        assertThat(simulation.gossip(5).counters().get(Counter.PEERS_PENALISED)).as("SEED=%d liar penalised", seed).isPositive();
    }

    @Test
    void forgedBlocksAreRejectedAndTheirSenderPenalised() {
        long seed = 71;
        BlockSimulation simulation = new BlockSimulation(new BlockSimulation.Scenario(10, 4, BlockGossipConfig.lan(),
                LinkModel.lan(), 1024, 5, 200, seed));
        simulation.run(5_000);
        Block genuine = simulation.chain(0).block(1).orElseThrow();
        Block forged = genuine.toBuilder().setData(BlockData.newBuilder().addData(ByteString.copyFromUtf8("forged"))).build();
        io.hearsay.gossip.block.BlockLedger fresh = simulation.chain(3);
        long height = fresh.height();
        PkiId forger = simulation.neighboursOf(3).first();
        simulation.gossip(3).onMessage(forger, new BlockMessage.Push(
                forged.toBuilder().setHeader(forged.getHeader().toBuilder().setNumber(height)).build(), true));
        assertThat(fresh.height()).as("SEED=%d nothing committed", seed).isEqualTo(height);
        assertThat(simulation.gossip(3).counters().get(Counter.BLOCKS_REJECTED)).isEqualTo(1);
        assertThat(simulation.gossip(3).counters().get(Counter.PEERS_PENALISED)).isPositive();
    }

    @Test
    void absurdRangeRequestsAreRefusedAndCounted() {
        long seed = 81;
        BlockSimulation simulation = new BlockSimulation(new BlockSimulation.Scenario(10, 4, BlockGossipConfig.lan(),
                LinkModel.lan(), 1024, 3, 200, seed));
        simulation.run(5_000);
        PkiId asker = simulation.id(1);
        long sentBefore = simulation.network().messagesSent(simulation.id(0));
        simulation.gossip(0).onMessage(asker, new BlockMessage.RangeRequest(1, 0, 1_000_000));
        simulation.gossip(0).onMessage(asker, new BlockMessage.RangeRequest(2, 5, 2));
        simulation.gossip(0).onMessage(asker, new BlockMessage.RangeRequest(3, -4, 2));
        assertThat(simulation.gossip(0).counters().get(Counter.ABSURD_RANGE_REQUESTS)).as("SEED=%d", seed).isEqualTo(3);
        assertThat(simulation.network().messagesSent(simulation.id(0))).as("no answers sent").isEqualTo(sentBefore);
    }

    @Test
    void unsolicitedRangeResponsesAreDroppedWithoutStoringAnything() {
        long seed = 91;
        BlockSimulation simulation = new BlockSimulation(new BlockSimulation.Scenario(10, 4, BlockGossipConfig.lan(),
                LinkModel.lan(), 1024, 3, 200, seed));
        simulation.crash(2);
        simulation.run(3_000);
        simulation.restart(2);
        Block next = simulation.chain(0).block(1).orElseThrow();
        simulation.gossip(2).onMessage(simulation.id(0), new BlockMessage.RangeResponse(999, List.of(next)));
        assertThat(simulation.chain(2).height()).as("SEED=%d", seed).isEqualTo(1);
        assertThat(simulation.gossip(2).counters().get(Counter.UNSOLICITED_RESPONSES)).isEqualTo(1);
    }

    @Test
    void theLanRunsSmallerReplayWindowDropsNoHonestMessageEvenWhileWipedPeersCatchUpUnderLoss() {
        assertThat(BlockSimulation.integrityFor(LinkModel.lan()).replayWindowMessages()).isEqualTo(256);
        assertThat(BlockSimulation.integrityFor(LinkModel.wan())).isEqualTo(IntegrityConfig.defaults());
        long seed = 9;
        // Blocks every 5 ms over lossy links, then a fifth of the peers wiped: the densest honest traffic the tests
        // make, where one sender's messages overtake each other the most (80 sequences).
        BlockSimulation simulation = new BlockSimulation(new BlockSimulation.Scenario(1000, 8, BlockGossipConfig.lan(),
                LinkModel.lan().withLoss(0.05), 1024, 200, 5, seed));
        assertThat(simulation.run(120_000).converged()).as("SEED=%d converged", seed).isTrue();
        assertNoDrops(simulation, 1000, seed);
        // A restart replaces the channel and its counts, so the first phase is checked above.
        IntStream.range(1, 200).forEach(simulation::restartEmpty);
        boolean caughtUp = simulation.runUntil(
                () -> IntStream.range(0, 1000).allMatch(p -> simulation.height(p) == simulation.height(0)), 120_000);
        assertThat(caughtUp).as("SEED=%d wiped peers caught up", seed).isTrue();
        assertNoDrops(simulation, 1000, seed);
    }

    private static void assertNoDrops(BlockSimulation simulation, int peers, long seed) {
        for (int p = 0; p < peers; p++) {
            AuthenticatedChannel<BlockMessage> channel = simulation.channel(p);
            assertThat(channel.drops()).as("SEED=%d peer %d dropped honest messages", seed, p).isEmpty();
        }
    }

    private static void assertNoFork(BlockSimulation simulation, int peers, long seed) {
        for (int p = 1; p < peers; p++) {
            long common = Math.min(simulation.height(0), simulation.height(p));
            for (long n = 0; n < common; n++) {
                assertThat(simulation.chain(p).block(n)).as("SEED=%d peer %d block %d", seed, p, n)
                        .isEqualTo(simulation.chain(0).block(n));
            }
        }
    }
}
