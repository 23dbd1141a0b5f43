package io.hearsay.peer.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.discovery.membership.StaticMembership;
import io.hearsay.gossip.block.BlockGossip;
import io.hearsay.gossip.block.BlockGossipConfig;
import io.hearsay.gossip.block.BlockGossipListener;
import io.hearsay.gossip.block.BlockLedger;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.gossip.block.CommitOutcome;
import io.hearsay.gossip.block.HeaderHashes;
import io.hearsay.identity.PkiId;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.runtime.NodeRuntime;
import io.hearsay.peer.runtime.SerialExecutor;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's channel commits on its {@link ChannelCommitter} thread, not on the channel's serial executor: with a
 * real RocksDB ledger whose commit is held at a gate, the executor still runs queries and handles gossip messages
 * (serving a block, judging an announcement stale), and the run is reported and forwarded only once the gate opens
 * and the outcome comes back. Real ECDSA-signed blocks from {@link SampleChannel}, real {@link SerialExecutor} and
 * timers; no sleeps, every wait bounded.
 */
class ChannelCommitterTest {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final PkiId SELF = peer(0);
    private static final PkiId NEIGHBOUR = peer(1);
    private static final PkiId FORGER = peer(2);

    @TempDir
    Path directory;

    private NodeResources resources;
    private Ledger ledger;
    private SampleChannel sample;
    private GatedLedger gated;
    private SerialExecutor serial;
    private ChannelCommitter committer;
    private BlockGossip gossip;
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<Long> committed = new CopyOnWriteArrayList<>();
    private final List<String> dropped = new CopyOnWriteArrayList<>();

    private record Sent(PkiId to, BlockMessage message) {}

    @BeforeEach
    void setUp() throws BlockRejectedException {
        sample = new SampleChannel(directory.resolve("crypto"));
        ledger = Ledgers.rocks(directory.resolve("ledger"), sample.genesis, LedgerOptions.defaults());
        gated = new GatedLedger(BlockLedger.of(ledger));
        resources = new NodeResources(2);
        serial = resources.serialExecutor("committer-test");
        committer = new ChannelCommitter("committer-test", gated, serial);
        StaticMembership membership = new StaticMembership(SELF, PeerSet.of(List.of(NEIGHBOUR, FORGER)),
                Map.of(SELF, "Org1MSP", NEIGHBOUR, "Org1MSP", FORGER, "Org1MSP"));
        gossip = new BlockGossip(BlockGossipConfig.lan(), committer, membership,
                NodeRuntime.of(serial, resources.timers(), 11), (to, message) -> sent.add(new Sent(to, message)),
                new BlockGossipListener() {
                    @Override
                    public void onBlockCommitted(long number, PkiId from) {
                        committed.add(number);
                    }

                    @Override
                    public void onDropped(PkiId from, String reason) {
                        dropped.add(from + ": " + reason);
                    }
                });
    }

    @AfterEach
    void tearDown() {
        gated.open();
        serial.close();
        committer.close();
        resources.close();
        ledger.close();
    }

    @Test
    void theChannelExecutorServesWhileARunCommitsOnTheCommitterThread() {
        Block first = sample.next(sample.genesis, sample.put("a", "1"));
        serial.execute(() -> gossip.onOrdererBlock(first));
        await().atMost(BOUND).until(() -> gated.entered.getCount() == 0);

        // The commit sits at the gate on the committer thread; the channel's executor is free.
        assertThat(gated.thread).isEqualTo("hearsay-commit-committer-test");
        assertThat(onSerial(() -> gossip.height())).isEqualTo(1);
        BlockMessage.Announce announce = new BlockMessage.Announce(1, HeaderHashes.of(first), first.getSerializedSize(), true);
        // Held, and to be spread once committed: an announcement of it is worth its signature check (its sender's
        // claim spares an announcement back).
        assertThat(onSerial(() -> gossip.isStale(announce))).as("the block being committed is held, to be spread").isFalse();
        serial.execute(() -> gossip.onMessage(NEIGHBOUR, new BlockMessage.Request(0, HeaderHashes.of(sample.genesis), false)));
        await().atMost(BOUND).until(() -> pushesTo(NEIGHBOUR).contains(0L));
        serial.execute(() -> gossip.onMessage(NEIGHBOUR, new BlockMessage.Request(1, HeaderHashes.of(first), false)));
        await().atMost(BOUND).until(() -> dropped.stream().anyMatch(reason -> reason.contains("request for block 1")));
        assertThat(committed).as("nothing reported while the commit runs").isEmpty();
        assertThat(gated.exited).as("the commit is still at the gate").isZero();

        gated.open();
        await().atMost(BOUND).until(() -> committed.equals(List.of(1L)));
        assertThat(ledger.height()).isEqualTo(2);
        await().atMost(BOUND).until(() -> pushesTo(NEIGHBOUR).contains(1L) || pushesTo(FORGER).contains(1L));
        assertThat(onSerial(() -> gossip.isStale(announce))).isTrue();
    }

