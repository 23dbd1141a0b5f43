package io.hearsay.peer.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against an orderer that reads envelopes but never answers (over real mutual TLS): an overdue answer
 * fails as unreachable, together with every envelope
 * behind it, and the stream is cancelled and replaced; and the number of unanswered envelopes is bounded.
 */
class GrpcOrdererClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path cryptoDirectory;
    private static OrdererCrypto crypto;

    private final AtomicInteger streams = new AtomicInteger();
    private final AtomicInteger cancelled = new AtomicInteger();
    private final ScheduledExecutorService timers = new ScheduledThreadPoolExecutor(1);
    private Server silent;

    @BeforeAll
    static void generateCrypto() {
        crypto = new OrdererCrypto(cryptoDirectory);
    }

    @BeforeEach
    void startSilentOrderer() throws Exception {
        silent = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(crypto.tls(crypto.ordererNode()).serverContext())
                .addService(new AtomicBroadcastGrpc.AtomicBroadcastImplBase() {
                    @Override
                    public StreamObserver<Envelope> broadcast(StreamObserver<BroadcastResponse> responses) {
                        streams.incrementAndGet();
                        return new StreamObserver<>() {
                            @Override
                            public void onNext(Envelope envelope) {
                            }

                            @Override
                            public void onError(Throwable error) {
                                cancelled.incrementAndGet();
                            }

                            @Override
                            public void onCompleted() {
                            }
                        };
                    }
                })
                .build()
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        silent.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        timers.shutdownNow();
    }

    private GrpcOrdererClient client(long timeoutMillis, int pendingMax) {
        return new GrpcOrdererClient(new GrpcOrdererClient.Settings("127.0.0.1", silent.getPort(), timeoutMillis, pendingMax,
                OrdererConfig.defaults().inboundMessageBytesMax()), crypto.tls(crypto.org1Peer()), timers);
    }

    private static OrdererException failure(CompletableFuture<Void> answer) {
        Throwable thrown = catchThrowable(() -> answer.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(thrown).hasCauseInstanceOf(OrdererException.class);
        return (OrdererException) thrown.getCause();
    }

    @Test
    void anOverdueAnswerFailsAsUnreachableAndTheStreamIsReplaced() {
        // Long enough for the first TLS connection to be set up before the answer is overdue, so the orderer sees
        // the stream that is then cancelled.
        long timeoutMillis = 1_500;
        try (GrpcOrdererClient client = client(timeoutMillis, 100)) {
            CompletableFuture<Void> first = client.broadcast(crypto.put("a", "1"));
            CompletableFuture<Void> second = client.broadcast(crypto.put("b", "2"));
            await().atMost(WAIT).until(() -> streams.get() == 1);
            OrdererException overdue = failure(first);
            assertThat(overdue.unreachable()).isTrue();
            assertThat(overdue.getMessage()).contains("did not answer within " + timeoutMillis + " ms");
            assertThat(failure(second).unreachable()).as("everything pending on the stream fails with it").isTrue();
            await().atMost(WAIT).until(() -> cancelled.get() == 1);

            CompletableFuture<Void> third = client.broadcast(crypto.put("c", "3"));
            await().atMost(WAIT).until(() -> streams.get() == 2);
            assertThat(failure(third).unreachable()).isTrue();
        }
    }

    @Test
    void boundsTheEnvelopesAwaitingAnAnswer() {
        try (GrpcOrdererClient client = client(5_000, 2)) {
            client.broadcast(crypto.put("a", "1"));
            client.broadcast(crypto.put("b", "2"));
            CompletableFuture<Void> third = client.broadcast(crypto.put("c", "3"));
            assertThat(third).isCompletedExceptionally();
            OrdererException busy = failure(third);
            assertThat(busy.unreachable()).isFalse();
            assertThat(busy.status()).isEqualTo(Status.SERVICE_UNAVAILABLE);
        }
    }
}
