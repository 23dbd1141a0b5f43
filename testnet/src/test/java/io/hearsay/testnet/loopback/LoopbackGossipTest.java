package io.hearsay.testnet.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearsay.gossip.block.BlockGossipListener;
import io.hearsay.peer.GossipPeer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke test of the loopback network: 2 organisations × 3 RocksDB peers over gRPC with mutual TLS. */
class LoopbackGossipTest {
    @TempDir
    Path directory;
    private LoopbackNetwork network;
    private final List<Block> chain = new ArrayList<>();

    @AfterEach
    void close() {
        if (network != null) {
            network.close();
        }
    }

    private void produce(int blocks) {
        for (int b = 0; b < blocks; b++) {
            Block previous = chain.isEmpty() ? network.genesis() : chain.get(chain.size() - 1);
            int n = chain.size() + 1;
            Block block = network.nextBlock(previous, network.channel().put("k" + n, "v" + n));
            chain.add(block);
            network.peer(0).onOrdererBlock(block);
        }
    }

    private void awaitAllAt(long height) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Arrays.stream(network.heights()).filter(h -> h >= 0).distinct().toArray())
                        .as("heights %s", Arrays.toString(network.heights())).containsExactly(height));
    }

    @Test
    void blocksFromOnePeerReachEveryPeer() {
        network = new LoopbackNetwork(directory, 3, i -> GossipPeer.Settings.lan("peer" + i),
                LoopbackNetwork.Topology.fullMesh(), BlockGossipListener.NONE).start();
        produce(5);
        awaitAllAt(6);
    }
}
