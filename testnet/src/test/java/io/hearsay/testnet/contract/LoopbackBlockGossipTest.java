package io.hearsay.testnet.contract;

import static org.awaitility.Awaitility.await;

import io.hearsay.gossip.block.BlockGossipListener;
import io.hearsay.ledger.block.BlockHashing;
import io.hearsay.peer.GossipPeer;
import io.hearsay.testnet.loopback.LoopbackNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The block gossip contract on real peers: 2 organisations × 3 peers in one JVM, each with its own RocksDB
 * ledger, gRPC server and mutual TLS, the LAN gossip preset, wired as a ring with chords (each peer has 4
 * neighbours, across organisations too). Waits are Awaitility polls with a wall-clock bound.
 */
class LoopbackBlockGossipTest extends BlockGossipContract {
    static final int PEERS_PER_ORGANIZATION = 3;
    static final LoopbackNetwork.Topology TOPOLOGY = LoopbackNetwork.Topology.chordRing(4);

    @Override
    protected GossipNetworkUnderTest open(Path directory) {
        return new Loopback(directory);
    }

    /** A {@link LoopbackNetwork} fed by a {@link SampleChannelOrderer} over its own channel. */
    static final class Loopback implements GossipNetworkUnderTest {
        private final LoopbackNetwork network;
        private final SampleChannelOrderer orderer;

        Loopback(Path directory) {
            network = new LoopbackNetwork(directory, PEERS_PER_ORGANIZATION, i -> GossipPeer.Settings.lan("peer" + i), TOPOLOGY,
                    BlockGossipListener.NONE);
            try {
                network.start();
                orderer = new SampleChannelOrderer(network.channel());
                awaitConnected();
            } catch (RuntimeException | Error e) {
                network.close();
                throw e;
            }
        }

        /** Every peer has a live stream to each of its topology neighbours: the network is up. */
        private void awaitConnected() {
            int n = network.size();
            int[] expected = IntStream.range(0, n).map(i -> (int) IntStream.range(0, n)
                    .filter(j -> j != i && (TOPOLOGY.neighbours(i, n).contains(j) || TOPOLOGY.neighbours(j, n).contains(i)))
                    .count()).toArray();
            await("every peer connected to its neighbours").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> IntStream.range(0, n).allMatch(i -> network.peer(i).network().connectedPeers().size() >= expected[i]));
        }

        @Override
        public int size() {
            return network.size();
        }

        @Override
        public void produce(int blocks) {
            for (int b = 0; b < blocks; b++) {
                network.peer(0).onOrdererBlock(orderer.cut());
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
            network.stop(peer);
        }

        @Override
        public void restart(int peer) {
            network.restart(peer);
        }

        @Override
        public void restartEmpty(int peer) {
            network.restartEmpty(peer);
        }

        @Override
        public boolean isRunning(int peer) {
            return network.isRunning(peer);
        }

        @Override
        public long height(int peer) {
            return network.isRunning(peer) ? network.peer(peer).height() : -1;
        }

        @Override
        public void awaitAllAt(long height, Duration bound) {
            try {
                await().atMost(bound).pollInterval(Duration.ofMillis(20)).until(() ->
                        IntStream.range(0, size()).allMatch(p -> !isRunning(p) || height(p) == height));
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(this + ": running peers not all at height " + height + " within " + bound + "; heights "
                        + Arrays.toString(network.heights()), e);
            }
        }

        @Override
        public byte[] headHash(int peer) {
            return network.headHash(peer);
        }

        @Override
        public Optional<byte[]> blockHash(int peer, long number) {
            return network.ledger(peer).block(number).map(block -> BlockHashing.headerHash(block.getHeader()));
        }

        @Override
        public byte[] stateHash(int peer) {
            return network.ledger(peer).stateHash();
        }

        @Override
        public String toString() {
            return "loopback network of 2 organisations × " + PEERS_PER_ORGANIZATION + " RocksDB peers";
        }

        @Override
        public void close() {
            network.close();
        }
    }
}
