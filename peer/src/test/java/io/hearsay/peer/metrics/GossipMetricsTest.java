package io.hearsay.peer.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.discovery.election.ElectionListener;
import io.hearsay.gossip.block.BlockGossipListener;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.MspDirectory;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.ChannelGossip;
import io.hearsay.peer.GossipPeer;
import io.hearsay.peer.election.ChannelElection;
import io.hearsay.peer.node.NodeMetrics;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.transport.TlsCredentials;
import io.hearsay.peer.wire.BlockWire;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real peers (RocksDB ledgers, gRPC with mutual TLS, ECDSA-signed gossip), each with its {@link NodeMetrics},
 * scraped as Prometheus text. One peer takes blocks "from the orderer" and pushes them; the test proves the new
 * series say so on both sides: pushes and heartbeats sent by one are received by the other, with the same byte
 * counts once the network is quiet, at least an envelope's size per message; every signature checked passed; a
 * forged message on a genuine link makes {@code result="failed"} count it, and gossip carries on; election
 * messages are counted by type too.
 */
class GossipMetricsTest {
    /**
     * Sequence (9 bytes with its tag) + an r ‖ s signature (66) + the channel's name (13) + a body: never under this. (The
     * signer is the link's peer, not on the wire.)
     */
    private static final int ENVELOPE_BYTES_MIN = 88;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CHANNEL = SampleChannel.CHANNEL;

    @TempDir
    Path directory;
    private SampleChannel sample;
    private MspDirectory organizations;
    private NodeResources resources;
    private final List<Ledger> ledgers = new ArrayList<>();
    private final List<GossipPeer> peers = new ArrayList<>();
    private final List<Block> chain = new ArrayList<>();
    private GossipPeer leader;
    private GossipPeer follower;
    private NodeMetrics leaderMetrics;
    private NodeMetrics followerMetrics;

    @BeforeEach
    void start() throws Exception {
        sample = new SampleChannel(directory.resolve("channel"), 1, 2);
        organizations = new MspDirectory(sample.crypto.msps(), InstantSource.system());
        resources = new NodeResources(2);
        chain.add(sample.genesis);
        leader = peer(sample.crypto.organization("Org1MSP").nodes().get(0));
        follower = peer(sample.crypto.organization("Org1MSP").nodes().get(1));
        leader.connect(follower.id(), "127.0.0.1", follower.port());
        follower.connect(leader.id(), "127.0.0.1", leader.port());
        await().atMost(WAIT).until(() -> leader.network().isConnected(follower.id())
                && follower.network().isConnected(leader.id()));
        leaderMetrics = metrics(leader);
        followerMetrics = metrics(follower);
    }

    @AfterEach
    void stop() {
        peers.forEach(GossipPeer::close);
        ledgers.forEach(Ledger::close);
        resources.close();
    }

    @Test
    void pushesAndHeartbeatsAreCountedSentOnOneSideAndReceivedOnTheOther() {
        for (int number = 1; number <= 5; number++) {
            leader.onOrdererBlock(block(number));
        }
        await().atMost(WAIT).until(() -> follower.height() == 6);

        await().atMost(WAIT).untilAsserted(() -> {
            String sent = leaderMetrics.registry().scrape();
            String received = followerMetrics.registry().scrape();
            assertThat(value(sent, "gossip_messages_sent_total", "type", "push")).isGreaterThanOrEqualTo(5);
            // Pushes stop once the blocks are in: then what one sent is exactly what the other received, bytes too.
            assertThat(value(received, "gossip_messages_received_total", "type", "push"))
                    .isEqualTo(value(sent, "gossip_messages_sent_total", "type", "push"));
            assertThat(value(received, "gossip_bytes_received_total", "type", "push"))
                    .isEqualTo(value(sent, "gossip_bytes_sent_total", "type", "push"))
                    .isGreaterThanOrEqualTo(value(sent, "gossip_messages_sent_total", "type", "push")
                            * (ENVELOPE_BYTES_MIN + block(1).getSerializedSize()));
            assertThat(value(sent, "gossip_messages_sent_total", "type", "heartbeat")).isPositive();
            assertThat(value(received, "gossip_messages_received_total", "type", "heartbeat")).isPositive();
            assertThat(value(received, "gossip_bytes_received_total", "type", "heartbeat")).isGreaterThanOrEqualTo(
                    value(received, "gossip_messages_received_total", "type", "heartbeat") * ENVELOPE_BYTES_MIN);
        });

        String scraped = followerMetrics.registry().scrape();
        assertThat(value(scraped, "gossip_signature_verifications_total", "result", "ok"))
                .isGreaterThanOrEqualTo(value(scraped, "gossip_messages_received_total", "type", "push"));
        assertThat(value(scraped, "gossip_signature_verifications_total", "result", "failed")).isZero();
        assertThat(value(scraped, "gossip_duplicates_received_total", "kind", "body")).isNotNegative();
        assertThat(value(scraped, "gossip_duplicates_received_total", "kind", "announcement")).isNotNegative();
        assertThat(value(scraped, "gossip_messages_received_total", "type", "range_request"))
                .as("every series is there, at zero if nothing of its type came").isNotNegative();
    }

