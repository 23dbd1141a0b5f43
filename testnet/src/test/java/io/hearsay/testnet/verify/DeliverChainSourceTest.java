package io.hearsay.testnet.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.testnet.spec.ConnectionProfile;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts of reading a running peer that need no peer: its {@code /status} is read over real HTTP on loopback as
 * assumed, and a peer whose status or Deliver service cannot be reached becomes that peer's read failure in the
 * verifier's report, with the reason, within the time limits. (Reading blocks from a live peer waits for the node.)
 */
class DeliverChainSourceTest {
    private static final String STATUS = """
            {"channels": {"testchannel": {"height": 3, "headHash": "0a0b", "stateHash": "c0ffee"}}, "neighbours": []}
            """;

    @TempDir
    Path directory;
    HttpServer operations;
    volatile String statusBody = STATUS;

    @BeforeEach
    void startOperationsEndpoint() throws IOException {
        operations = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        operations.createContext("/status", exchange -> {
            byte[] body = statusBody.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        operations.start();
    }

    @AfterEach
    void stop() {
        operations.stop(0);
    }

    @Test
    void theStatusIsReadPerChannel() {
        PeerStatus status = PeerStatus.fetch(HttpClient.newHttpClient(), operationsUrl(), "testchannel",
                Duration.ofSeconds(5));

        assertThat(status.height()).isEqualTo(3);
        assertThat(status.stateHash()).hasValueSatisfying(hash -> assertThat(HexFormat.of().formatHex(hash)).isEqualTo("c0ffee"));
        assertThat(status.headHash()).isPresent();
    }

    @Test
    void aStatusWithoutTheChannelOrAHeightIsRefusedClearly() {
        assertThatThrownBy(() -> PeerStatus.fetch(HttpClient.newHttpClient(), operationsUrl(), "other",
                Duration.ofSeconds(5))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/status: the peer is not on channel other; it reports [testchannel]");
        assertThatThrownBy(() -> PeerStatus.parse("{\"channels\": {\"c\": {\"stateHash\": \"00\"}}}", "c"))
                .hasMessage("channel c has no height (a non-negative number)");
        assertThatThrownBy(() -> PeerStatus.parse("[1]", "c")).hasMessage("the status has no \"channels\" object");
        assertThatThrownBy(() -> PeerStatus.parse("{\"channels\": {\"c\": {\"height\": 1, \"stateHash\": \"xyz\"}}}", "c"))
                .hasMessageContaining("stateHash is not hex");
    }

    @Test
    void aPeerWhoseDeliverServiceIsDownIsAReadFailureNamingIt() throws IOException {
        ConnectionProfile profile = profile(new SampleChannel(directory).crypto, Optional.of(operationsUrl()));
        List<ChainSource> sources = DeliverChainSource.forProfile(profile, "testchannel",
                new DeliverReadOptions(Duration.ofSeconds(5), Duration.ofSeconds(10)));

        VerificationReport report = new ConsistencyVerifier().verify(sources);

        Finding first = report.firstDivergence().orElseThrow();
        assertThat(first.check()).isEqualTo(Check.READ_FAILURE);
        assertThat(first.peers()).containsExactly("peer0.org1.example.com");
        assertThat(first.detail()).startsWith("cannot read block 0: ");
        assertThat(report.exitCode()).isEqualTo(VerificationReport.EXIT_INCONSISTENT);
    }

    @Test
    void aPeerWithoutAnOperationsUrlIsAskedItsHeightByDeliverAndIsAReadFailureWhenDown() throws IOException {
        ConnectionProfile profile = profile(new SampleChannel(directory).crypto, Optional.empty());

        VerificationReport report = new ConsistencyVerifier().verify(
                DeliverChainSource.forProfile(profile, "testchannel", DeliverReadOptions.defaults()));

        Finding first = report.firstDivergence().orElseThrow();
        assertThat(first.check()).isEqualTo(Check.READ_FAILURE);
        assertThat(first.detail()).startsWith("cannot read its chain: cannot ask Deliver for the newest block: UNAVAILABLE");
        assertThatThrownBy(() -> DeliverChainSource.forProfile(profile, "nochannel", DeliverReadOptions.defaults()))
                .hasMessage("channel nochannel is not in the connection profile; it lists [testchannel]");
    }

    private String operationsUrl() {
        return "http://127.0.0.1:" + operations.getAddress().getPort();
    }

    /** Org1's first peer at a loopback port nothing listens on. */
    private static ConnectionProfile profile(CryptoMaterial crypto, Optional<String> operations) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        CryptoMaterial.Organization org1 = crypto.organization("Org1MSP");
        CryptoMaterial.Member peer = org1.nodes().get(0);
        return new ConnectionProfile("test", List.of("testchannel"), List.of(new ConnectionProfile.Organization("Org1MSP",
                List.of(new ConnectionProfile.Peer(peer.name(), "127.0.0.1:" + closedPort, peer.tlsCaCertificate(),
                        peer.name(), operations)),
                ConnectionProfile.Client.of(org1.users().get(1)))));
    }
}
