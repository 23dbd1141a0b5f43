package io.hearsay.testnet.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.ledger.block.BlockHashing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block gossip protocol tests, written once against {@link GossipNetworkUnderTest} and run by each subclass
 * on its own network: the seeded simulator ({@link SimulatedBlockGossipTest}) and real RocksDB peers over gRPC
 * with mutual TLS on loopback ({@link LoopbackBlockGossipTest}). Peer 0 is the leader the orderer feeds; every
 * test ends with every running peer holding exactly the orderer's chain, block by block, and the same world state.
 */
abstract class BlockGossipContract {
    @TempDir
    Path directory;
    protected GossipNetworkUnderTest network;

    /** A started network of at least 6 peers over the two organisations, peer 0 the leader, at genesis. */
    protected abstract GossipNetworkUnderTest open(Path directory) throws Exception;

    /** How long any one convergence may take: virtual time in the simulator, wall-clock time on loopback. */
    protected Duration bound() {
        return Duration.ofSeconds(20);
    }

    @BeforeEach
    void openNetwork() throws Exception {
        network = open(directory);
        assertThat(network.size()).as("%s: peers", network).isGreaterThanOrEqualTo(6);
    }

    @AfterEach
    void closeNetwork() {
        if (network != null) {
            network.close();
        }
    }

    /** A peer of the last organisation, far from the leader in index order. */
    private int farPeer() {
        return network.size() - 1;
    }

    @Test
    void blocksProducedAtTheLeaderReachEveryPeer() {
        network.produce(10);
        network.awaitAllAt(11, bound());
        assertEveryRunningPeerHoldsTheOrdererChain();
    }

    @Test
    void aPeerStoppedForAWhileCatchesUpFromItsNeighboursWhenRestarted() {
        int stopped = farPeer();
        network.produce(5);
        network.awaitAllAt(6, bound());
        network.stop(stopped);
        // A while: several rounds of blocks, each spread to every running peer before the next.
        for (int round = 1; round <= 4; round++) {
            network.produce(8);
            network.awaitAllAt(6 + 8L * round, bound());
            assertThat(network.height(stopped)).as("%s: peer %d is stopped", network, stopped).isEqualTo(-1);
        }
        network.restart(stopped);
        assertThat(network.height(stopped)).as("%s: peer %d kept its ledger", network, stopped).isGreaterThanOrEqualTo(6);
        network.awaitAllAt(38, bound());
        assertEveryRunningPeerHoldsTheOrdererChain();
    }

    @Test
    void aPeerStartedEmptySyncsTheWholeChain() {
        // More blocks than one repair batch (64 in the LAN preset), so the sync takes several range requests.
        int empty = farPeer();
        network.produce(150);
        network.awaitAllAt(151, bound());
        network.restartEmpty(empty);
        network.awaitAllAt(151, bound());
        assertEveryRunningPeerHoldsTheOrdererChain();
    }

    @Test
    void aPeerRestartedEmptyWhileBlocksKeepComingSyncsAndFollows() {
        int empty = 1;
        network.produce(40);
        network.awaitAllAt(41, bound());
        network.restartEmpty(empty);
        // No wait between batches: new blocks arrive at the empty peer while it is still repairing old ones.
        for (int batch = 0; batch < 4; batch++) {
            network.produce(5);
        }
        network.awaitAllAt(61, bound());
        assertEveryRunningPeerHoldsTheOrdererChain();
    }

    @Test
    void blocksProducedWhileAPeerOfEachOrganisationIsStoppedReachThemOnRestart() {
        int first = 2;
        int second = farPeer() - 1;
        network.produce(3);
        network.awaitAllAt(4, bound());
        network.stop(first);
        network.stop(second);
        network.produce(12);
        network.awaitAllAt(16, bound());
        network.restart(first);
        network.produce(4);
        network.restart(second);
        network.produce(4);
        network.awaitAllAt(24, bound());
        assertEveryRunningPeerHoldsTheOrdererChain();
    }

    @Test
    void aRollingRestartOfEveryFollowerLosesNoBlock() {
        network.produce(2);
        for (int peer = 1; peer < network.size(); peer++) {
            network.stop(peer);
            network.produce(3);
            network.restart(peer);
        }
        network.awaitAllAt(network.ordererHeight(), bound());
        assertThat(network.ordererHeight()).isEqualTo(3 + 3L * (network.size() - 1));
        assertEveryRunningPeerHoldsTheOrdererChain();
    }

    /**
     * Every running peer holds every block the orderer cut, with the orderer's header hash, the leader's head
     * hash, and the leader's world state: nothing lost, reordered, forked or applied twice.
     */
    protected void assertEveryRunningPeerHoldsTheOrdererChain() {
        long height = network.ordererHeight();
        HexFormat hex = HexFormat.of();
        String head = hex.formatHex(BlockHashing.headerHash(network.ordererBlock(height - 1).getHeader()));
        String state = hex.formatHex(network.stateHash(0));
        for (int peer = 0; peer < network.size(); peer++) {
            if (!network.isRunning(peer)) {
                continue;
            }
            assertThat(network.height(peer)).as("%s: peer %d height", network, peer).isEqualTo(height);
            assertThat(hex.formatHex(network.headHash(peer))).as("%s: peer %d head hash", network, peer).isEqualTo(head);
            for (long n = 0; n < height; n++) {
                String expected = hex.formatHex(BlockHashing.headerHash(network.ordererBlock(n).getHeader()));
                assertThat(network.blockHash(peer, n).map(hex::formatHex)).as("%s: peer %d block %d", network, peer, n)
                        .contains(expected);
            }
            assertThat(hex.formatHex(network.stateHash(peer))).as("%s: peer %d state hash", network, peer).isEqualTo(state);
        }
    }
}