    @Test
    void aForgedMessageOnAGenuineLinkCountsAsAFailedVerificationAndGossipCarriesOn() {
        leader.onOrdererBlock(block(1));
        await().atMost(WAIT).until(() -> follower.height() == 2);
        long receivedBefore = heartbeatsReceived();

        // The leader's own link, its own PKI-ID as signer, a fresh sequence, and a real ECDSA signature of the leader —
        // over other bytes: only the signature check can tell.
        CryptoMaterial.Member leaderMember = sample.crypto.organization("Org1MSP").nodes().get(0);
        long sequence = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()) + 3_600_000_000L;
        SignedMessage<BlockMessage> forged = new SignedMessage<>(leader.id(), sequence,
                new BlockMessage.Heartbeat(1_000, ByteString.copyFrom(new byte[32]), false),
                leaderMember.signingIdentity().sign("something else".getBytes(StandardCharsets.UTF_8)));
        assertThat(leader.network().send(follower.id(), BlockWire.encode(CHANNEL, forged), false)).isTrue();

        await().atMost(WAIT).untilAsserted(() -> assertThat(
                value(followerMetrics.registry().scrape(), "gossip_signature_verifications_total", "result", "failed"))
                .isEqualTo(1));
        assertThat(heartbeatsReceived()).as("counted as received: it arrived").isGreaterThan(receivedBefore);
        leader.onOrdererBlock(block(2));
        await().atMost(WAIT).until(() -> follower.height() == 3);
        assertThat(value(followerMetrics.registry().scrape(), "gossip_signature_verifications_total", "result", "ok"))
                .isPositive();
    }

    @Test
    void electionMessagesAreCountedByType() {
        List<ChannelElection> elections = new ArrayList<>();
        for (GossipPeer peer : peers) {
            elections.add(peer.channel(CHANNEL).orElseThrow().elect(ChannelElection.Settings.lan(), ElectionListener.NONE));
        }
        // A leader declares itself; the other peer hears it.
        await().atMost(WAIT).until(() -> elections.stream().filter(ChannelElection::isLeader).count() == 1);
        NodeMetrics hearing = elections.get(0).isLeader() ? followerMetrics : leaderMetrics;
        NodeMetrics declaring = elections.get(0).isLeader() ? leaderMetrics : followerMetrics;
        await().atMost(WAIT).untilAsserted(() -> {
            String scraped = declaring.registry().scrape();
            assertThat(value(scraped, "gossip_messages_sent_total", "type", "election")).isPositive();
            assertThat(value(scraped, "gossip_bytes_sent_total", "type", "election")).isGreaterThanOrEqualTo(
                    value(scraped, "gossip_messages_sent_total", "type", "election") * ENVELOPE_BYTES_MIN);
        });
        await().atMost(WAIT).untilAsserted(() -> {
            String scraped = hearing.registry().scrape();
            assertThat(value(scraped, "gossip_messages_received_total", "type", "election")).isPositive();
            assertThat(value(scraped, "gossip_bytes_received_total", "type", "election")).isGreaterThanOrEqualTo(
                    value(scraped, "gossip_messages_received_total", "type", "election") * ENVELOPE_BYTES_MIN);
        });
    }

    // ---- fixtures ----

    private long heartbeatsReceived() {
        return value(followerMetrics.registry().scrape(), "gossip_messages_received_total", "type", "heartbeat");
    }

    private GossipPeer peer(CryptoMaterial.Member member) throws Exception {
        Ledger ledger = Ledgers.rocks(directory.resolve(member.name()), sample.genesis, LedgerOptions.defaults());
        ledgers.add(ledger);
        GossipPeer peer = GossipPeer.start(GossipPeer.Settings.lan(member.name()), member.signingIdentity(),
                TlsCredentials.of(member, sample.crypto.msps()), organizations, ledger, resources, BlockGossipListener.NONE);
        peers.add(peer);
        return peer;
    }

    private static NodeMetrics metrics(GossipPeer peer) {
        NodeMetrics metrics = new NodeMetrics();
        ChannelGossip channel = peer.channel(CHANNEL).orElseThrow();
        metrics.channel(CHANNEL, channel::height, channel, () -> false);
        return metrics;
    }

    private Block block(int number) {
        while (chain.size() <= number) {
            int next = chain.size();
            chain.add(sample.next(chain.get(next - 1), sample.put("key" + next, "value" + next)));
        }
        return chain.get(number);
    }

    /**
     * The value of the series {@code name} on channel {@link #CHANNEL} with label {@code label="labelValue"} in
     * Prometheus text; fails if there is no such series, so a renamed metric cannot pass as zero.
     */
    private static long value(String scraped, String name, String label, String labelValue) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        Matcher matcher = line.matcher(scraped);
        while (matcher.find()) {
            String labels = matcher.group(1);
            if (labels.contains("channel=\"" + CHANNEL + "\"") && labels.contains(label + "=\"" + labelValue + "\"")) {
                return (long) Double.parseDouble(matcher.group(2));
            }
        }
        throw new AssertionError("no series " + name + "{" + label + "=\"" + labelValue + "\"} in:\n" + scraped);
    }
}
