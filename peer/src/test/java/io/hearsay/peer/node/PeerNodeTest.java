package io.hearsay.peer.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.config.ConfigException;
import io.hearsay.peer.config.ConfigTree.HostPort;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.transport.TlsCredentials;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.gateway.EvaluateRequest;
import org.hyperledger.fabric.protos.gateway.GatewayGrpc;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One peer node on its own: what it refuses at the transport, what it reports, and that it restarts from disk. */
class PeerNodeTest {
    private static final int REQUEST_BYTES_MAX = 1024 * 1024;

    @TempDir
    Path directory;

    private SampleChannel channel;
    private NodeResources resources;
    private PeerConfig config;
    private PeerNode node;
    private ManagedChannel connection;

    @BeforeEach
    void start() throws Exception {
        channel = new SampleChannel(directory.resolve("crypto"), 1);
        Path genesis = Files.write(directory.resolve("testchannel.block"), channel.genesis.toByteArray());
        CryptoMaterial.Member member = channel.crypto.organization("Org1MSP").nodes().get(0);
        config = new PeerConfig(member.name(), "Org1MSP", member.mspDirectory(), member.tlsCertificate(), member.tlsKey(),
                new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0), directory.resolve("peer0"),
                List.of(new PeerConfig.ChannelEntry(SampleChannel.CHANNEL, genesis)), Optional.empty(), false,
                PeerConfig.GossipPreset.LAN, List.of(), REQUEST_BYTES_MAX, TimeWindow.DEFAULT_WINDOW, Duration.ofSeconds(10));
        resources = new NodeResources(2);
        node = PeerNode.start(config, resources);
    }

    @AfterEach
    void stop() {
        if (connection != null) {
            connection.shutdownNow();
        }
        node.close();
        resources.close();
    }

    private GatewayGrpc.GatewayBlockingStub gateway(SslContext tls) {
        connection = NettyChannelBuilder.forAddress("127.0.0.1", node.port()).sslContext(tls).build();
        return GatewayGrpc.newBlockingStub(connection).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private SslContext clientTls() {
        return TlsCredentials.of(channel.crypto.organization("Org1MSP").users().get(1), channel.crypto.msps()).clientContext();
    }

    private static EvaluateRequest evaluate(int proposalBytes) {
        return EvaluateRequest.newBuilder().setChannelId(SampleChannel.CHANNEL).setTransactionId("tx")
                .setProposedTransaction(SignedProposal.newBuilder()
                        .setProposalBytes(ByteString.copyFrom(new byte[proposalBytes])))
                .build();
    }

    @Test
    void aClientWithoutACertificateIsRefusedByMutualTls() throws Exception {
        List<X509Certificate> cas = channel.crypto.msps().stream().map(m -> m.tlsCaCertificate()).toList();
        SslContext noClientCertificate = GrpcSslContexts.forClient().trustManager(cas.toArray(X509Certificate[]::new)).build();
        assertThatThrownBy(() -> gateway(noClientCertificate).evaluate(evaluate(10)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    @Test
    void anOversizedRequestIsRefusedAndThePeerKeepsServing() {
        GatewayGrpc.GatewayBlockingStub gateway = gateway(clientTls());
        assertThatThrownBy(() -> gateway.evaluate(evaluate(REQUEST_BYTES_MAX + 1)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        // A malformed but small request still gets the Gateway's own answer.
        assertThatThrownBy(() -> gateway(clientTls()).evaluate(evaluate(10)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void statusAndMetricsReportTheLedger() throws Exception {
        Map<String, Object> status = node.status();
        assertThat(status).containsEntry("name", config.name()).containsEntry("mspId", "Org1MSP");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> channels = (Map<String, Map<String, Object>>) status.get("channels");
        assertThat(channels.get(SampleChannel.CHANNEL)).containsEntry("height", 1L).containsKeys("headHash", "stateHash");

        HttpResponse<String> metrics = OperationsEndpoint.get(node, "/metrics");
        assertThat(metrics.body()).contains("ledger_blockchain_height{channel=\"testchannel\"} 1.0")
                .contains("gossip_leader_election_leader{channel=\"testchannel\"} 0.0")
                .contains("gossip_membership_total_peers_known");
    }

    @Test
    void healthzOfANodeWithNoOrdererAndNoNeighbourIs503NamingTheNetworkCheck() throws Exception {
        HttpResponse<String> health = OperationsEndpoint.get(node, "/healthz");
        assertThat(health.statusCode()).isEqualTo(503);
        JsonObject body = JsonParser.parseString(health.body()).getAsJsonObject();
        assertThat(body.get("status").getAsString()).isEqualTo("Service Unavailable");
        // The ledger is open, so the network is the only check that fails.
        assertThat(body.getAsJsonObject("failed_checks").keySet()).containsExactly("network");
        assertThat(body.getAsJsonObject("failed_checks").get("network").getAsString())
                .isEqualTo("neither the orderer nor any neighbour is reachable");
    }

    @Test
    void aRestartedNodeResumesFromItsLedgerOnDisk() throws Exception {
        node.ledger(SampleChannel.CHANNEL).commit(channel.next(channel.genesis, channel.put("k", "v")));
        byte[] head = node.ledger(SampleChannel.CHANNEL).headHash();
        node.close();
        node = PeerNode.start(config, resources);
        assertThat(node.ledger(SampleChannel.CHANNEL).height()).isEqualTo(2);
        assertThat(node.ledger(SampleChannel.CHANNEL).headHash()).isEqualTo(head);
    }

    @Test
    void aGenesisBlockOfAnotherChannelIsRefusedBeforeAnythingStarts() {
        PeerConfig wrong = new PeerConfig(config.name(), config.mspId(), config.msp(), config.tlsCertificate(), config.tlsKey(),
                config.listen(), config.operations(), directory.resolve("other"),
                List.of(new PeerConfig.ChannelEntry("elsewhere", config.channels().get(0).genesis())), Optional.empty(), false,
                config.gossipPreset(), List.of(), config.requestBytesMax(), config.timeWindow(), config.endorsementTimeout());
        assertThatThrownBy(() -> PeerNode.start(wrong, resources)).hasMessageContaining("is the genesis block of channel 'testchannel'");
    }

    @Test
    void anAnchorWhoseCertificateIsNotOfTheOrganisationItClaimsIsRefusedBeforeAnythingStarts() throws Exception {
        Path certificate;
        try (var files = Files.list(config.msp().resolve("signcerts"))) {
            certificate = files.findFirst().orElseThrow();
        }
        for (String claimed : List.of("Org2MSP", "Org3MSP")) {
            PeerConfig claiming = new PeerConfig(config.name(), config.mspId(), config.msp(), config.tlsCertificate(),
                    config.tlsKey(), config.listen(), config.operations(), directory.resolve("claiming-" + claimed),
                    config.channels(), Optional.empty(), false, config.gossipPreset(), List.of(), config.requestBytesMax(),
                    config.timeWindow(), config.endorsementTimeout())
                    .withOverlay(OverlayConfig.of(List.of(new OverlayConfig.Anchor(claimed, certificate,
                            new HostPort("127.0.0.1", 7051)))));
            assertThatThrownBy(() -> PeerNode.start(claiming, resources)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("overlay.anchors: ")
                    .hasMessageContaining("of " + claimed + " at 127.0.0.1:7051 refused: ")
                    .hasMessageContaining(claimed.equals("Org2MSP") ? "is not a valid member of Org2MSP"
                            : "is not in the channel configuration [Org1MSP, Org2MSP]");
        }
        // The node that was running is untouched.
        assertThat(node.status()).containsEntry("name", config.name()).doesNotContainKey("overlay");
    }
}
