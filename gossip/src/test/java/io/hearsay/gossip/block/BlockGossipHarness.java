package io.hearsay.gossip.block;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.discovery.membership.StaticMembership;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.identity.PkiId;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.BlockRejectedException.Reason;
import io.hearsay.ledger.block.BlockHashing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;

/**
 * One {@link BlockGossip} peer driven by hand: its neighbours are plain ids whose messages a test delivers
 * with {@link #deliver}, its sends are recorded, its timers are held and never fire (time stands at 0), and
 * its ledger is an in-memory chain behind a wrapper that records every commit call.
 */
final class BlockGossipHarness {
    static final PkiId SELF = peer(0);
    static final PkiId HONEST = peer(1);
    static final PkiId OTHER = peer(2);
    static final PkiId FORGER = peer(3);

    /** A message this peer sent. */
    record Sent(PkiId to, BlockMessage message) {}

    /** What the listener heard: a commit (reason null) or a drop. */
    record Event(long number, PkiId from, String dropReason) {}

    final List<Block> genuine;
    final CountingLedger ledger;
    /** The commits handed out and not yet completed, if this peer's commits are held; else null. */
    final HeldCommits held;
    final List<Sent> sent = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    final BlockGossip gossip;
    private final HeldTimers timers = new HeldTimers();
    /** The peer's clock: stands still unless a test moves it ({@link #advanceMillis}). */
    private long nowMillis;

    /** A peer at height 1 (genesis only) of a chain of {@code blocks} genuine blocks after genesis. */
    BlockGossipHarness(BlockGossipConfig config, int blocks) {
        this(config, blocks, -1);
    }

    /** As above, with a ledger that fails (as storage might) when it reaches block {@code failAt}. */
    BlockGossipHarness(BlockGossipConfig config, int blocks, long failAt) {
        this(config, blocks, failAt, false);
    }

    /**
     * As above; with {@code holdCommits}, each commit gossip starts waits in {@link #held} until the test writes and
     * completes it, as a committer thread would.
     */
    BlockGossipHarness(BlockGossipConfig config, int blocks, long failAt, boolean holdCommits) {
        this(config, blocks, failAt, holdCommits, SELF);
    }

    /** As above, as the peer {@code self} (which decides how it ranks against its neighbours in PKI-ID order). */
    BlockGossipHarness(BlockGossipConfig config, int blocks, long failAt, boolean holdCommits, PkiId self) {
        genuine = chain(blocks);
        ledger = new CountingLedger(new TestChain(genuine.get(0)), failAt);
        held = holdCommits ? new HeldCommits(ledger) : null;
        StaticMembership membership = new StaticMembership(self, PeerSet.of(List.of(HONEST, OTHER, FORGER)),
                Map.of(self, "Org1MSP", HONEST, "Org1MSP", OTHER, "Org1MSP", FORGER, "Org1MSP"));
        PeerRuntime runtime = new PeerRuntime(() -> nowMillis, timers, RandomSource.seeded(7));
        gossip = new BlockGossip(config, holdCommits ? held : ledger, membership, runtime, (to, message) -> sent.add(new Sent(to, message)),
                new BlockGossipListener() {
                    @Override
                    public void onBlockCommitted(long number, PkiId from) {
                        events.add(new Event(number, from, null));
                    }

                    @Override
                    public void onDropped(PkiId from, String reason) {
                        events.add(new Event(-1, from, reason));
                    }
                });
    }

    void deliver(PkiId from, BlockMessage message) {
        gossip.onMessage(from, message);
    }

    void push(PkiId from, Block block) {
        deliver(from, new BlockMessage.Push(block, true));
    }

    Block block(long number) {
        return genuine.get((int) number);
    }

    /** The same header (so the same block id) over other data: fails the data-hash check. */
    Block tampered(long number) {
        return block(number).toBuilder()
                .setData(BlockData.newBuilder().addData(ByteString.copyFromUtf8("forged " + number)))
                .build();
    }

