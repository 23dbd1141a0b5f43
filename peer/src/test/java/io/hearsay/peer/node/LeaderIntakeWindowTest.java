package io.hearsay.peer.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearsay.identity.CryptoMaterial;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.config.ConfigTree.HostPort;
import io.hearsay.peer.orderer.OrdererConfig;
import io.hearsay.peer.orderer.SoloOrderer;
import io.hearsay.peer.runtime.NodeResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node wires the leader's commits back to its orderer intake: with gossip overrides that make the intake's window
 * 4 blocks (2 × {@code repairBatchBlocks: 2}), a static leader takes a backlog of 30 blocks from the orderer to the
 * end. Were the committed height not passed on, the stream would stop after the first window.
 */
class LeaderIntakeWindowTest {
    private static final int BLOCKS = 30;

    @TempDir
    Path directory;
    private NodeResources resources;
    private OrdererProcess orderer;
    private PeerNode leader;

    @AfterEach
    void stop() {
        if (leader != null) {
            leader.close();
        }
        if (orderer != null) {
            orderer.close();
        }
        if (resources != null) {
            resources.close();
        }
    }

    @Test
    void aLeaderTakesABacklogMuchLongerThanItsWindowToTheEnd() throws Exception {
        SampleChannel channel = new SampleChannel(directory.resolve("crypto"), 1);
        Path genesis = Files.write(directory.resolve("testchannel.block"), channel.genesis.toByteArray());
        resources = new NodeResources(2);
        CryptoMaterial.Member ordererMember = channel.crypto.organization("OrdererMSP").nodes().get(0);
        orderer = OrdererProcess.start(new OrdererProcessConfig("orderer", "OrdererMSP", ordererMember.mspDirectory(),
                ordererMember.tlsCertificate(), ordererMember.tlsKey(), new HostPort("127.0.0.1", 0),
                directory.resolve("orderer"), List.of(genesis), OrdererConfig.defaults().withBatchEnvelopesMax(1),
                TimeWindow.DEFAULT_WINDOW), resources);
        SoloOrderer solo = orderer.node().channels().orderer(SampleChannel.CHANNEL).orElseThrow();
        for (int i = 0; i < BLOCKS; i++) {
            assertThat(solo.submit(channel.put("key" + i, "v" + i).toByteString())).isEqualTo(SoloOrderer.Admission.ACCEPTED);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> solo.ledger().height() == BLOCKS + 1);

        CryptoMaterial.Member member = channel.crypto.organization("Org1MSP").nodes().get(0);
        PeerConfig config = new PeerConfig(member.name(), "Org1MSP", member.mspDirectory(), member.tlsCertificate(),
                member.tlsKey(), new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0), directory.resolve("peer0"),
                List.of(new PeerConfig.ChannelEntry(SampleChannel.CHANNEL, genesis)),
                Optional.of(new HostPort("127.0.0.1", orderer.port())), PeerConfig.LeaderMode.STATIC,
                PeerConfig.GossipPreset.LAN, List.of(), PeerConfig.DEFAULT_REQUEST_BYTES_MAX, TimeWindow.DEFAULT_WINDOW,
                Duration.ofSeconds(10), Map.of("repairBatchBlocks", 2));
        leader = PeerNode.start(config, resources);

        await().atMost(Duration.ofSeconds(30)).until(() -> leader.ledger(SampleChannel.CHANNEL).height() == BLOCKS + 1);
        assertThat(leader.leads(SampleChannel.CHANNEL)).isTrue();
        assertThat(leader.streamsFromOrderer(SampleChannel.CHANNEL)).as("the stream stays open for new blocks").isTrue();
    }
}
