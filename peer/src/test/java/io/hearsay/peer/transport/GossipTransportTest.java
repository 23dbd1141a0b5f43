package io.hearsay.peer.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.PkiId;
import io.hearsay.peer.GossipPeer;
import io.hearsay.peer.transport.TransportCounters.Counter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The transport's own guarantees, on {@link GossipNetwork}s over loopback with mutual TLS and no protocol on
 * top (each {@link Inbound} records what arrives): a control message overtakes a large bulk transfer; every
 * send queue is bounded and a full one refuses and counts, while a slow receiver slows its sender through
 * flow control; the configured maximum message size holds at the sender and at the receiver, whichever side
 * dialled; a neighbour that does not finish its handshake is dropped at the deadline; and a peer that restarts
 * on its port is redialled.
 */
class GossipTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path cryptoDirectory;
    static TestCrypto crypto;

    @TempDir
    Path directory;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "transport-test-timer");
        thread.setDaemon(true);
        return thread;
    });
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void generate() {
        crypto = new TestCrypto(cryptoDirectory);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        timers.shutdownNow();
    }

    // ---- lanes ----

    /**
     * 20 MiB on the bulk lane, then a small control message: the control message arrives first, after at most a
     * few of the bulk message's 320 chunks, and the bulk message arrives whole. Both directions of a stream:
     * the dialler's side (client call) and the acceptor's (server call) queue and pump alike.
     */
    @ParameterizedTest(name = "dialler sends: {0}")
    @ValueSource(booleans = {true, false})
    void controlMessageOvertakesALargeBulkTransfer(boolean diallerSends) {
        GossipTransportConfig config = GossipTransportConfig.defaults();
        Recorder atDialler = new Recorder();
        Recorder atAcceptor = new Recorder();
        GossipNetwork dialler = network(0, config, atDialler);
        GossipNetwork acceptor = network(1, config, atAcceptor);
        connect(dialler, acceptor);
        GossipNetwork sender = diallerSends ? dialler : acceptor;
        GossipNetwork receiver = diallerSends ? acceptor : dialler;
        Recorder received = diallerSends ? atAcceptor : atDialler;
        received.countFramesOf(receiver);

        byte[] bulk = new byte[20 << 20];
        new SplittableRandom(42).nextBytes(bulk);
        byte[] control = "heartbeat".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long framesBefore = receiver.counters().get(Counter.FRAMES_RECEIVED);
        assertThat(sender.send(receiver.self(), bulk, true)).isTrue();
        assertThat(sender.send(receiver.self(), control, false)).isTrue();

        await().atMost(Duration.ofSeconds(30)).until(() -> received.arrivals.size() == 2);
        Arrival first = received.arrivals.poll();
        Arrival second = received.arrivals.poll();
        assertThat(first.envelope()).as("the control message arrives first").isEqualTo(ByteString.copyFrom(control));
        assertThat(second.envelope().size()).isEqualTo(bulk.length);
        assertThat(second.envelope()).as("the bulk message arrives whole").isEqualTo(ByteString.copyFrom(bulk));
        long chunks = (bulk.length + config.chunkBytes() - 1) / config.chunkBytes();
        long chunksAhead = first.framesReceived() - framesBefore - 1;
        assertThat(chunksAhead).as("bulk chunks delivered before the control message, of %d", chunks).isLessThan(chunks / 8);
    }

    // ---- flow control and backpressure ----

    /**
     * A receiver that never finishes handling what it got (its Inbound holds every {@code done}) stops reading;
     * HTTP/2 flow control then stops the sender's stream, and the sender's queues fill to their bounds. The
     * sender offers 8 KiB messages until its stream has stalled (no frame sent between two polls while every
     * offer is refused): by then it has accepted no more than its 64 KiB queue plus what the flow-control
     * windows hold in flight, far less than it was offered; every refusal returned false and was counted, and
     * the control lane then takes exactly its 16 messages. Once the receiver catches up, everything accepted is
     * delivered and sends succeed again.
     */
    @Test
    void fullQueuesRefuseAndCountUntilTheReceiverCatchesUp() {
        GossipTransportConfig config = new GossipTransportConfig(1024, 8192, 16, 64 * 1024, 4, 5_000, 100, 1_000, 30_000);
        Recorder slow = Recorder.holding();
        GossipNetwork sender = network(0, config, new Recorder());
        GossipNetwork receiver = network(1, config, slow);
        connect(sender, receiver);
        PkiId to = receiver.self();

        byte[] message = new byte[config.messageBytesMax()];
        long[] offers = new long[3]; // offered, accepted, frames sent at the previous poll
        offers[2] = -1;
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            int acceptedNow = 0;
            for (int i = 0; i < 2_000; i++) {
                acceptedNow += sender.send(to, message, true) ? 1 : 0;
            }
            offers[0] += 2_000;
            offers[1] += acceptedNow;
            long framesSent = sender.counters().get(Counter.FRAMES_SENT);
            boolean stalled = acceptedNow == 0 && framesSent == offers[2];
            offers[2] = framesSent;
            return stalled;
        });
        long offered = offers[0];
        long accepted = offers[1];
        long inFlightBytesMax = 16L << 20; // HTTP/2 windows (8 MiB at most, auto-tuned) and gRPC's on-ready buffer
        long acceptedBytesMax = config.bulkQueueBytesMax() + inFlightBytesMax;
        assertThat(offered * message.length).as("offered more than could ever be accepted").isGreaterThan(acceptedBytesMax);
        assertThat(accepted * message.length).as("bytes accepted of %d offered", offered * message.length)
                .isLessThanOrEqualTo(acceptedBytesMax);
        int controlAccepted = 0;
        for (int i = 0; i < 100; i++) {
            controlAccepted += sender.send(to, new byte[64], false) ? 1 : 0;
        }
        assertThat(controlAccepted).isEqualTo(config.controlQueueMessagesMax());
        assertThat(sender.counters().get(Counter.QUEUE_FULL)).as("every refusal counted")
                .isEqualTo(offered - accepted + 100 - controlAccepted);
        assertThat(slow.arrivals.size()).as("the receiver stopped reading").isLessThanOrEqualTo(config.inboundWindowFrames());

        slow.release();
        long expected = accepted + controlAccepted;
        await().atMost(Duration.ofSeconds(30)).until(() -> slow.arrivals.size() == expected);
        await().atMost(WAIT).until(() -> sender.send(to, message, true));
        assertThat(sender.isConnected(to)).isTrue();
    }

    // ---- maximum message size ----

    /** The sender refuses a message over messageBytesMax and counts it; one of exactly messageBytesMax arrives. */
    @Test
    void senderRefusesMessagesOverMessageBytesMax() {
        GossipTransportConfig config = new GossipTransportConfig(1024, 64 * 1024, 16, 64 * 1024, 4, 5_000, 100, 1_000, 30_000);
        Recorder received = new Recorder();
        GossipNetwork sender = network(0, config, new Recorder());
        GossipNetwork receiver = network(1, config, received);
        connect(sender, receiver);

        assertThat(sender.send(receiver.self(), new byte[config.messageBytesMax() + 1], true)).isFalse();
        assertThat(sender.counters().get(Counter.OVERSIZED)).isEqualTo(1);
        assertThat(sender.send(receiver.self(), new byte[config.messageBytesMax()], true)).isTrue();

        await().atMost(WAIT).until(() -> received.arrivals.size() == 1);
        assertThat(received.arrivals.peek().envelope().size()).isEqualTo(config.messageBytesMax());
        assertThat(sender.isConnected(receiver.self())).isTrue();
    }

    /**
     * A neighbour configured with larger chunks sends a frame over this peer's frame limit: gRPC refuses it, and
     * this peer counts it as oversized and closes the stream with the reason — whether it dialled the stream
     * (its client call refuses the frame) or accepted it (its server does).
     */
    @ParameterizedTest(name = "small peer dialled: {0}")
    @ValueSource(booleans = {true, false})
    void frameOverTheReceiversLimitIsCountedAndCloses(boolean smallDialled) {
        GossipTransportConfig small = new GossipTransportConfig(1024, 64 * 1024, 16, 64 * 1024, 4, 5_000, 100, 1_000, 30_000);
        Recorder atSmall = new Recorder();
        GossipNetwork smallPeer = network(0, small, atSmall);
        GossipNetwork largePeer = network(1, GossipTransportConfig.defaults(), new Recorder());
        if (smallDialled) {
            connect(smallPeer, largePeer);
        } else {
            connect(largePeer, smallPeer);
        }

        // One 16 KiB envelope frame from the large peer (its chunks are 64 KiB): over the small peer's 2 KiB frames.
        assertThat(largePeer.send(smallPeer.self(), new byte[16 * 1024], false)).isTrue();

        await().atMost(WAIT).untilAsserted(() -> assertThat(smallPeer.counters().get(Counter.OVERSIZED)).isEqualTo(1));
        assertThat(atSmall.arrivals).isEmpty();
    }

    // ---- handshake deadline ----

    /** A neighbour that opens a stream and never completes the handshake holds it for the deadline only. */
    @ParameterizedTest(name = "says hello: {0}")
    @ValueSource(booleans = {false, true})
    void handshakeNotCompletedInTimeClosesTheStream(boolean saysHello) {
        GossipTransportConfig config = new GossipTransportConfig(64 * 1024, 96 << 20, 4096, 128L << 20, 32, 200, 100,
                1_000, 30_000);
        GossipNetwork victim = network(0, config, new Recorder());
        CryptoMaterial.Member member = crypto.peer("Org1MSP", 1);
        RogueNeighbour rogue = new RogueNeighbour(victim.port(), member.signingIdentity(), crypto.tls(member));
        closeables.add(rogue);

        if (saysHello) {
            rogue.sayHello();
        }

        Status status = rogue.awaitClosed();
        assertThat(status.getCode()).as("%s", status).isEqualTo(Status.Code.ABORTED);
        assertThat(status.getDescription()).contains("handshake not completed within 200 ms");
        assertThat(victim.counters().get(Counter.HANDSHAKES_FAILED)).isEqualTo(1);
        assertThat(victim.connectedPeers()).isEmpty();
    }

    // ---- reconnection ----

    /**
     * A peer stops and starts again on the same port (same ledger): its neighbour, which dialled it, redials until
     * the connection is back, and a new block then reaches the restarted peer.
     */
    @Test
    void restartedPeerIsRedialledOnItsPort() {
        GossipTransportConfig quickRedial = new GossipTransportConfig(64 * 1024, 96 << 20, 4096, 128L << 20, 32, 5_000,
                50, 500, 30_000);
        TestPeers peers = new TestPeers(crypto, directory);
        closeables.add(peers);
        CryptoMaterial.Member restarting = crypto.peer("Org2MSP", 0);
        GossipPeer.Settings settings = GossipPeer.Settings.lan("restarting").withTransport(quickRedial);
        GossipPeer dialler = peers.start(crypto.peer("Org1MSP", 0), GossipPeer.Settings.lan("dialler").withTransport(quickRedial));
        GossipPeer before = peers.start(restarting, settings);
        dialler.connect(before.id(), "127.0.0.1", before.port());
        await().atMost(WAIT).until(() -> dialler.network().isConnected(before.id()));
        int port = before.port();

        peers.stop(before);
        await().atMost(WAIT).until(() -> !dialler.network().isConnected(before.id()));
        GossipPeer after = peers.start(restarting, TestPeers.onPort(settings, port));

        await().atMost(WAIT).until(() -> dialler.network().isConnected(after.id()) && after.network().isConnected(dialler.id()));
        dialler.onOrdererBlock(peers.block(1));
        await().atMost(WAIT).until(() -> after.height() == 2);
    }

    /**
     * While a neighbour is down, the dialler tries it again at its own pace — at most reconnectMaxMillis apart —
     * not at gRPC's channel backoff (1 s growing to 2 minutes), under which calls fail at once without trying.
     * During the outage a bare TCP listener on the neighbour's port counts the attempts (it accepts and drops
     * them, so each fails); then the neighbour comes back on that port and the connection returns.
     */
    @Test
    void redialsAtItsOwnPaceWhileTheNeighbourIsDown() throws Exception {
        GossipTransportConfig quickRedial = new GossipTransportConfig(64 * 1024, 96 << 20, 4096, 128L << 20, 32, 5_000,
                50, 300, 30_000);
        GossipNetwork dialler = network(0, quickRedial, new Recorder());
        GossipNetwork neighbour = network(1, quickRedial, new Recorder());
        connect(dialler, neighbour);
        int port = neighbour.port();
        neighbour.close();
        await().atMost(WAIT).until(() -> !dialler.isConnected(neighbour.self()));

        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        try (java.net.ServerSocket listener = new java.net.ServerSocket()) {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress("127.0.0.1", port));
            Thread acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try (java.net.Socket socket = listener.accept()) {
                        attempts.incrementAndGet();
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            }, "outage-listener");
            acceptor.setDaemon(true);
            acceptor.start();
            // At most 300 ms apart (plus a failed TLS handshake each), eight attempts take about 3 s; gRPC's own
            // backoff would allow about four in 4 s (after 1, 2.6 and 5.2 s).
            await().atMost(Duration.ofSeconds(4)).untilAsserted(() ->
                    assertThat(attempts.get()).as("connection attempts during the outage").isGreaterThanOrEqualTo(8));
        }

        CryptoMaterial.Member member = crypto.peer("Org1MSP", 1);
        GossipNetwork back = new GossipNetwork(quickRedial, member.signingIdentity(), crypto.tls(member), crypto.organizations,
                timers, new Recorder()).start(new InetSocketAddress("127.0.0.1", port));
        closeables.add(back);
        await().atMost(Duration.ofSeconds(3)).until(() -> dialler.isConnected(back.self()));
    }

    // ---- fixture ----

    /** A network for Org1 peer {@code index}, listening on a free port. */
    private GossipNetwork network(int index, GossipTransportConfig config, GossipNetwork.Inbound inbound) {
        GossipNetwork network = crypto.network(index, config, inbound, timers);
        closeables.add(network);
        return network;
    }

    private static void connect(GossipNetwork dialler, GossipNetwork acceptor) {
        TestCrypto.connect(dialler, acceptor, WAIT);
    }

    /** An envelope as it arrived, with the receiver's count of frames received by then (this one included). */
    record Arrival(ByteString envelope, long framesReceived) {}

    /** Records arrivals in order; hands each {@code done} back at once, or holds them all until released. */
    static final class Recorder implements GossipNetwork.Inbound {
        final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
        private final ArrayDeque<Runnable> held = new ArrayDeque<>();
        private boolean holding;
        private volatile TransportCounters counters;

        static Recorder holding() {
            Recorder recorder = new Recorder();
            recorder.holding = true;
            return recorder;
        }

        void countFramesOf(GossipNetwork network) {
            counters = network.counters();
        }

        @Override
        public void onEnvelope(PkiId from, ByteString envelope, Runnable done) {
            TransportCounters frames = counters;
            arrivals.add(new Arrival(envelope, frames == null ? -1 : frames.get(Counter.FRAMES_RECEIVED)));
            synchronized (this) {
                if (holding) {
                    held.add(done);
                    return;
                }
            }
            done.run();
        }

        /** Hands back every held {@code done} and holds no more. */
        synchronized void release() {
            holding = false;
            while (!held.isEmpty()) {
                held.poll().run();
            }
        }
    }
}
