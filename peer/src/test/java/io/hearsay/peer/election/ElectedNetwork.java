package io.hearsay.peer.election;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.ledger.block.EndorserTransactions;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.config.ConfigTree.HostPort;
import io.hearsay.peer.node.OrdererProcess;
import io.hearsay.peer.node.OrdererProcessConfig;
import io.hearsay.peer.node.PeerConfig;
import io.hearsay.peer.node.PeerConfig.LeaderMode;
import io.hearsay.peer.node.PeerNode;
import io.hearsay.peer.orderer.GrpcOrdererClient;
import io.hearsay.peer.orderer.OrdererConfig;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.transport.TlsCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;

/**
 * Real nodes on loopback for the election tests: the solo orderer and the named peers (organisation, index, leader
 * mode), each with mutual TLS and its own RocksDB, all serving {@code testchannel}, linked in a full mesh. Peers can
 * be stopped (as a crash would: nothing is said to the others); transactions go straight to the orderer's Broadcast.
 */
final class ElectedNetwork implements AutoCloseable {
    static final String CHANNEL = SampleChannel.CHANNEL;
    static final Duration CALL = Duration.ofSeconds(20);

    /** A peer to start: the {@code index}th node of {@code mspId}, in {@code mode}. */
    record PeerSpec(String mspId, int index, LeaderMode mode) {}

    final SampleChannel channel;
    private final NodeResources resources = new NodeResources(4);
    private final OrdererProcess orderer;
    private final Map<String, PeerNode> peers = new LinkedHashMap<>();
    private final Map<String, PeerConfig> configs = new LinkedHashMap<>();
    private GrpcOrdererClient client;

    ElectedNetwork(Path directory, List<PeerSpec> specs) throws Exception {
        this.channel = new SampleChannel(directory.resolve("crypto"), 1, 3);
        CryptoMaterial crypto = channel.crypto;
        Path genesisFile = directory.resolve("testchannel.block");
        Files.write(genesisFile, channel.genesis.toByteArray());
        CryptoMaterial.Member ordererMember = crypto.organization("OrdererMSP").nodes().get(0);
        orderer = OrdererProcess.start(new OrdererProcessConfig("orderer", "OrdererMSP", ordererMember.mspDirectory(),
                ordererMember.tlsCertificate(), ordererMember.tlsKey(), new HostPort("127.0.0.1", 0),
                directory.resolve("orderer"), List.of(genesisFile), OrdererConfig.defaults(), Duration.ofMinutes(15)),
                resources);
        for (PeerSpec spec : specs) {
            CryptoMaterial.Member member = crypto.organization(spec.mspId()).nodes().get(spec.index());
            PeerConfig config = new PeerConfig(member.name(), spec.mspId(), member.mspDirectory(), member.tlsCertificate(),
                    member.tlsKey(), new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0),
                    directory.resolve(member.name()), List.of(new PeerConfig.ChannelEntry(CHANNEL, genesisFile)),
                    Optional.of(new HostPort("127.0.0.1", orderer.port())), spec.mode(), PeerConfig.GossipPreset.LAN,
                    List.of(), PeerConfig.DEFAULT_REQUEST_BYTES_MAX, Duration.ofMinutes(15), Duration.ofSeconds(10));
            configs.put(member.name(), config);
            peers.put(member.name(), PeerNode.start(config, resources));
        }
        List<String> names = List.copyOf(peers.keySet());
        for (String name : names) {
            for (String other : names) {
                if (!other.equals(name)) {
                    peers.get(name).connect(neighbour(other));
                }
            }
        }
        await().atMost(CALL).until(() -> running().stream()
                .allMatch(p -> p.gossip().network().connectedPeers().size() == names.size() - 1));
    }

    private PeerConfig.Neighbour neighbour(String name) throws IOException {
        PeerConfig config = configs.get(name);
        try (var files = Files.list(config.msp().resolve("signcerts"))) {
            return new PeerConfig.Neighbour(new HostPort("127.0.0.1", peers.get(name).port()), config.mspId(),
                    files.findFirst().orElseThrow(), "127.0.0.1");
        }
    }

    /** The running peer that is the {@code index}th node of {@code mspId}. */
    PeerNode peer(String mspId, int index) {
        PeerNode peer = peers.get(channel.crypto.organization(mspId).nodes().get(index).name());
        if (peer == null) {
            throw new IllegalArgumentException(mspId + " peer " + index + " is not running");
        }
        return peer;
    }

    List<PeerNode> running() {
        return List.copyOf(peers.values());
    }

    List<PeerNode> running(String mspId) {
        List<PeerNode> of = new ArrayList<>();
        configs.forEach((name, config) -> {
            if (config.mspId().equals(mspId) && peers.containsKey(name)) {
                of.add(peers.get(name));
            }
        });
        return of;
    }

    /** The running peers of {@code mspId} that lead the channel now. */
    List<PeerNode> leaders(String mspId) {
        return running(mspId).stream().filter(p -> p.leads(CHANNEL)).toList();
    }

    /** Stops {@code peer} as a crash would: its connections drop, it says nothing to the others. */
    void stop(PeerNode peer) {
        peers.remove(peer.name());
        peer.close();
    }

    /** Orders a kv transaction through the orderer's Broadcast; the orderer cuts it into a block. */
    void submit(String key, String value) throws Exception {
        if (client == null) {
            TlsCredentials tls = TlsCredentials.of(channel.crypto.organization("Org1MSP").users().get(1), channel.crypto.msps());
            client = new GrpcOrdererClient(GrpcOrdererClient.Settings.of("127.0.0.1", orderer.port()), tls, resources.timers());
        }
        Instant now = Instant.now();
        KVRWSet rwSet = KVRWSet.newBuilder().addWrites(SampleChannel.write(key, value)).build();
        Envelope envelope = EndorserTransactions.build(CHANNEL, SampleChannel.CHAINCODE, channel.client, channel.nextNonce(),
                Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build(),
                List.of(ByteString.copyFromUtf8("put")), rwSet, List.of(channel.org1Peer, channel.org2Peer));
        client.broadcast(envelope).get(CALL.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        peers.values().forEach(PeerNode::close);
        orderer.close();
        resources.close();
    }
}
