package io.hearsay.peer.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.ServerInterceptors;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.gossip.block.BlockGossipListener;
import io.hearsay.gossip.block.BlockLedger;
import io.hearsay.gossip.block.ForwardingBlockLedger;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.PkiId;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.ChannelGossip;
import io.hearsay.peer.GossipPeer;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.channel.LedgerCommitFeed;
import io.hearsay.peer.deliver.DeliverConfig;
import io.hearsay.peer.deliver.DeliverService;
import io.hearsay.peer.node.OrdererProcess;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.runtime.NodeRuntime;
import io.hearsay.peer.transport.TlsCredentials;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
 *
 * <p>Backpressure, end to end: an orderer with 200 blocks ready and a leader whose channel gossip commits into a
 * RocksDB ledger held shut by a gate (a committer far slower than the orderer). While the gate is shut the intake
 * receives one window of blocks and no more, even across an orderer restart; once it opens, every block commits, in
 * order, and never more than the window was handed to gossip beyond the committed height.
 */
class OrdererBlockIntakeGrpcTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int BLOCKS = 200;
    private static final int WINDOW = 16;

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
                        // One envelope per block: the orderer cuts as many blocks as it is sent transactions.
                        OrdererConfig.defaults().withBatchEnvelopesMax(1).withBatchTimeoutMillis(20), TimeWindow.defaults()),
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

    @Test
    void aSlowCommitterHoldsTheOrdererToTheWindowAndLosesNothingAcrossARestart() throws Exception {
        for (int i = 0; i < BLOCKS; i++) {
            assertThat(solo().submit(crypto.put("key" + i, "v" + i).toByteString())).isEqualTo(SoloOrderer.Admission.ACCEPTED);
        }
        await().atMost(WAIT).until(() -> solo().ledger().height() == BLOCKS + 1);

        CryptoMaterial.Member member = crypto.org1Peer();
        TlsCredentials tls = crypto.tls(member);
        Ledger ledger = Ledgers.rocks(directory.resolve("peer"), crypto.channel.genesis, LedgerOptions.defaults());
        GatedLedger gated = new GatedLedger(BlockLedger.of(ledger));
        GossipPeer peer = GossipPeer.start(GossipPeer.Settings.lan(member.name()), member.signingIdentity(), tls,
                new MspDirectory(crypto.channel.crypto.msps(), InstantSource.system()), resources, List.of(),
                16 * 1024 * 1024);
        AtomicReference<OrdererBlockIntake> intakeOf = new AtomicReference<>();
        List<Long> committed = new CopyOnWriteArrayList<>();
        ChannelGossip channel = peer.join(SampleChannel.CHANNEL, gated, Set.of("Org1MSP", "Org2MSP"),
                new BlockGossipListener() {
                    @Override
                    public void onBlockCommitted(long number, PkiId from) {
                        committed.add(number);
                        intakeOf.get().onCommitted(ledger.height());
                    }
                });
        AtomicLong handedOver = new AtomicLong();
        AtomicLong mostAheadOfCommitted = new AtomicLong();
        ManagedChannel toOrderer = OrdererBlockIntake.dial("127.0.0.1", orderer.port(), tls, 16 * 1024 * 1024);
        OrdererBlockIntake intake = new OrdererBlockIntake(
                new OrdererBlockIntake.Settings(SampleChannel.CHANNEL, 50, 500, WINDOW), member.signingIdentity(),
                ByteString.copyFrom(tls.certificateHash()), OrdererBlockIntake.grpc(toOrderer), ledger::height,
                block -> {
                    handedOver.incrementAndGet();
                    mostAheadOfCommitted.accumulateAndGet(block.getHeader().getNumber() + 1 - ledger.height(), Math::max);
                    channel.onOrdererBlock(block);
                },
                NodeRuntime.scheduler(resources.serialExecutor("intake"), resources.timers()), RandomSource.seeded(1),
                InstantSource.system());
        intakeOf.set(intake);
        try {
            intake.start();
            await().atMost(WAIT).until(() -> handedOver.get() == WINDOW);
            await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> handedOver.get() == WINDOW);
            assertThat(ledger.height()).as("the first commit is held at the gate").isEqualTo(1);

            // The orderer restarts mid-stream. What its old stream had sent beyond the window waits in the transport,
            // and gRPC reports the stream's end only after it (the intake asks for it as commits resume); nothing
            // new arrives meanwhile.
            int port = orderer.port();
            orderer.close();
            startOrderer(port);
            await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> handedOver.get() == WINDOW);

            gated.open();
            await().atMost(WAIT).until(() -> ledger.height() == BLOCKS + 1);
            // What the old stream had buffered may carry the ledger to the top before gRPC reports that stream's end.
            await().atMost(WAIT).untilAsserted(() -> assertThat(intake.attempts())
                    .as("the stream cut by the restart was replaced").isGreaterThanOrEqualTo(2));
            assertThat(committed).as("every block committed once, in order")
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, BLOCKS).boxed().toList());
            assertThat(mostAheadOfCommitted.get()).as("blocks handed to gossip beyond the committed height")
                    .isLessThanOrEqualTo(WINDOW);
            for (long number = 1; number <= BLOCKS; number++) {
                assertThat(ledger.block(number).orElseThrow().getHeader())
                        .isEqualTo(solo().ledger().block(number).orElseThrow().getHeader());
            }
            System.out.printf("backpressure: window %d, %d blocks committed, %d handed over (%d re-sent after the "
                    + "restart) on %d streams, at most %d ahead of the committed height%n", WINDOW, BLOCKS,
                    handedOver.get(), handedOver.get() - BLOCKS, intake.attempts(), mostAheadOfCommitted.get());
        } finally {
            gated.open();
            intake.close();
            toOrderer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            peer.close();
            ledger.close();
        }
    }

    /** A ledger whose commits wait at a gate until the test opens it: a committer slower than any orderer. */
    private static final class GatedLedger extends ForwardingBlockLedger {
        private final CountDownLatch gate = new CountDownLatch(1);

        GatedLedger(BlockLedger delegate) {
            super(delegate);
        }

        void open() {
            gate.countDown();
        }

        @Override
        public void commit(Block block) throws BlockRejectedException {
            awaitGate();
            super.commit(block);
        }

        @Override
        public void commitAll(List<Block> blocks) throws BlockRejectedException {
            awaitGate();
            super.commitAll(blocks);
        }

        private void awaitGate() {
            try {
                if (!gate.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the test never opened the commit gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at the commit gate", e);
            }
        }
    }
}