    /** Numbers of committed blocks, in the order the listener was told, and who sent each. */
    List<Event> commits() {
        return events.stream().filter(event -> event.dropReason() == null).toList();
    }

    /** Drop reasons the listener was told for {@code peer}. */
    List<String> dropsOf(PkiId peer) {
        return events.stream().filter(event -> event.dropReason() != null && event.from().equals(peer))
                .map(Event::dropReason).toList();
    }

    /** The range requests this peer sent to {@code peer}, in order. */
    List<BlockMessage.RangeRequest> rangeRequestsTo(PkiId peer) {
        return sent.stream().filter(s -> s.to().equals(peer) && s.message() instanceof BlockMessage.RangeRequest)
                .map(s -> (BlockMessage.RangeRequest) s.message()).toList();
    }

    /** Numbers of the blocks this peer forwarded (pushed or announced as new), in send order, repeats removed. */
    List<Long> forwarded() {
        List<Long> numbers = new ArrayList<>();
        for (Sent s : sent) {
            long number = s.message() instanceof BlockMessage.Push push && push.forward() ? push.block().getHeader().getNumber()
                    : s.message() instanceof BlockMessage.Announce announce && announce.forward() ? announce.number() : -1;
            if (number >= 0 && (numbers.isEmpty() || numbers.get(numbers.size() - 1) != number)) {
                numbers.add(number);
            }
        }
        return numbers;
    }

    static PkiId peer(int index) {
        return PkiId.fromBytes(ByteBuffer.allocate(PkiId.LENGTH_BYTES).putInt(index).array());
    }

    /** Genesis and {@code blocks} blocks after it, hash-chained, each with its own data. */
    static List<Block> chain(int blocks) {
        List<Block> chain = new ArrayList<>();
        ByteString previous = ByteString.EMPTY;
        for (int n = 0; n <= blocks; n++) {
            BlockData data = BlockData.newBuilder()
                    .addData(ByteString.copyFrom("block " + n, StandardCharsets.UTF_8)).build();
            Block block = Block.newBuilder()
                    .setHeader(BlockHeader.newBuilder().setNumber(n).setPreviousHash(previous)
                            .setDataHash(ByteString.copyFrom(BlockHashing.dataHash(data))))
                    .setData(data)
                    .build();
            chain.add(block);
            previous = HeaderHashes.of(block);
        }
        return chain;
    }

    /** An in-memory chain checking number, previous hash and data hash, as the ledger's block-level checks do. */
    static final class TestChain implements BlockLedger {
        private final List<Block> blocks = new ArrayList<>();

        TestChain(Block genesis) {
            blocks.add(genesis);
        }

        @Override
        public long height() {
            return blocks.size();
        }

        @Override
        public byte[] headHash() {
            return HeaderHashes.of(blocks.get(blocks.size() - 1)).toByteArray();
        }

        @Override
        public Optional<Block> block(long number) {
            return number >= 0 && number < blocks.size() ? Optional.of(blocks.get((int) number)) : Optional.empty();
        }

        @Override
        public void commit(Block block) throws BlockRejectedException {
            long number = block.getHeader().getNumber();
            if (number != blocks.size()) {
                throw new BlockRejectedException(Reason.WRONG_NUMBER, number, "expected block " + blocks.size());
            }
            if (!block.getHeader().getPreviousHash().equals(HeaderHashes.of(blocks.get(blocks.size() - 1)))) {
                throw new BlockRejectedException(Reason.WRONG_PREVIOUS_HASH, number, "previous hash does not match the head");
            }
            if (!Arrays.equals(block.getHeader().getDataHash().toByteArray(), BlockHashing.dataHash(block.getData()))) {
                throw new BlockRejectedException(Reason.WRONG_DATA_HASH, number, "data hash does not match the data");
            }
            blocks.add(block);
        }
    }

