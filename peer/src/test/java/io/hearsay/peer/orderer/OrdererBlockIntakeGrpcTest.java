package io.hearsay.peer.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.ServerInterceptors;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.channel.LedgerCommitFeed;
import io.hearsay.peer.node.OrdererProcess;
import io.hearsay.peer.deliver.DeliverConfig;
import io.hearsay.peer.deliver.DeliverService;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.runtime.NodeRuntime;
import io.hearsay.peer.transport.TlsCredentials;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Payload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block intake over real gRPC and mutual TLS, against the orderer node serving the real {@link DeliverService}
 * over each chain's {@link LedgerCommitFeed}, wired as {@code OrdererProcess} wires it (seeks recorded on the way
 * in by a {@link SeekRecorder}): the orderer accepts the peer's signed seek, the peer receives the chain from its
 * height on, and after the orderer restarts the intake reconnects by itself and resumes without gaps or repeats.
 */
class OrdererBlockIntakeGrpcTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path cryptoDirectory;
    private static OrdererCrypto crypto;

    @TempDir
    Path directory;
    private NodeResources resources;
    private OrdererNode orderer;
    private ExecutorService feedExecutor;
    private final SeekRecorder deliver = new SeekRecorder();

    @BeforeAll
    static void generateCrypto() {
        crypto = new OrdererCrypto(cryptoDirectory);
    }

    @BeforeEach
    void start() throws Exception {
        resources = new NodeResources(2);
        feedExecutor = Executors.newSingleThreadExecutor();
        startOrderer(0);
    }

    private void startOrderer(int port) throws Exception {
        orderer = OrdererNode.start(
                new OrdererNode.Settings(new InetSocketAddress("127.0.0.1", port), directory.resolve("orderer"),
                        OrdererConfig.defaults().withBatchTimeoutMillis(20), TimeWindow.defaults()),
                List.of(crypto.channel.genesis), crypto.channel.orderer, crypto.tls(crypto.ordererNode()), resources,
                OrdererProcess.commitFeeds(feedExecutor),
                channels -> List.<BindableService>of(() -> ServerInterceptors.intercept(
                        new DeliverService(channels, TimeWindow.defaults(), DeliverConfig.defaults()).intercepted(), deliver)));
    }

    @AfterEach
    void stop() {
        orderer.close();
        resources.close();
        feedExecutor.shutdownNow();
    }

    private SoloOrderer solo() {
        return orderer.channels().orderer(SampleChannel.CHANNEL).orElseThrow();
    }

    private void order(String key) {
        long before = solo().ledger().height();
        solo().submit(crypto.put(key, "v").toByteString());
        await().atMost(WAIT).until(() -> solo().ledger().height() == before + 1);
    }

    @Test
    void takesTheChainFromTheHeightOnAndResumesAfterTheOrdererRestarts() throws Exception {
        order("a");
        order("b");
        order("c");
        TlsCredentials tls = crypto.tls(crypto.org1Peer());
        List<Block> received = new CopyOnWriteArrayList<>();
        // The peer already has blocks 0 and 1.
        received.add(solo().ledger().block(0).orElseThrow());
        received.add(solo().ledger().block(1).orElseThrow());
        ManagedChannel channel = OrdererBlockIntake.dial("127.0.0.1", orderer.port(), tls, 16 * 1024 * 1024);
        OrdererBlockIntake intake = new OrdererBlockIntake(
                new OrdererBlockIntake.Settings(SampleChannel.CHANNEL, 50, 500), crypto.channel.org1Peer,
                ByteString.copyFrom(tls.certificateHash()), OrdererBlockIntake.grpc(channel), () -> received.size(),
                received::add, NodeRuntime.scheduler(resources.serialExecutor("intake"), resources.timers()),
                RandomSource.seeded(1), InstantSource.system());
        try {
            intake.start();
            await().atMost(WAIT).until(() -> received.size() == 4);
            ChannelHeader seek = ChannelHeader.parseFrom(
                    Payload.parseFrom(deliver.seeks.get(0).getPayload()).getHeader().getChannelHeader());
            assertThat(seek.getTlsCertHash().toByteArray()).isEqualTo(tls.certificateHash());

            int port = orderer.port();
            orderer.close();
            await().atMost(WAIT).until(() -> !intake.streaming());
            startOrderer(port);
            order("d");
            order("e");
            await().atMost(WAIT).until(() -> received.size() == 6);
            assertThat(intake.attempts()).isGreaterThanOrEqualTo(2);
            assertThat(received).extracting(b -> b.getHeader().getNumber())
                    .containsExactlyElementsOf(LongStream.range(0, 6).boxed().toList());
            for (Block block : received) {
                assertThat(block.getHeader()).isEqualTo(solo().ledger().block(block.getHeader().getNumber()).orElseThrow().getHeader());
            }
        } finally {
            intake.close();
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