    @Test
    void aRejectedBlockIsBlamedOnItsSenderWhenTheOutcomeArrives() {
        gated.open();
        Block genuine = sample.next(sample.genesis, sample.put("a", "1"));
        Block forged = genuine.toBuilder().setData(BlockData.newBuilder()
                .addData(sample.put("a", "1000000").toByteString())).build();
        serial.execute(() -> gossip.onMessage(FORGER, new BlockMessage.Push(forged, true)));
        await().atMost(BOUND).until(() -> dropped.stream().anyMatch(reason -> reason.startsWith(FORGER + ": ")
                && reason.contains("block 1 rejected")));
        assertThat(ledger.height()).isEqualTo(1);
        assertThat(committed).isEmpty();

        serial.execute(() -> gossip.onMessage(NEIGHBOUR, new BlockMessage.Push(genuine, true)));
        await().atMost(BOUND).until(() -> committed.equals(List.of(1L)));
        assertThat(ledger.height()).isEqualTo(2);
        assertThat(dropped).noneMatch(reason -> reason.startsWith(NEIGHBOUR + ": "));
    }

    @Test
    void closeWaitsForTheRunBeingWrittenSoTheLedgerCanBeClosedAfter() {
        Block first = sample.next(sample.genesis, sample.put("a", "1"));
        serial.execute(() -> gossip.onOrdererBlock(first));
        await().atMost(BOUND).until(() -> gated.entered.getCount() == 0);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(committer::close);
        await().during(Duration.ofMillis(200)).atMost(BOUND).until(() -> !closing.isDone());

        gated.open();
        closing.join();
        assertThat(ledger.height()).as("the run was written before close returned").isEqualTo(2);
    }

    @Test
    void aRunHandedToAClosedCommitterFailsOnTheChannelExecutorAndWritesNothing() {
        gated.open();
        committer.close();
        List<CommitOutcome> outcomes = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        serial.execute(() -> committer.startCommit(List.of(sample.next(sample.genesis, sample.put("a", "1"))), outcome -> {
            threads.add(Thread.currentThread().getName());
            outcomes.add(outcome);
        }));
        await().atMost(BOUND).until(() -> outcomes.size() == 1);
        assertThat(outcomes.get(0).committed()).isFalse();
        assertThat(outcomes.get(0).failure()).hasMessageContaining("the committer is closed");
        assertThat(threads).as("delivered on the channel's executor").allMatch(name -> name.startsWith("hearsay-peer-"));
        assertThat(ledger.height()).isEqualTo(1);
    }

    private List<Long> pushesTo(PkiId peer) {
        return sent.stream().filter(s -> s.to().equals(peer) && s.message() instanceof BlockMessage.Push)
                .map(s -> ((BlockMessage.Push) s.message()).block().getHeader().getNumber()).toList();
    }

    private <T> T onSerial(Supplier<T> query) {
        CompletableFuture<T> result = new CompletableFuture<>();
        serial.execute(() -> result.complete(query.get()));
        return result.orTimeout(BOUND.toSeconds(), TimeUnit.SECONDS).join();
    }

    private static PkiId peer(int index) {
        return PkiId.fromBytes(ByteBuffer.allocate(PkiId.LENGTH_BYTES).putInt(index).array());
    }

    /** A ledger whose commits wait at a gate the test opens: a slow validation and write, made deterministic. */
    private static final class GatedLedger implements BlockLedger {
        private final BlockLedger ledger;
        private final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        volatile int exited;
        volatile String thread;

        GatedLedger(BlockLedger ledger) {
            this.ledger = ledger;
        }

        void open() {
            gate.countDown();
        }

        @Override
        public long height() {
            return ledger.height();
        }

        @Override
        public byte[] headHash() {
            return ledger.headHash();
        }

        @Override
        public Optional<Block> block(long number) {
            return ledger.block(number);
        }

        @Override
        public void commit(Block block) throws BlockRejectedException {
            awaitGate();
            try {
                ledger.commit(block);
            } finally {
                exited++;
            }
        }

        @Override
        public void commitAll(List<Block> blocks) throws BlockRejectedException {
            awaitGate();
            try {
                ledger.commitAll(blocks);
            } finally {
                exited++;
            }
        }

        private void awaitGate() {
            thread = Thread.currentThread().getName();
            entered.countDown();
            try {
                if (!gate.await(BOUND.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the commit gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at the commit gate", e);
            }
        }
    }
}
