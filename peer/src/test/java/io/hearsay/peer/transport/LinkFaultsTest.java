package io.hearsay.peer.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.hearsay.gossip.block.BlockGossipConfig;
import io.hearsay.identity.PkiId;
import io.hearsay.peer.GossipPeer;
import io.hearsay.peer.transport.LinkFaults.Link;
import io.hearsay.peer.transport.TransportCounters.Counter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected into real gossip links ({@link LinkFaults} on a {@link GossipNetwork}, mutual TLS over loopback):
 * a partition stops blocks crossing between {@link GossipPeer}s — even when only one side is told — and healing
 * lets anti-entropy bring the cut-off peer level; 30% loss in both directions still converges; latency delays
 * arrival (measured against the same link without it) without reordering a link; a clog holds everything, within
 * the queue bound, until unclogged, then releases it in order. Every envelope a fault drops is counted.
 */
class LinkFaultsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path cryptoDirectory;
    static TestCrypto crypto;

    @TempDir
    Path directory;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, task -> {
        Thread thread = new Thread(task, "link-faults-test-timer");
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

    // ---- partition ----

    /**
     * Only the cut-off peer is told of the partition: the leader keeps sending, and the cut-off peer drops what
     * arrives (counted), so its height stays while the leader's grows. After healing, anti-entropy closes the gap.
     */
    @Test
    void partitionStopsBlocksAndHealingConverges() {
        TestPeers peers = peers();
        GossipPeer leader = peers.start(crypto.peer("Org1MSP", 0), GossipPeer.Settings.lan("leader"));
        GossipPeer cutOff = peers.start(crypto.peer("Org2MSP", 0), GossipPeer.Settings.lan("cut-off"));
        TestPeers.link(leader, cutOff);
        leader.onOrdererBlock(peers.block(1));
        await().atMost(WAIT).until(() -> cutOff.height() == 2);

        LinkFaults faults = new LinkFaults(7);
        cutOff.network().faults(faults);
        faults.block(Link.to(leader.id()));
        for (int number = 2; number <= 6; number++) {
            leader.onOrdererBlock(peers.block(number));
        }
        await().atMost(WAIT).until(() -> leader.height() == 7);
        await().atMost(WAIT).until(() -> cutOff.transportCounters().get(Counter.FAULT_DROPPED) > 0);
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3)).until(() -> cutOff.height() == 2);
        assertThat(cutOff.network().isConnected(leader.id())).as("a partition leaves the TLS connection up").isTrue();

        faults.heal();
        await().atMost(WAIT).until(() -> cutOff.height() == 7);
    }

    /** A partition told to the sender drops outbound envelopes there: nothing reaches the other side. */
    @Test
    void partitionDropsAtTheSenderToo() {
        Recorder received = new Recorder();
        GossipNetwork sender = network(0, GossipTransportConfig.defaults(), new Recorder());
        GossipNetwork receiver = network(1, GossipTransportConfig.defaults(), received);
        connect(sender, receiver);
        LinkFaults faults = new LinkFaults(1);
        sender.faults(faults);

        faults.block(Link.all());
        for (int i = 0; i < 10; i++) {
            assertThat(sender.send(receiver.self(), message(i), false)).as("a lost envelope looks sent").isTrue();
        }
        assertThat(sender.counters().get(Counter.FAULT_DROPPED)).isEqualTo(10);
        faults.unblock(Link.all());
        assertThat(sender.send(receiver.self(), message(10), false)).isTrue();
        await().atMost(WAIT).until(() -> received.arrivals.size() == 1);
        assertThat(indexOf(received.arrivals.peek().envelope())).as("only the one sent after the partition").isEqualTo(10);
    }

    // ---- loss ----

    /**
     * 30% of envelopes lost in both directions on every link of three peers: all of them still reach the head.
     *
     * <p>With a penalty of 1 s instead of the LAN preset's 10 s: a range request times out whenever its request or
     * its answer is lost (half of them at this loss), and the repair penalises the unanswered peer as if it had lied
     * about its height. With two neighbours both are soon penalised, and the peer waits out the penalty; under the
     * preset, convergence here took from 1 to over 30 s, in steps of about 10.
     */
    @Test
    void thirtyPercentLossStillConverges() {
        TestPeers peers = peers();
        BlockGossipConfig gossip = withPenaltyMillis(BlockGossipConfig.lan(), 1_000);
        GossipPeer leader = peers.start(crypto.peer("Org1MSP", 0), GossipPeer.Settings.lan("leader").withGossip(gossip));
        GossipPeer second = peers.start(crypto.peer("Org1MSP", 1), GossipPeer.Settings.lan("second").withGossip(gossip));
        GossipPeer third = peers.start(crypto.peer("Org2MSP", 0), GossipPeer.Settings.lan("third").withGossip(gossip));
        TestPeers.link(leader, second);
        TestPeers.link(second, third);
        TestPeers.link(leader, third);
        List<GossipPeer> all = List.of(leader, second, third);
        long seed = 42;
        for (GossipPeer peer : all) {
            LinkFaults faults = new LinkFaults(seed++);
            faults.loss(Link.all(), 0.3);
            peer.network().faults(faults);
        }

        for (int number = 1; number <= 10; number++) {
            leader.onOrdererBlock(peers.block(number));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(all.stream().map(GossipPeer::height).toList())
                .as("heights; gossip counters %s", all.stream().map(p -> p.name() + " " + p.gossipCounters().snapshot()).toList())
                .containsOnly(11L));
        long dropped = all.stream().mapToLong(p -> p.transportCounters().get(Counter.FAULT_DROPPED)).sum();
        assertThat(dropped).as("envelopes lost to the injected loss").isGreaterThan(0);
    }

    /** The same seed and the same sends on a link lose the same envelopes. */
    @Test
    void lossIsReproducibleFromTheSeed() {
        assertThat(lossPattern(99)).isEqualTo(lossPattern(99)).isNotEqualTo(lossPattern(100));
    }

    // ---- latency ----

    /**
     * Arrival time of single envelopes on one link, without and then with 300 ms of latency: delayed envelopes
     * take at least the latency, and many times the undelayed link's typical time.
     */
    @Test
    void latencyDelaysArrival() {
        Recorder received = new Recorder();
        GossipNetwork sender = network(0, GossipTransportConfig.defaults(), new Recorder());
        GossipNetwork receiver = network(1, GossipTransportConfig.defaults(), received);
        connect(sender, receiver);
        LinkFaults faults = new LinkFaults(3);
        sender.faults(faults);

        long[] direct = arrivalNanos(sender, receiver, received, 0);
        faults.latency(Link.to(receiver.self()), Duration.ofMillis(300), Duration.ZERO);
        long[] delayed = arrivalNanos(sender, receiver, received, 100);

        long directMedian = direct[direct.length / 2];
        assertThat(delayed[0]).as("fastest delayed arrival, ns").isGreaterThanOrEqualTo(300_000_000L);
        assertThat((double) delayed[delayed.length / 2] / directMedian).as("median delayed / median direct arrival time")
                .isGreaterThan(5.0);
    }

    /** Jitter larger than the gap between sends still never reorders one link. */
    @Test
    void latencyWithJitterKeepsEachLinksOrder() {
        Recorder received = new Recorder();
        GossipNetwork sender = network(0, GossipTransportConfig.defaults(), new Recorder());
        GossipNetwork receiver = network(1, GossipTransportConfig.defaults(), received);
        connect(sender, receiver);
        LinkFaults faults = new LinkFaults(5);
        faults.latency(Link.all(), Duration.ofMillis(10), Duration.ofMillis(40));
        sender.faults(faults);

        for (int i = 0; i < 50; i++) {
            assertThat(sender.send(receiver.self(), message(i), i % 3 == 0)).isTrue();
        }
        await().atMost(WAIT).until(() -> received.arrivals.size() == 50);
        assertThat(received.arrivals.stream().map(a -> indexOf(a.envelope())).toList())
                .isEqualTo(java.util.stream.IntStream.range(0, 50).boxed().toList());
    }

    // ---- clog ----

    /**
     * A clogged link holds everything — up to the connection's queue bound, beyond which sends are refused and
     * counted as QUEUE_FULL — and nothing arrives; unclogging releases what was held, in order.
     */
    @Test
    void clogHoldsAndUnclogReleasesInOrder() {
        GossipTransportConfig config = new GossipTransportConfig(1024, 8192, 16, 64 * 1024, 4, 5_000, 100, 1_000, 30_000);
        Recorder received = new Recorder();
        GossipNetwork sender = network(0, config, new Recorder());
        GossipNetwork receiver = network(1, config, received);
        connect(sender, receiver);
        LinkFaults faults = new LinkFaults(11);
        sender.faults(faults);
        PkiId to = receiver.self();

        faults.clog(Link.to(to));
        int accepted = 0;
        for (int i = 0; i < 20; i++) {
            accepted += sender.send(to, message(i), false) ? 1 : 0;
        }
        assertThat(accepted).as("control messages held, of 20").isEqualTo(config.controlQueueMessagesMax());
        assertThat(sender.counters().get(Counter.QUEUE_FULL)).isEqualTo(20 - config.controlQueueMessagesMax());
        assertThat(sender.heldEnvelopes(to)).isEqualTo(config.controlQueueMessagesMax());
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(received.arrivals::isEmpty);

        faults.unclog(Link.to(to));
        await().atMost(WAIT).until(() -> received.arrivals.size() == config.controlQueueMessagesMax());
        assertThat(received.arrivals.stream().map(a -> indexOf(a.envelope())).toList())
                .isEqualTo(java.util.stream.IntStream.range(0, config.controlQueueMessagesMax()).boxed().toList());
        assertThat(sender.heldEnvelopes(to)).isZero();
        assertThat(sender.send(to, message(99), false)).isTrue();
        await().atMost(WAIT).until(() -> received.arrivals.size() == config.controlQueueMessagesMax() + 1);
    }

    /** Without faults, or after they are removed, a send takes the direct path and nothing is held or dropped. */
    @Test
    void removingFaultsReleasesHeldEnvelopes() {
        Recorder received = new Recorder();
        GossipNetwork sender = network(0, GossipTransportConfig.defaults(), new Recorder());
        GossipNetwork receiver = network(1, GossipTransportConfig.defaults(), received);
        connect(sender, receiver);
        LinkFaults faults = new LinkFaults(13);
        faults.clog(Link.all());
        sender.faults(faults);
        assertThat(sender.send(receiver.self(), message(0), true)).isTrue();
        assertThat(sender.heldEnvelopes(receiver.self())).isEqualTo(1);

        sender.faults(null);
        await().atMost(WAIT).until(() -> received.arrivals.size() == 1);
        assertThat(sender.send(receiver.self(), message(1), false)).isTrue();
        await().atMost(WAIT).until(() -> received.arrivals.size() == 2);
        assertThat(sender.counters().get(Counter.FAULT_DROPPED)).isZero();
    }

    // ---- fixture ----

    private TestPeers peers() {
        TestPeers peers = new TestPeers(crypto, directory);
        closeables.add(peers);
        return peers;
    }

    private static BlockGossipConfig withPenaltyMillis(BlockGossipConfig c, long penaltyMillis) {
        return new BlockGossipConfig(c.pushFanout(), c.lazyPushThresholdBytes(), c.announceToAllNeighbours(), c.hedgeDelayMillis(),
                c.heartbeatIntervalMillis(), c.heartbeatFanout(), c.pullOnHeartbeat(), c.pullWindowBlocks(),
                c.pullResponseDelayMillis(), c.repairOnHeartbeat(), c.repairCheckIntervalMillis(), c.repairBatchBlocks(),
                c.repairInflightBatchesMax(), c.repairTimeoutMillis(), c.payloadBufferBlocksMax(), c.seenBlocksMax(), penaltyMillis,
                c.rangeRequestBlocksMax(), c.treePush(), c.treeAnnounceFanout(), c.hedgeBytesPerMilli());
    }

    /** Which of 200 envelopes a 50% loss on one link drops, for a seed. */
    private static List<Boolean> lossPattern(long seed) {
        LinkFaults faults = new LinkFaults(seed);
        faults.loss(Link.all(), 0.5);
        PkiId peer = crypto.peer("Org1MSP", 1).signingIdentity().pkiId();
        LinkFaults.Rule rule = faults.effective(peer);
        List<Boolean> lost = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            lost.add(faults.lose(peer, rule));
        }
        return lost;
    }

    /** Sends five envelopes one at a time, each after the previous arrived; their send-to-arrival times, sorted. */
    private static long[] arrivalNanos(GossipNetwork sender, GossipNetwork receiver, Recorder received, int firstIndex) {
        long[] times = new long[5];
        for (int i = 0; i < times.length; i++) {
            int expected = received.arrivals.size() + 1;
            long start = System.nanoTime();
            assertThat(sender.send(receiver.self(), message(firstIndex + i), false)).isTrue();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(1)).until(() -> received.arrivals.size() == expected);
            times[i] = received.arrivals.stream().skip(expected - 1).findFirst().orElseThrow().atNanos() - start;
        }
        Arrays.sort(times);
        return times;
    }

    private static byte[] message(int index) {
        return ByteBuffer.allocate(64).putInt(index).array();
    }

    private static int indexOf(ByteString envelope) {
        return envelope.asReadOnlyByteBuffer().getInt();
    }

    private GossipNetwork network(int index, GossipTransportConfig config, GossipNetwork.Inbound inbound) {
        GossipNetwork network = crypto.network(index, config, inbound, timers);
        closeables.add(network);
        return network;
    }

    private static void connect(GossipNetwork dialler, GossipNetwork acceptor) {
        TestCrypto.connect(dialler, acceptor, WAIT);
    }

    record Arrival(ByteString envelope, long atNanos) {}

    /** Records arrivals in order, with the time each arrived. */
    static final class Recorder implements GossipNetwork.Inbound {
        final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();

        @Override
        public void onEnvelope(PkiId from, ByteString envelope, Runnable done) {
            arrivals.add(new Arrival(envelope, System.nanoTime()));
            done.run();
        }
    }
}
