package io.hearsay.testnet.verify;

import com.sun.net.httpserver.HttpServer;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.Ledger;
import io.hearsay.testnet.spec.ConnectionProfile;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Two peers, the first of Org1 and of Org2, with a {@link VerifierNetwork}'s ledgers, served as running peers are: the node's real
 * Deliver service over mutual TLS ({@link PeerDeliverServer}) and a {@code /status} over HTTP with the ledger's
 * height and hashes, and the connection profile that points at them with each organisation's User1 as client.
 */
final class DeliverPeers implements AutoCloseable {
    static final String CHANNEL = "testchannel";
    static final String ORG1_PEER = "peer0.org1.example.com";
    static final String ORG2_PEER = "peer0.org2.example.com";

    final VerifierNetwork network;
    private final HttpServer operations;
    private final List<PeerDeliverServer> servers = new ArrayList<>();

    private DeliverPeers(VerifierNetwork network) throws IOException {
        this.network = network;
        operations = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        operations.start();
    }

    /**
     * {@link #ORG1_PEER} and {@link #ORG2_PEER} with ledgers in {@code directory} holding blocks 1 (a kv write) and 2
     * (opening balances alice 100, bob 50); not yet served: {@link #start()} does that.
     */
    static DeliverPeers withCommonHistory(Path directory) throws Exception {
        VerifierNetwork network = new VerifierNetwork(directory, ORG1_PEER, ORG2_PEER);
        try {
            network.commitToAll(network.channel.put("colour", "blue"));
            network.commitToAll(network.bank("alice", "100", "bob", "50"));
            return new DeliverPeers(network);
        } catch (Exception | Error e) {
            network.close();
            throw e;
        }
    }

    /** Forks the chain at height 3: ORG1 takes one block 3, ORG2 another, both validly signed by the orderer. */
    void fork() throws BlockRejectedException {
        Block head = network.head(ORG1_PEER);
        network.commit(List.of(ORG1_PEER), network.channel.put("colour", "green"));
        network.ledger(ORG2_PEER).commit(network.channel.next(head, network.channel.put("colour", "black")));
    }

    /** Starts a Deliver server and a /status per peer; returns the profile that points at them. */
    ConnectionProfile start() throws IOException {
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
        return new ConnectionProfile("test", List.of(CHANNEL), organizations);
    }

    /** {@code profile} with no operations URL for {@code peers}: their heights must come from Deliver. */
    static ConnectionProfile withoutOperations(ConnectionProfile profile, String... peers) {
        List<String> names = List.of(peers);
        return new ConnectionProfile(profile.name(), profile.channels(), profile.organizations().stream()
                .map(organization -> new ConnectionProfile.Organization(organization.mspId(), organization.peers().stream()
                        .map(peer -> names.contains(peer.name()) ? new ConnectionProfile.Peer(peer.name(), peer.endpoint(),
                                peer.tlsCaCert(), peer.serverName(), Optional.empty()) : peer)
                        .toList(), organization.client()))
                .toList());
    }

    /** The peer's /status as the verifier assumes it (see {@link PeerStatus}). */
    private void serveStatus(String prefix, Ledger ledger) {
        operations.createContext(prefix + "/status", exchange -> {
            HexFormat hex = HexFormat.of();
            byte[] body = ("{\"channels\": {\"" + CHANNEL + "\": {\"height\": " + ledger.height() + ", \"headHash\": \""
                    + hex.formatHex(ledger.headHash()) + "\", \"stateHash\": \"" + hex.formatHex(ledger.stateHash())
                    + "\"}}}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        for (PeerDeliverServer server : servers) {
            server.close();
        }
        operations.stop(0);
        network.close();
    }
}
