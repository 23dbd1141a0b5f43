package io.hearsay.testnet.contract;

import io.hearsay.gossip.block.BlockGossipConfig;
import io.hearsay.gossip.block.BlockLedger;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.ledger.block.BlockHashing;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.testnet.sim.BlockSimulation;
import io.hearsay.testnet.sim.LinkModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.IntStream;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The block gossip contract on the simulator: 6 peers on a random graph of degree 3 (a ring plus random links),
 * LAN links and the LAN gossip preset, every peer committing through a real in-memory ledger with full
 * validation of the sample channel's signed blocks. Time is virtual: convergence bounds cost no wall-clock time
 * and a run is replayed from its seed, printed in every failure ({@code -Dhearsay.seed=N} to choose it).
 */
class SimulatedBlockGossipTest extends BlockGossipContract {
    static final long SEED = Long.getLong("hearsay.seed", 20_240_604L);
    static final int PEERS = 6;
    static final int DEGREE = 3;
    /** Virtual time between the blocks of one {@link GossipNetworkUnderTest#produce} call. */
    static final long BLOCK_INTERVAL_MILLIS = 50;

    @Override
    protected GossipNetworkUnderTest open(Path directory) {
        return new Simulated(new SampleChannel(directory.resolve("crypto")), SEED);
    }

    /** {@link BlockSimulation} driven step by step: blocks cut on demand, peers crashed, restarted and wiped. */
    static final class Simulated implements GossipNetworkUnderTest {
        private final long seed;
        private final SampleChannel channel;
        private final SampleChannelOrderer orderer;
        private final Ledger[] ledgers = new Ledger[PEERS];
        private final BlockSimulation simulation;

        Simulated(SampleChannel channel, long seed) {
            this.seed = seed;
            this.channel = channel;
            this.orderer = new SampleChannelOrderer(channel);
            BlockSimulation.Scenario scenario = new BlockSimulation.Scenario(PEERS, DEGREE, BlockGossipConfig.lan(), LinkModel.lan(),
                    0, 0, BLOCK_INTERVAL_MILLIS, seed);
            this.simulation = new BlockSimulation(scenario, orderer, this::newLedger);
            simulation.start();
        }

        /** A fresh in-memory ledger at genesis; serial validation keeps the simulation on its one thread. */
        private BlockLedger newLedger(int peer) {
            try {
                ledgers[peer] = Ledgers.inMemory(channel.genesis, LedgerOptions.defaults().withParallelValidation(false));
            } catch (BlockRejectedException e) {
                throw new IllegalStateException("genesis rejected: " + e.getMessage(), e);
            }
            return BlockLedger.of(ledgers[peer]);
        }

        @Override
        public int size() {
            return PEERS;
        }

        @Override
        public void produce(int blocks) {
            for (int b = 0; b < blocks; b++) {
                if (b > 0) {
                    simulation.advance(BLOCK_INTERVAL_MILLIS);
                }
                simulation.cutBlock();
            }
        }

        @Override
        public long ordererHeight() {
            return orderer.height();
        }

        @Override
        public Block ordererBlock(long number) {
            return orderer.block(number);
        }

        @Override
        public void stop(int peer) {
            simulation.crash(peer);
        }

        @Override
        public void restart(int peer) {
            simulation.restart(peer);
        }

        @Override
        public void restartEmpty(int peer) {
            Ledger old = ledgers[peer];
            simulation.restartEmpty(peer);
            old.close();
        }

        @Override
        public boolean isRunning(int peer) {
            return !simulation.isCrashed(peer);
        }

        @Override
        public long height(int peer) {
            return isRunning(peer) ? simulation.height(peer) : -1;
        }

        @Override
        public void awaitAllAt(long height, Duration bound) {
            boolean reached = simulation.runUntil(() -> allRunningAt(height), bound.toMillis());
            if (!reached) {
                throw new AssertionError(this + ": running peers not all at height " + height + " within " + bound.toMillis()
                        + " ms of virtual time; heights "
                        + Arrays.toString(heights()));
            }
        }

        private boolean allRunningAt(long height) {
            return IntStream.range(0, PEERS).allMatch(p -> !isRunning(p) || simulation.height(p) == height);
        }

        @Override
        public byte[] headHash(int peer) {
            return simulation.chain(peer).headHash();
        }

        @Override
        public Optional<byte[]> blockHash(int peer, long number) {
            return simulation.chain(peer).block(number).map(block -> BlockHashing.headerHash(block.getHeader()));
        }

        @Override
        public byte[] stateHash(int peer) {
            return ledgers[peer].stateHash();
        }

        @Override
        public String toString() {
            return "simulation of " + PEERS + " peers, degree " + DEGREE + ", SEED=" + seed + " (-Dhearsay.seed=" + seed
                    + "), t=" + simulation.loop().nowMillis() + " ms";
        }

        @Override
        public void close() {
            for (Ledger ledger : ledgers) {
                ledger.close();
            }
        }
    }
}
