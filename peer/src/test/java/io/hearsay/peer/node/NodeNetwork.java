package io.hearsay.peer.node;

import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.ledger.block.BlockBuilder;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.config.ConfigTree.HostPort;
import io.hearsay.peer.gateway.GatewayClients;
import io.hearsay.peer.orderer.OrdererConfig;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.transport.TlsCredentials;
import io.hearsay.proto.ChannelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A two-organisation network of real nodes in one JVM: the solo orderer and {@code peersPerOrganization} peers of
 * Org1MSP and Org2MSP, every one on loopback with mutual TLS and its own RocksDB, serving two channels
 * ({@code testchannel}, whose contracts need both organisations' endorsements, and {@code second}). Peer 0 of each
 * organisation leads (takes the orderer's blocks); the others get blocks by gossip only.
 */
final class NodeNetwork implements AutoCloseable {
    static final String SECOND_CHANNEL = "second";
    static final Duration CALL = Duration.ofSeconds(30);

    final SampleChannel channel;
    final CryptoMaterial crypto;
    private final NodeResources resources = new NodeResources(2);
    private final OrdererProcess orderer;
    private final List<PeerNode> peers = new ArrayList<>();
    private final List<PeerConfig> configs = new ArrayList<>();
    private final List<ManagedChannel> connections = new ArrayList<>();

    NodeNetwork(Path directory, int peersPerOrganization) throws Exception {
        this.channel = new SampleChannel(directory.resolve("crypto"), 2, peersPerOrganization);
        this.crypto = channel.crypto;
        ChannelConfig second = channel.config.toBuilder().setChannelId(SECOND_CHANNEL).build();
        Block secondGenesis = new BlockBuilder(channel.orderer).genesis(second);
        Path genesisFile = write(directory.resolve("testchannel.block"), channel.genesis);
        Path secondFile = write(directory.resolve("second.block"), secondGenesis);

        CryptoMaterial.Member ordererMember = crypto.organization("OrdererMSP").nodes().get(0);
        orderer = OrdererProcess.start(new OrdererProcessConfig("orderer", "OrdererMSP", ordererMember.mspDirectory(),
                ordererMember.tlsCertificate(), ordererMember.tlsKey(), new HostPort("127.0.0.1", 0), directory.resolve("orderer"),
                List.of(genesisFile, secondFile), OrdererConfig.defaults(), TimeWindow.DEFAULT_WINDOW), resources);

        for (String mspId : List.of("Org1MSP", "Org2MSP")) {
            List<CryptoMaterial.Member> nodes = crypto.organization(mspId).nodes();
            for (int i = 0; i < nodes.size(); i++) {
                CryptoMaterial.Member member = nodes.get(i);
                PeerConfig config = new PeerConfig(member.name(), mspId, member.mspDirectory(), member.tlsCertificate(),
                        member.tlsKey(), new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0),
                        directory.resolve(member.name()),
                        List.of(new PeerConfig.ChannelEntry(SampleChannel.CHANNEL, genesisFile),
                                new PeerConfig.ChannelEntry(SECOND_CHANNEL, secondFile)),
                        java.util.Optional.of(new HostPort("127.0.0.1", orderer.port())), i == 0,
                        PeerConfig.GossipPreset.LAN, List.of(), PeerConfig.DEFAULT_REQUEST_BYTES_MAX, TimeWindow.DEFAULT_WINDOW,
                        Duration.ofSeconds(10));
                configs.add(config);
                peers.add(PeerNode.start(config, resources));
            }
        }
        // Full mesh: every peer knows every other (gossip neighbours, and endorsers across organisations).
        for (PeerNode peer : peers) {
            for (int j = 0; j < peers.size(); j++) {
                if (peers.get(j) != peer) {
                    peer.connect(neighbour(j));
                }
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> peers.stream()
                .allMatch(p -> p.gossip().network().connectedPeers().size() == peers.size() - 1));
    }

    private PeerConfig.Neighbour neighbour(int index) throws IOException {
        PeerConfig config = configs.get(index);
        try (var files = Files.list(config.msp().resolve("signcerts"))) {
            Path certificate = files.findFirst().orElseThrow();
            return new PeerConfig.Neighbour(new HostPort("127.0.0.1", peers.get(index).port()), config.mspId(), certificate,
                    "127.0.0.1");
        }
    }

    private static Path write(Path file, Block block) throws IOException {
        Files.write(file, block.toByteArray());
        return file;
    }

    PeerNode peer(String mspId, int index) {
        return peers.stream().filter(p -> p.name().equals(crypto.organization(mspId).nodes().get(index).name()))
                .findFirst().orElseThrow();
    }

    List<PeerNode> peers() {
        return List.copyOf(peers);
    }

    /** The client user of {@code mspId}. */
    CryptoMaterial.Member client(String mspId) {
        return crypto.organization(mspId).users().get(1);
    }

    /** The official Fabric Gateway client as {@code signer}, connected to {@code peer} with {@code tlsMember}'s TLS identity. */
    Gateway gateway(PeerNode peer, CryptoMaterial.Member signer, CryptoMaterial.Member tlsMember) {
        TlsCredentials tls = TlsCredentials.of(tlsMember, crypto.msps());
        ManagedChannel connection = GatewayClients.dial("127.0.0.1", peer.port(), tls);
        connections.add(connection);
        return GatewayClients.builder(connection, signer, CALL)
                .tlsClientCertificateHash(tls.certificateHash())
                .connect();
    }

    Gateway gateway(PeerNode peer, String mspId) {
        return gateway(peer, client(mspId), client(mspId));
    }

    @Override
    public void close() {
        connections.forEach(c -> {
            c.shutdownNow();
            try {
                c.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        peers.forEach(PeerNode::close);
        orderer.close();
        resources.close();
    }
}
