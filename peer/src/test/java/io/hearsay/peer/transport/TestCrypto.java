package io.hearsay.peer.transport;

import static org.awaitility.Awaitility.await;

import io.hearsay.identity.CryptoGen;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.OrgSpec;
import io.hearsay.identity.OrganizationMsp;
import io.hearsay.ledger.sample.SampleChannel;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Crypto for the transport tests, generated once per test class (key generation is the slow part): the sample
 * channel's two peer organisations of three peers each plus its orderer, and two organisations the channel
 * has never heard of — Org3MSP, and an impostor that calls itself Org1MSP but has its own CAs.
 */
final class TestCrypto {
    final SampleChannel channel;
    /** What every test peer trusts: the channel's organisations only. */
    final MspDirectory organizations;
    final CryptoMaterial foreign;
    final CryptoMaterial impostor;

    TestCrypto(Path directory) {
        channel = new SampleChannel(directory.resolve("channel"), 1, 3);
        organizations = new MspDirectory(channel.crypto.msps(), InstantSource.system());
        CryptoGen generator = CryptoGen.withDefaults();
        foreign = generator.generate(directory.resolve("foreign"), List.of(OrgSpec.peers("Org3MSP", "org3.example.com", 1)));
        impostor = generator.generate(directory.resolve("impostor"), List.of(OrgSpec.peers("Org1MSP", "org1.example.com", 1)));
    }

    /** Peer {@code index} of {@code mspId} ("Org1MSP" or "Org2MSP"). */
    CryptoMaterial.Member peer(String mspId, int index) {
        return channel.crypto.organization(mspId).nodes().get(index);
    }

    /** A channel member's TLS credentials, trusting the channel's TLS CAs, as a real peer's. */
    TlsCredentials tls(CryptoMaterial.Member member) {
        return TlsCredentials.of(member, channel.crypto.msps());
    }

    /** A started transport for Org1 peer {@code index}, listening on a free loopback port; the caller closes it. */
    GossipNetwork network(int index, GossipTransportConfig config, GossipNetwork.Inbound inbound,
            ScheduledExecutorService timers) {
        CryptoMaterial.Member member = peer("Org1MSP", index);
        return new GossipNetwork(config, member.signingIdentity(), tls(member), organizations, timers, inbound)
                .start(new InetSocketAddress("127.0.0.1", 0));
    }

    /** Has {@code dialler} dial {@code acceptor} and waits until both see the connection. */
    static void connect(GossipNetwork dialler, GossipNetwork acceptor, Duration wait) {
        dialler.connect(acceptor.self(), "127.0.0.1", acceptor.port());
        await().atMost(wait).until(() -> dialler.isConnected(acceptor.self()) && acceptor.isConnected(dialler.self()));
    }

    /**
     * {@code member}'s TLS key and certificate, trusting the channel's TLS CAs and also {@code outsider}'s: how an
     * outsider dials a channel peer, or how a channel peer with a broader TLS trust store than its MSPs listens.
     */
    TlsCredentials tlsAlsoTrusting(CryptoMaterial.Member member, CryptoMaterial outsider) {
        List<OrganizationMsp> trusted = new ArrayList<>(channel.crypto.msps());
        trusted.addAll(outsider.msps());
        return TlsCredentials.of(member, trusted);
    }
}
