package io.hearsay.peer.deliver;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.Pem;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.channel.ChannelRegistry;
import io.hearsay.peer.channel.TestChain;
import io.hearsay.peer.gateway.CommitGateway;
import io.hearsay.peer.gateway.GatewayService;
import io.hearsay.peer.gateway.ProposalHandler;
import io.hearsay.peer.transport.TlsCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
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
    /** Every client call gets a deadline (pitfall P16), long enough for a slow machine. */
    public static final Duration CALL_DEADLINE = Duration.ofSeconds(30);

    private final Server server;
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
        TlsCredentials tls = TlsCredentials.of(peer, channelCrypto.msps());
        GatewayService gateway = new GatewayService(new Unimplemented(), new CommitGateway(registry));
        try {
            server = NettyServerBuilder.forPort(0)
                    .sslContext(tls.serverContext())
                    .addService(new DeliverService(registry, window, config).intercepted())
                    .addService(gateway)
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** The channel's client user (User1 of Org1MSP). */
    public CryptoMaterial.Member channelClient() {
        return channelCrypto.organization("Org1MSP").users().get(1);
    }

    /** A mutual-TLS connection presenting {@code tlsMember}'s TLS certificate. */
    public ManagedChannel dial(CryptoMaterial.Member tlsMember) {
        return NettyChannelBuilder.forAddress("localhost", port())
                .sslContext(tls(tlsMember).clientContext())
                .build();
    }

    public TlsCredentials tls(CryptoMaterial.Member member) {
        return TlsCredentials.of(member, channelCrypto.msps());
    }

    /** An official client signing as {@code signer}, over {@code connection}, every call with a deadline. */
    public static Gateway.Builder gateway(ManagedChannel connection, CryptoMaterial.Member signer) {
        return Gateway.newInstance()
                .identity(new X509Identity(signer.signingIdentity().mspId(), signCertificate(signer)))
                .signer(Signers.newPrivateKeySigner(signKey(signer)))
                .connection(connection)
                .commitStatusOptions(options -> options.withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                .chaincodeEventsOptions(options -> options.withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                .blockEventsOptions(options -> options.withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                .filteredBlockEventsOptions(options -> options.withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                .blockAndPrivateDataEventsOptions(options -> options.withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
    }

    static X509Certificate signCertificate(CryptoMaterial.Member member) {
        return Pem.decodeCertificate(read(only(member.mspDirectory().resolve("signcerts"))));
    }

    static PrivateKey signKey(CryptoMaterial.Member member) {
        return Pem.decodePrivateKey(read(only(member.mspDirectory().resolve("keystore"))));
    }

    private static Path only(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.findFirst().orElseThrow(() -> new IllegalStateException("no file in " + directory));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(10, TimeUnit.SECONDS);
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