    /** Records the size of every commit call (1 for {@code commit}); optionally fails like broken storage. */
    static final class CountingLedger implements BlockLedger {
        final List<Integer> commitCalls = new ArrayList<>();
        final List<Integer> commitAllCalls = new ArrayList<>();
        private final BlockLedger chain;
        private final long failAt;

        CountingLedger(BlockLedger chain, long failAt) {
            this.chain = chain;
            this.failAt = failAt;
        }

        @Override
        public long height() {
            return chain.height();
        }

        @Override
        public byte[] headHash() {
            return chain.headHash();
        }

        @Override
        public Optional<Block> block(long number) {
            return chain.block(number);
        }

        @Override
        public void commit(Block block) throws BlockRejectedException {
            commitCalls.add(1);
            failIfDue(block);
            chain.commit(block);
        }

        @Override
        public void commitAll(List<Block> blocks) throws BlockRejectedException {
            commitAllCalls.add(blocks.size());
            for (Block block : blocks) {
                failIfDue(block);
                chain.commit(block);
            }
        }

        private void failIfDue(Block block) {
            if (block.getHeader().getNumber() == failAt) {
                throw new IllegalStateException("disk full at block " + failAt);
            }
        }
    }

    /**
     * A ledger whose {@link #startCommit} only records the run: the test then {@link #write}s it (the committer
     * thread's work: the ledger's height moves) and {@link #complete}s it (the outcome arrives as an event).
     */
    static final class HeldCommits implements BlockLedger {
        private final BlockLedger ledger;
        private List<Block> run;
        private Consumer<CommitOutcome> done;
        private CommitOutcome outcome;

        HeldCommits(BlockLedger ledger) {
            this.ledger = ledger;
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
            ledger.commit(block);
        }

        @Override
        public void startCommit(List<Block> blocks, Consumer<CommitOutcome> done) {
            if (run != null) {
                throw new AssertionError("a second commit started while blocks " + numbers(run) + " commit");
            }
            this.run = List.copyOf(blocks);
            this.done = done;
        }

        /** Numbers of the blocks handed out and not completed, or empty. */
        List<Long> pending() {
            return run == null ? List.of() : numbers(run);
        }

        /** Commits the held run in the ledger, keeping its outcome back. */
        void write() {
            if (outcome == null) {
                ledger.startCommit(run, result -> outcome = result);
            }
        }

        /** Writes the held run if not yet written, then delivers its outcome to gossip. */
        void complete() {
            write();
            Consumer<CommitOutcome> callback = done;
            CommitOutcome result = outcome;
            run = null;
            done = null;
            outcome = null;
            callback.accept(result);
        }

        private static List<Long> numbers(List<Block> blocks) {
            return blocks.stream().map(block -> block.getHeader().getNumber()).toList();
        }
    }

    /** Timers that fire only when a test says so ({@link #fireTimers()}): most tests are about messages, not time. */
    private static final class HeldTimers implements Scheduler {
        private final List<Runnable> pending = new ArrayList<>();

        @Override
        public Timer schedule(long delayMillis, Runnable task) {
            boolean[] cancelled = new boolean[1];
            pending.add(() -> {
                if (!cancelled[0]) {
                    task.run();
                }
            });
            return () -> cancelled[0] = true;
        }

        void fireAll() {
            List<Runnable> due = new ArrayList<>(pending);
            pending.clear();
            due.forEach(Runnable::run);
        }
    }

    /** Moves the peer's clock; timers still fire only by {@link #fireTimers()}. */
    void advanceMillis(long millis) {
        nowMillis += millis;
    }

    /** Runs every timer pending now (not those they schedule), as if their delays had all passed. */
    void fireTimers() {
        timers.fireAll();
    }

    /** Messages sent to {@code peer} of the given type, in order. */
    <T extends BlockMessage> List<T> sentTo(PkiId peer, Class<T> type) {
        return sent.stream().filter(s -> s.to().equals(peer) && type.isInstance(s.message()))
                .map(s -> type.cast(s.message())).toList();
    }
}
