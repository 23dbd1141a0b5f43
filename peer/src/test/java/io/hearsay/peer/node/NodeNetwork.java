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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A two-organisation network of real nodes in one JVM: the solo orderer and {@code peersPerOrganization} peers of
 * Org1MSP and Org2MSP, every one on loopback with mutual TLS and its own RocksDB, serving two channels
 * ({@code testchannel}, whose contracts need both organisations' endorsements, and {@code second}). Peer 0 of each
 * organisation leads (takes the orderer's blocks) unless the {@link Layout} says the organisation has no leader; the
 * others get blocks by gossip only. By default every peer is every other's neighbour; a layout may link peers within
 * their organisation only and run the overlay, peer 0 of each organisation its anchor.
 */
final class NodeNetwork implements AutoCloseable {
    /**
     * How the network is wired.
     *
     * @param fullMesh every peer a neighbour of every other (and an endorser across organisations); else neighbours
     *     within an organisation only
     * @param withoutLeader organisations none of whose peers leads: they get blocks by gossip only
     * @param overlay whether every peer runs the overlay, peer 0 of each organisation its anchor (on a port reserved
     *     before the start, since every config names every anchor's endpoint)
     */
    record Layout(boolean fullMesh, Set<String> withoutLeader, boolean overlay) {
        static Layout everyPeerLinked() {
            return new Layout(true, Set.of(), false);
        }

        /** Neighbours within organisations, the overlay on: blocks cross organisations through the anchors only. */
        static Layout anchored(Set<String> withoutLeader) {
            return new Layout(false, withoutLeader, true);
        }
    }

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
        this(directory, peersPerOrganization, Layout.everyPeerLinked());
    }

    NodeNetwork(Path directory, int peersPerOrganization, Layout layout) throws Exception {
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

        List<OverlayConfig.Anchor> anchors = new ArrayList<>();
        for (String mspId : ORGANIZATIONS) {
            List<CryptoMaterial.Member> nodes = crypto.organization(mspId).nodes();
            for (int i = 0; i < nodes.size(); i++) {
                CryptoMaterial.Member member = nodes.get(i);
                boolean anchor = layout.overlay() && i == 0;
                HostPort listen = new HostPort("127.0.0.1", anchor ? freePort() : 0);
                if (anchor) {
                    anchors.add(new OverlayConfig.Anchor(mspId, signingCertificate(member.mspDirectory()), listen));
                }
                boolean leads = i == 0 && !layout.withoutLeader().contains(mspId);
                configs.add(new PeerConfig(member.name(), mspId, member.mspDirectory(), member.tlsCertificate(),
                        member.tlsKey(), listen, new HostPort("127.0.0.1", 0), directory.resolve(member.name()),
                        List.of(new PeerConfig.ChannelEntry(SampleChannel.CHANNEL, genesisFile),
                                new PeerConfig.ChannelEntry(SECOND_CHANNEL, secondFile)),
                        java.util.Optional.of(new HostPort("127.0.0.1", orderer.port())), leads,
                        PeerConfig.GossipPreset.LAN, List.of(), PeerConfig.DEFAULT_REQUEST_BYTES_MAX, TimeWindow.DEFAULT_WINDOW,
                        Duration.ofSeconds(10)));
            }
        }
        if (layout.overlay()) {
            configs.replaceAll(config -> config.withOverlay(OverlayConfig.of(anchors)));
        }
        for (PeerConfig config : configs) {
            peers.add(PeerNode.start(config, resources));
        }
        List<List<PeerNode>> linked = new ArrayList<>();
        for (int i = 0; i < peers.size(); i++) {
            List<PeerNode> neighbours = new ArrayList<>();
            for (int j = 0; j < peers.size(); j++) {
                if (j != i && (layout.fullMesh() || configs.get(j).mspId().equals(configs.get(i).mspId()))) {
                    peers.get(i).connect(neighbour(j));
                    neighbours.add(peers.get(j));
                }
            }
            linked.add(neighbours);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> java.util.stream.IntStream.range(0, peers.size())
                .allMatch(i -> peers.get(i).gossip().network().connectedPeers()
                        .containsAll(linked.get(i).stream().map(PeerNode::id).toList())));
    }

    static final List<String> ORGANIZATIONS = List.of("Org1MSP", "Org2MSP");

    /** A port free now, for a node whose endpoint other configs must name before it starts. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path signingCertificate(Path mspDirectory) throws IOException {
        try (var files = Files.list(mspDirectory.resolve("signcerts"))) {
            return files.findFirst().orElseThrow();
        }
    }

    private PeerConfig.Neighbour neighbour(int index) throws IOException {
        PeerConfig config = configs.get(index);
        return new PeerConfig.Neighbour(new HostPort("127.0.0.1", peers.get(index).port()), config.mspId(),
                signingCertificate(config.msp()), "127.0.0.1");
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

    /** Closes {@code peer} as a crash would leave it to the others; the network no longer closes it. */
    void stop(PeerNode peer) {
        if (peers.remove(peer)) {
            peer.close();
        }
    }

    /** The client user of {@code mspId}. */
    CryptoMaterial.Member client(String mspId) {
        return crypto.organization(mspId).users().get(1);
    }

    /** The official Fabric Gateway client as {@code signer}, connected to {@code peer} with {@code tlsMember}'s TLS identity. */
    Gateway gateway(PeerNode peer, CryptoMaterial.Member signer, CryptoMaterial.Member tlsMember) {
        TlsCredentials tls = TlsCredentials.of(tlsMember, crypto.msps());
        return builder(peer, signer, tls).tlsClientCertificateHash(tls.certificateHash()).connect();
    }

    /**
     * {@code mspId}'s client over mutual TLS as {@link #gateway(PeerNode, String)}, but without
     * {@code tlsClientCertificateHash}: its seeks do not name the TLS certificate they come with.
     */
    Gateway gatewayWithoutTlsBinding(PeerNode peer, String mspId) {
        return builder(peer, client(mspId), TlsCredentials.of(client(mspId), crypto.msps())).connect();
    }

    private Gateway.Builder builder(PeerNode peer, CryptoMaterial.Member signer, TlsCredentials tls) {
        ManagedChannel connection = GatewayClients.dial("127.0.0.1", peer.port(), tls);
        connections.add(connection);
        return GatewayClients.builder(connection, signer, CALL);
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
