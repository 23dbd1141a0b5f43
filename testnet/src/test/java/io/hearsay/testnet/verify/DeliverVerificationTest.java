package io.hearsay.testnet.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.ledger.Ledger;
import io.hearsay.testnet.spec.ConnectionProfile;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DeliverChainSource} end to end: the official Fabric Gateway SDK reads two peers' RocksDB ledgers over
 * mutual TLS as the connection profile's clients (through the node's real Deliver service, {@link
 * PeerDeliverServer}), with heights and state hashes from each peer's {@code /status} over HTTP. Agreeing peers pass;
 * a peer fed a fork fails at the fork's height.
 */
class DeliverVerificationTest {
    static final String ORG1_PEER = "peer0.org1.example.com";
    static final String ORG2_PEER = "peer0.org2.example.com";
    static final DeliverReadOptions TIMEOUTS = new DeliverReadOptions(Duration.ofSeconds(5), Duration.ofSeconds(30));

    @TempDir
    Path directory;
    VerifierNetwork network;
    HttpServer operations;
    final List<PeerDeliverServer> servers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        network = new VerifierNetwork(directory, ORG1_PEER, ORG2_PEER);
        network.commitToAll(network.channel.put("colour", "blue"));
        network.commitToAll(network.bank("alice", "100", "bob", "50"));
        operations = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        operations.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (PeerDeliverServer server : servers) {
            server.close();
        }
        operations.stop(0);
        network.close();
    }

    @Test
    void agreeingPeersReadThroughTheGatewaySdkPass() throws Exception {
        VerificationReport report = new ConsistencyVerifier().verify(
                DeliverChainSource.forProfile(startPeers(), "testchannel", TIMEOUTS));

        assertThat(report.findings()).isEmpty();
        assertThat(report.peers()).extracting(PeerSummary::peer).containsExactly(ORG1_PEER, ORG2_PEER);
        assertThat(report.peers()).allSatisfy(peer -> {
            assertThat(peer.height()).isEqualTo(3);
            assertThat(peer.bankTotal()).isEqualTo(BigInteger.valueOf(150));
            assertThat(peer.stateHash()).contains(HexFormat.of().formatHex(network.ledger(ORG1_PEER).stateHash()));
        });
    }

    @Test
    void aForkedPeerReadThroughTheGatewaySdkFailsAtTheForkHeight() throws Exception {
        Block head = network.head(ORG1_PEER);
        network.commit(List.of(ORG1_PEER), network.channel.put("colour", "green"));
        network.ledger(ORG2_PEER).commit(network.channel.next(head, network.channel.put("colour", "black")));

        VerificationReport report = new ConsistencyVerifier().verify(
                DeliverChainSource.forProfile(startPeers(), "testchannel", TIMEOUTS));

        Finding first = report.firstDivergence().orElseThrow();
        assertThat(first.check()).isEqualTo(Check.FORK);
        assertThat(first.height()).isEqualTo(3);
        assertThat(first.detail()).contains(ORG1_PEER).contains(ORG2_PEER);
        assertThat(report.findings()).extracting(Finding::check).containsExactly(Check.FORK, Check.STATE_HASH);
        assertThat(report.exitCode()).isEqualTo(VerificationReport.EXIT_INCONSISTENT);
    }

    /** A Deliver server and a /status per peer, and the connection profile that points at them. */
    private ConnectionProfile startPeers() throws IOException {
        CryptoMaterial crypto = network.channel.crypto;
        List<ConnectionProfile.Organization> organizations = new ArrayList<>();
        for (String mspId : List.of("Org1MSP", "Org2MSP")) {
            CryptoMaterial.Organization organization = crypto.organization(mspId);
            CryptoMaterial.Member node = organization.nodes().get(0);
            Ledger ledger = network.ledger(node.name());
            PeerDeliverServer server = new PeerDeliverServer(ledger, crypto, node);
            servers.add(server);
            serveStatus("/" + node.name(), ledger);
            organizations.add(new ConnectionProfile.Organization(mspId, List.of(new ConnectionProfile.Peer(node.name(),
                    server.endpoint(), node.tlsCaCertificate(), node.name(),
                    Optional.of("http://127.0.0.1:" + operations.getAddress().getPort() + "/" + node.name()))),
                    ConnectionProfile.Client.of(organization.users().get(1))));
        }
        return new ConnectionProfile("test", List.of("testchannel"), organizations);
    }

    /** The peer's /status as the verifier assumes it (see {@link PeerStatus}). */
    private void serveStatus(String prefix, Ledger ledger) {
        operations.createContext(prefix + "/status", exchange -> {
            HexFormat hex = HexFormat.of();
            byte[] body = ("{\"channels\": {\"testchannel\": {\"height\": " + ledger.height() + ", \"headHash\": \""
                    + hex.formatHex(ledger.headHash()) + "\", \"stateHash\": \"" + hex.formatHex(ledger.stateHash())
                    + "\"}}}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }
}
