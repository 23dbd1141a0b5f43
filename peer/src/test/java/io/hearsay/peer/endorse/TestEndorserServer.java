package io.hearsay.peer.endorse;

import io.hearsay.identity.CryptoMaterial;
import io.hearsay.ledger.Ledger;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.contract.Contracts;
import io.hearsay.peer.gateway.LoopbackTlsServer;
import io.hearsay.peer.transport.TlsCredentials;
import java.util.concurrent.Executor;

/**
 * One peer's {@link EndorserService} on a real gRPC server on loopback with mutual TLS, over its own ledger: the
 * other organisation's peer that a gateway asks to endorse.
 */
public final class TestEndorserServer implements AutoCloseable {
    private final LoopbackTlsServer server;
    private final CryptoMaterial.Member member;

    public TestEndorserServer(TestChannel channel, CryptoMaterial.Member member, Ledger ledger, Executor executor) {
        this.member = member;
        TlsCredentials tls = TlsCredentials.of(member, channel.sample.crypto.msps());
        ProposalChecker checker = new ProposalChecker(TestChannel.registry(ledger), Contracts.builtIn(), TimeWindow.defaults());
        LocalEndorser endorser = new LocalEndorser(member.signingIdentity(), "localhost");
        server = LoopbackTlsServer.start(tls, new EndorserService(checker, endorser, executor));
    }

    /** Where to ask it: localhost, its certificate checked against the peer's own host name. */
    public EndorserDirectory.Endpoint endpoint() {
        return new EndorserDirectory.Endpoint("localhost:" + server.port(), member.name());
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }
}
