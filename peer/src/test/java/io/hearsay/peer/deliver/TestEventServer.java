package io.hearsay.peer.deliver;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.channel.ChannelRegistry;
import io.hearsay.peer.channel.TestChain;
import io.hearsay.peer.gateway.CommitGateway;
import io.hearsay.peer.gateway.GatewayClients;
import io.hearsay.peer.gateway.GatewayService;
import io.hearsay.peer.gateway.LoopbackTlsServer;
import io.hearsay.peer.gateway.ProposalHandler;
import io.hearsay.peer.transport.TlsCredentials;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.protos.gateway.EndorseRequest;
import org.hyperledger.fabric.protos.gateway.EndorseResponse;
import org.hyperledger.fabric.protos.gateway.EvaluateRequest;
import org.hyperledger.fabric.protos.gateway.EvaluateResponse;
import org.hyperledger.fabric.protos.gateway.SubmitRequest;
import org.hyperledger.fabric.protos.gateway.SubmitResponse;

/**
 * A node's client-facing event services for one {@link TestChain}, on loopback with mutual TLS: {@link
 * DeliverService} (behind its TLS-certificate interceptor) and the Gateway with {@link CommitGateway} as its
 * commit half (its endorsement half answers UNIMPLEMENTED: these tests submit by committing blocks directly).
 * Also makes official Fabric Gateway clients for members of the channel or of other organisations.
 */
public final class TestEventServer implements AutoCloseable {
    private final LoopbackTlsServer server;
    private final CryptoMaterial channelCrypto;

    public TestEventServer(TestChain chain, DeliverConfig config) {
        this(chain, config, TimeWindow.defaults());
    }

    public TestEventServer(TestChain chain, DeliverConfig config, TimeWindow window) {
        this(chain, chain.registry(), config, window);
    }

    /** Serves {@code registry} (e.g. the chain seen through an instrumented feed) with the chain's crypto. */
    public TestEventServer(TestChain chain, ChannelRegistry registry, DeliverConfig config, TimeWindow window) {
        this.channelCrypto = chain.sample.crypto;
        CryptoMaterial.Member peer = channelCrypto.organization("Org1MSP").nodes().get(0);
        GatewayService gateway = new GatewayService(new Unimplemented(), new CommitGateway(registry));
        server = LoopbackTlsServer.start(tls(peer),
                new DeliverService(registry, window, config).intercepted(), gateway.bindService());
    }

    public int port() {
        return server.port();
    }

    /** The channel's client user (User1 of Org1MSP). */
    public CryptoMaterial.Member channelClient() {
        return channelCrypto.organization("Org1MSP").users().get(1);
    }

    /** A mutual-TLS connection presenting {@code tlsMember}'s TLS certificate. */
    public ManagedChannel dial(CryptoMaterial.Member tlsMember) {
        return GatewayClients.dial("localhost", port(), tls(tlsMember));
    }

    /**
     * A mutual-TLS connection whose HTTP/2 window is fixed at {@code windowBytes} (no auto-tuning), so a client
     * that stops reading fills it after a known number of bytes: how the backpressure tests make "full" come soon.
     */
    public ManagedChannel dialWithFixedWindow(CryptoMaterial.Member tlsMember, int windowBytes) {
        return NettyChannelBuilder.forAddress("localhost", port())
                .sslContext(tls(tlsMember).clientContext())
                .initialFlowControlWindow(windowBytes)
                .maxInboundMessageSize(16 * 1024 * 1024)
                .build();
    }

    public TlsCredentials tls(CryptoMaterial.Member member) {
        return TlsCredentials.of(member, channelCrypto.msps());
    }

    /** An official client signing as {@code signer}, over {@code connection}, every call with a deadline. */
    public static Gateway.Builder gateway(ManagedChannel connection, CryptoMaterial.Member signer) {
        return GatewayClients.builder(connection, signer);
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }

    /** The endorsement half is another component's; these tests never call it. */
    private static final class Unimplemented implements ProposalHandler {
        @Override
        public void evaluate(EvaluateRequest request, StreamObserver<EvaluateResponse> response) {
            response.onError(Status.UNIMPLEMENTED.asRuntimeException());
        }

        @Override
        public void endorse(EndorseRequest request, StreamObserver<EndorseResponse> response) {
            response.onError(Status.UNIMPLEMENTED.asRuntimeException());
        }

        @Override
        public void submit(SubmitRequest request, StreamObserver<SubmitResponse> response) {
            response.onError(Status.UNIMPLEMENTED.asRuntimeException());
        }
    }
}
