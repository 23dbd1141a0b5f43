package io.hearsay.gossip.block;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.membership.Membership;
import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.discovery.membership.SmallPeerSet;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.gossip.block.GossipCounters.Counter;
import io.hearsay.gossip.block.SeenBlocks.BlockId;
import io.hearsay.identity.PkiId;
import io.hearsay.ledger.BlockRejectedException;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hyperledger.fabric.protos.common.Block;

/**
 * One peer's block dissemination: new blocks spread by push (or lazy push for large blocks) to a fanout
 * of random neighbours, each peer forwarding a block once, after committing it; periodic heartbeats carry
 * height and head hash so peers notice what they miss; {@link RangeRepair} fetches it; a bounded reorder
 * buffer feeds the ledger in order, a consecutive run at a time.
 *
 * <pre>
 *   orderer ─▶ leader: commit ─▶ Push(block) ─▶ f neighbours: commit ─▶ Push ─▶ f more ...   (small blocks)
 *                                Announce(n, hash) ─▶ B: Request ─▶ A: Push ─▶ B commits ─▶ Announce ...  (large)
 *                                                      └─ no body after hedgeDelay: Request to 2nd announcer
 *   every heartbeatInterval: Heartbeat(height, head) ─▶ k neighbours (not those that claimed our height) ─▶ higher
 *                            height or gap? RangeRepair
 * </pre>
 *
 * A deterministic state machine: it acts only in its handlers and timers, on one serial context, through
 * the injected runtime, transport and ledger. Never blocks; every collection is bounded.
 *
 * <p>Commits are requests and completions, not calls that hold the core: a run of buffered blocks goes to
 * {@link BlockLedger#startCommit}, and its outcome comes back as an event (at once in the simulator; from a
 * committer thread on a node). At most one run commits at a time. Meanwhile the core keeps handling messages,
 * treats the run's blocks as held (still in the reorder buffer: not fetched, repaired or buffered again, and
 * announcements of them stale) but not as committed (heartbeats, pull answers and served blocks stop below
 * the run), and forwards them only once the outcome says they are durable.
 * <pre>
 *   buffer {5,6,7}, height 5 ─▶ startCommit(5..7) ─▶ ... Heartbeat(5), Request(4) served, Announce(6) stale ...
 *                            ◀─ outcome: committed ─▶ forward 5, 6, 7; height 8; drain the next run
 * </pre>
 */
public final class BlockGossip {
    /** A block waiting in the reorder buffer, and who sent it (to blame if it fails validation). */
    private record Buffered(Block block, PkiId from, boolean forward) {}

    /** A run handed to the ledger and not yet done: its blocks, from height {@code start} on. */
    private record Committing(List<Buffered> run, long start) {}

    /** A lazily announced block being fetched: who announced it, who was asked, the hedge timer. */
    private static final class Fetch {
        final ByteString headerHash;
        final int bodyBytes;
        final boolean forward;
        final List<PkiId> announcers = new ArrayList<>();
        int asked;
        /** When the first announcer was asked (clock milliseconds). */
        long askedAtMillis;
        Scheduler.Timer hedge;

        Fetch(ByteString headerHash, int bodyBytes, boolean forward) {
            this.headerHash = headerHash;
            this.bodyBytes = bodyBytes;
            this.forward = forward;
        }
    }

    private final BlockGossipConfig config;
    private final BlockLedger ledger;
    private final Membership membership;
    private final PeerRuntime runtime;
    private final Transport<BlockMessage> transport;
    private final BlockGossipListener listener;
    private final GossipCounters counters = new GossipCounters();
    private final FetchPace fetchPace = new FetchPace();
    private final SeenBlocks seen;
    /** {@link #committedHeadHash()} as last read, and the ledger height it was read at. */
    private ByteString headHash;
    private long headHashHeight = -1;
    private final NavigableMap<Long, Buffered> buffer = new TreeMap<>();
    private final NavigableMap<Long, Fetch> fetches = new TreeMap<>();
    private final RangeRepair repair;
    private final List<Scheduler.Timer> timers = new ArrayList<>();
    /** Tree push: neighbours this peer no longer pushes small blocks to (and that no longer push to it). */
    private final SmallPeerSet pruned;
    /** Tree push: announcements to pruned neighbours ranked below this peer, held in case they claim the block first. */
    private final DeferredAnnouncements deferred;
    /** The run being committed, or null. Its blocks stay in {@link #buffer} until its outcome arrives. */
    private Committing committing;
    /** True while {@link #drain} is on the stack: an outcome that arrives inside its commit call is its to handle. */
    private boolean draining;
    /** The outcome of a commit that completed inside {@link #drain}'s call: the number rejected, or -1. */
    private long rejectedInline = -1;
    /**
     * Tree push: sources of repaired blocks that were waiting behind a run still committing; grafted once a commit
     * advances the height. Bounded by the neighbourhood (a set of neighbours).
     */
    private final TreeSet<PkiId> graftWhenCommitted = new TreeSet<>();
    /**
     * The height each neighbour was last shown by a new block pushed or announced to it, so a heartbeat
     * does not repeat it while blocks flow ({@link #heartbeat}). Bounded by the neighbourhood, as the claims are.
     */
    private final PeerHeights toldHeights;
    /** When this peer's committed height last rose (clock milliseconds). */
    private long heightRoseAtMillis;

    public BlockGossip(BlockGossipConfig config, BlockLedger ledger, Membership membership, PeerRuntime runtime,
            Transport<BlockMessage> transport, BlockGossipListener listener) {
        this.config = config;
        this.ledger = ledger;
        this.membership = membership;
        this.runtime = runtime;
        this.transport = transport;
        this.listener = listener;
        this.seen = new SeenBlocks(config.seenBlocksMax());
        // Sets and tables bounded by the neighbourhood are sized for it now (see PeerHeights' constructor).
        int neighbours = membership.neighbours().size();
        this.pruned = new SmallPeerSet(neighbours);
        this.toldHeights = new PeerHeights(neighbours);
        this.deferred = new DeferredAnnouncements(runtime.scheduler(), config.announceDeferralMillis(),
                this::tell,
                (peer, announce) -> membership.neighbours().contains(peer)
                        && !hasClaimed(peer, announce, Counter.ANNOUNCES_SUPPRESSED));
        this.repair = new RangeRepair(config, runtime.fork(), transport, counters, listener, new RangeRepair.Blocks() {
            @Override
            public long height() {
                return committedHeight();
            }

            @Override
            public boolean isCovered(long number) {
                return buffer.containsKey(number) || fetches.containsKey(number);
            }

            @Override
            public long offerAll(List<Block> blocks, PkiId from) {
                return BlockGossip.this.offerAll(blocks, from);
            }
        }, neighbours);
    }

    /** Starts the periodic heartbeat and repair check, each at a random phase so peers do not tick in step. */
    public void start() {
        schedulePeriodic(config.heartbeatIntervalMillis(), this::heartbeat);
        schedulePeriodic(config.repairCheckIntervalMillis(), repair::repair);
    }

    /** Cancels every timer and request (the peer is stopping or crashed). */
    public void stop() {
        timers.forEach(Scheduler.Timer::cancel);
        timers.clear();
        fetches.values().forEach(fetch -> {
            if (fetch.hedge != null) {
                fetch.hedge.cancel();
            }
        });
        fetches.clear();
        graftWhenCommitted.clear();
        deferred.stop();
        repair.stop();
    }

    private void schedulePeriodic(long intervalMillis, Runnable task) {
        long phase = runtime.random().nextLong(0, intervalMillis);
        timers.add(runtime.scheduler().schedulePeriodic(phase, intervalMillis, task));
    }

    /** A block from the orderer (this peer is its organisation's leader): commit, then disseminate. */
    public void onOrdererBlock(Block block) {
        seen.add(idOf(block));
        offer(block, null, true);
    }

    /**
     * True if {@code message} would change nothing here: an announcement of a block this peer already has or
     * holds (a tree-push peer hears of every block from each pruned neighbour; announcements of a block being
     * fetched still count, as hedging needs their senders). The channel may drop such a message before paying
     * for its signature check, since nothing of it reaches any state.
     *
     * <p>Not stale: an announcement of a block held for commit that this peer will then spread, or whose
     * announcements it holds back for a moment ({@link DeferredAnnouncements}). Its sender's claim spares this
     * peer's announcement to it ({@link #hasClaimed}): one signature check for one signed message less on the wire.
     */
    public boolean isStale(BlockMessage message) {
        return message instanceof BlockMessage.Announce announce && hasOrHolds(announce)
                && !announcesYet(announce.number());
    }

    /**
     * This peer is still to announce block {@code number}: it waits in the reorder buffer to be spread once committed,
     * or its announcements to some neighbours wait in {@link #deferred}.
     */
    private boolean announcesYet(long number) {
        Buffered held = buffer.get(number);
        return held != null && held.forward() && (config.treePush() || config.announceToAllNeighbours())
                || deferred.holds(number);
    }

    /** The announced block is committed, waiting in the reorder buffer, or was received already. */
    private boolean hasOrHolds(BlockMessage.Announce announce) {
        long number = announce.number();
        return number < committedHeight() || buffer.containsKey(number)
                || seen.contains(new BlockId(number, announce.headerHash()));
    }

    public void onMessage(PkiId from, BlockMessage message) {
        if (message instanceof BlockMessage.Push push) {
            onPush(from, push);
        } else if (message instanceof BlockMessage.Announce announce) {
            onAnnounce(from, announce);
        } else if (message instanceof BlockMessage.Request request) {
            onRequest(from, request);
        } else if (message instanceof BlockMessage.Heartbeat heartbeat) {
            onHeartbeat(from, heartbeat);
        } else if (message instanceof BlockMessage.RangeRequest request) {
            onRangeRequest(from, request);
        } else if (message instanceof BlockMessage.RangeResponse response) {
            repair.onResponse(from, response);
        } else if (message instanceof BlockMessage.Prune) {
            pruned.add(from);
        } else if (message instanceof BlockMessage.Graft) {
            pruned.remove(from);
        }
    }

    private void onPush(PkiId from, BlockMessage.Push push) {
        counters.increment(Counter.BODIES_RECEIVED);
        Block block = push.block();
        long number = block.getHeader().getNumber();
        repair.onClaim(from, push.senderHeightAtLeast(), membership.neighbours());
        Fetch fetch = fetches.get(number);
        if (fetch != null) {
            if (fetch.hedge != null) {
                fetch.hedge.cancel();
            }
            fetches.remove(number);
            if (fetch.asked > 0 && fetch.headerHash.equals(HeaderHashes.of(block))) {
                fetchPace.record(fetch.bodyBytes, runtime.clock().nowMillis() - fetch.askedAtMillis);
            }
        }
        if (!seen.add(idOf(block))) {
            counters.increment(Counter.DUPLICATE_BODIES);
            // Only small blocks are pushed eagerly; a large duplicate answers a (hedged) request and prunes nothing.
            if (config.treePush() && push.forward() && fetch == null
                    && block.getSerializedSize() <= config.lazyPushThresholdBytes() && pruned.add(from)) {
                // An eager push of a block that arrived first by another path: this edge closes a cycle; prune it.
                counters.increment(Counter.PRUNES_SENT);
                transport.send(from, new BlockMessage.Prune());
            }
            return;
        }
        if (config.treePush() && push.forward()) {
            // The first arrival came this way: keep the edge eager.
            pruned.remove(from);
        }
        offer(block, from, push.forward() || (fetch != null && fetch.forward));
    }

    private void onAnnounce(PkiId from, BlockMessage.Announce announce) {
        counters.increment(Counter.ANNOUNCES_RECEIVED);
        long number = announce.number();
        repair.onClaim(from, announce.senderHeightAtLeast(), membership.neighbours());
        if (hasOrHolds(announce)) {
            return;
        }
        if (number >= committedHeight() + config.payloadBufferBlocksMax()) {
            // Too far ahead to buffer: the heartbeat-driven repair fetches it in order.
            return;
        }
        Fetch fetch = fetches.get(number);
        if (fetch == null) {
            fetch = new Fetch(announce.headerHash(), announce.bodyBytes(), announce.forward());
            fetches.put(number, fetch);
            fetch.announcers.add(from);
            if (config.treePush() && announce.forward() && announce.bodyBytes() <= config.lazyPushThresholdBytes()) {
                // A tree push "IHAVE": the body is on its way along the tree; fetch it only if it is late.
                Fetch deferred = fetch;
                fetch.hedge = runtime.scheduler().schedule(config.hedgeDelayMillis(), () -> {
                    if (fetches.get(number) == deferred) {
                        askNext(number, deferred);
                    }
                });
            } else {
                askNext(number, fetch);
            }
        } else if (fetch.headerHash.equals(announce.headerHash()) && !fetch.announcers.contains(from)) {
            fetch.announcers.add(from);
        }
    }

    /** Asks the next announcer not yet asked, and arms the hedge timer for the one after. */
    private void askNext(long number, Fetch fetch) {
        if (fetch.asked >= fetch.announcers.size()) {
            return;
        }
        PkiId announcer = fetch.announcers.get(fetch.asked++);
        if (config.treePush() && fetch.forward) {
            // Fetching a new block from this announcer grafts it (Plumtree's GRAFT is the request itself).
            pruned.remove(announcer);
        }
        counters.increment(fetch.asked == 1 ? Counter.REQUESTS_SENT : Counter.HEDGED_REQUESTS);
        if (fetch.asked == 1) {
            fetch.askedAtMillis = runtime.clock().nowMillis();
        }
        transport.send(announcer, new BlockMessage.Request(number, fetch.headerHash, fetch.forward));
        fetch.hedge = runtime.scheduler().schedule(fetchPace.hedgeDelayMillis(config, fetch.bodyBytes), () -> {
            Fetch current = fetches.get(number);
            if (current == fetch) {
                if (fetch.asked < fetch.announcers.size()) {
                    askNext(number, fetch);
                } else {
                    // Nobody else announced it: let repair fetch it.
                    fetches.remove(number);
                }
            }
        });
    }

    private void onRequest(PkiId from, BlockMessage.Request request) {
        // A block of the run being committed is not durable yet: not served.
        Block block = request.number() >= committedHeight() ? null : ledger.block(request.number()).orElse(null);
        if (block == null || !HeaderHashes.of(block).equals(request.headerHash())) {
            counters.increment(Counter.UNKNOWN_BLOCK_REQUESTS);
            listener.onDropped(from, "request for block " + request.number() + ", which this peer does not have");
            return;
        }
        if (config.treePush() && request.forward()) {
            pruned.remove(from);
        }
        transport.send(from, new BlockMessage.Push(block, request.forward()));
    }

    private void heartbeat() {
        PeerSet neighbours = membership.neighbours();
        if (config.treePush() && !neighbours.isEmpty() && pruned.size() >= neighbours.size()
                && allPruned(neighbours)) {
            // Cut off from every push path: graft one neighbour back at random.
            PkiId peer = neighbours.get(runtime.random().nextInt(neighbours.size()));
            pruned.remove(peer);
            counters.increment(Counter.GRAFTS_SENT);
            transport.send(peer, new BlockMessage.Graft());
        }
        long height = committedHeight();
        // While blocks flow, a neighbour that was pushed or announced the newest one knows our height; once the height
        // has stood still for an interval it is told again, in case that message was lost.
        boolean recentlyRisen = runtime.clock().nowMillis() - heightRoseAtMillis < config.heartbeatIntervalMillis();
        BlockMessage.Heartbeat heartbeat = null;
        for (PkiId peer : membership.neighbours().sample(runtime.random(), config.heartbeatFanout(), null)) {
            if (!config.pullOnHeartbeat() && (repair.claimedHeight(peer) >= height
                    || recentlyRisen && toldHeights.get(peer, 0L) >= height)) {
                // It has every block this peer has (its own messages said so), or was just told our height.
                counters.increment(Counter.HEARTBEATS_SUPPRESSED);
                continue;
            }
            if (heartbeat == null) {
                heartbeat = new BlockMessage.Heartbeat(height, committedHeadHash(), config.pullOnHeartbeat());
            }
            transport.send(peer, heartbeat);
        }
    }

    private void onHeartbeat(PkiId from, BlockMessage.Heartbeat heartbeat) {
        repair.onStatedHeight(from, heartbeat.height(), membership.neighbours());
        if (heartbeat.pull()) {
            // Fabric's pull: after the digest wait, offer our newest blocks the sender lacks, as announcements.
            runtime.scheduler().schedule(config.pullResponseDelayMillis(), () -> answerPull(from, heartbeat.height()));
        }
        if (config.repairOnHeartbeat() && heartbeat.height() > committedHeight()) {
            repair.repair();
        }
    }

    private void answerPull(PkiId to, long theirHeight) {
        long height = committedHeight();
        for (long n = Math.max(theirHeight, height - config.pullWindowBlocks()); n < height; n++) {
            ledger.block(n).ifPresent(block -> transport.send(to,
                    new BlockMessage.Announce(block.getHeader().getNumber(), headerHash(block), block.getSerializedSize(), false)));
        }
    }

    private void onRangeRequest(PkiId from, BlockMessage.RangeRequest request) {
        long from0 = request.from();
        long to = request.toExclusive();
        if (from0 < 0 || to <= from0 || to - from0 > config.rangeRequestBlocksMax()) {
            counters.increment(Counter.ABSURD_RANGE_REQUESTS);
            listener.onDropped(from, "range request " + from0 + ".." + to + " is empty, negative or over "
                    + config.rangeRequestBlocksMax() + " blocks");
            return;
        }
        List<Block> blocks = new ArrayList<>();
        long end = Math.min(to, committedHeight());
        for (long n = from0; n < end; n++) {
            ledger.block(n).ifPresent(blocks::add);
        }
        transport.send(from, new BlockMessage.RangeResponse(request.requestId(), blocks));
    }

    /**
     * Takes a block in: commits it if it is next, buffers it if it is ahead, drops it if it is old or too
     * far ahead. Returns false only if the block was found invalid by a commit that completed in this call.
     */
    private boolean offer(Block block, PkiId from, boolean forward) {
        long number = block.getHeader().getNumber();
        if (!buffer(block, from, forward)) {
            return true;
        }
        long rejected = drain();
        if (number > firstMissing() && config.repairOnHeartbeat()) {
            // A gap below this block: repair it now rather than at the next check.
            repair.repair();
        }
        return rejected != number;
    }

    /**
     * Takes a repaired range in: buffers all of it, then drains once, so a range response is committed in one
     * {@link BlockLedger#commitAll} call rather than block by block. Returns the number of the first block of
     * {@code blocks} found invalid by a commit that completed in this call, or -1.
     */
    private long offerAll(List<Block> blocks, PkiId from) {
        boolean took = false;
        for (Block block : blocks) {
            took |= buffer(block, from, false);
        }
        long heightBefore = committedHeight();
        long rejected = drain();
        if (config.treePush() && committedHeight() > heightBefore) {
            graft(from);
        } else if (config.treePush() && took && committing != null) {
            // Whether the repair helped is known only once the run ahead of these blocks is committed.
            graftWhenCommitted.add(from);
        }
        if (blocks.isEmpty() || rejected < blocks.get(0).getHeader().getNumber()
                || rejected > blocks.get(blocks.size() - 1).getHeader().getNumber()) {
            return -1;
        }
        return rejected;
    }

    /**
     * Blocks had to be repaired: the push tree missed this peer. Graft the source back in (whatever this side
     * believes, the source may have pruned us: a graft is idempotent and costs one small message).
     */
    private void graft(PkiId source) {
        pruned.remove(source);
        counters.increment(Counter.GRAFTS_SENT);
        transport.send(source, new BlockMessage.Graft());
    }

    /** Puts a block in the reorder buffer; false if it is old, already buffered, or too far ahead (counted). */
    private boolean buffer(Block block, PkiId from, boolean forward) {
        long number = block.getHeader().getNumber();
        long height = committedHeight();
        if (number < height || buffer.containsKey(number)) {
            return false;
        }
        // The orderer's blocks come in order and nobody else has them yet: while a run commits they wait here, as they
        // waited in the executor's queue when commits ran on it (dropping one would leave a gap no neighbour can fill).
        // Their bound is the leader's intake stream's, as before.
        boolean fromOrdererDuringCommit = from == null && committing != null;
        if (number >= height + config.payloadBufferBlocksMax() && !fromOrdererDuringCommit) {
            counters.increment(Counter.BUFFER_OVERFLOWS);
            listener.onDropped(from, "block " + number + " is beyond the reorder buffer (height " + height + ")");
            return false;
        }
        buffer.put(number, new Buffered(block, from, forward));
        return true;
    }

    /**
     * Commits buffered blocks in order while the next one is there, each consecutive run in one
     * {@link BlockLedger#startCommit} call (the ledger pipelines its checks) of at most {@code repairBatchBlocks}
     * blocks, one range response's worth. Bounded because forwarding and the listener follow the commit: a run
     * as long as the buffer would hold back the spread of its first blocks for a whole buffer's commit time,
     * and past a few times the ledger's look-ahead (8 blocks by default) a longer call gains little. Starts
     * nothing while a run is committing (its outcome drains on). Returns the number rejected by a commit that
     * completed within this call, or -1 (also when the run started completes later).
     */
    private long drain() {
        if (committing != null) {
            return -1;
        }
        draining = true;
        try {
            while (true) {
                List<Buffered> run = nextRun();
                if (run.isEmpty()) {
                    return -1;
                }
                Committing started = new Committing(run, ledger.height());
                committing = started;
                rejectedInline = -1;
                List<Block> blocks = new ArrayList<>(run.size());
                run.forEach(buffered -> blocks.add(buffered.block()));
                ledger.startCommit(blocks, outcome -> onCommitOutcome(started, outcome));
                if (committing == started) {
                    // Committing elsewhere: the outcome arrives later as an event.
                    return -1;
                }
                if (rejectedInline >= 0) {
                    return rejectedInline;
                }
            }
        } finally {
            draining = false;
        }
    }

    /** The buffered blocks from the ledger's height on, up to the first gap or {@code repairBatchBlocks}. */
    private List<Buffered> nextRun() {
        List<Buffered> run = new ArrayList<>();
        for (long number = committedHeight(); run.size() < config.repairBatchBlocks(); number++) {
            Buffered next = buffer.get(number);
            if (next == null) {
                break;
            }
            run.add(next);
        }
        return run;
    }

    /**
     * The end of a commit started by {@link #drain}. Inside drain's own call, drain carries on; as a later event,
     * this carries on as {@link #offer} would have after a synchronous commit: the next run, then repair of a
     * gap and the grafts that waited for the height to move.
     */
    private void onCommitOutcome(Committing run, CommitOutcome outcome) {
        if (committing != run) {
            throw new IllegalStateException("the ledger reported a commit of blocks " + run.start() + ".."
                    + (run.start() + run.run().size() - 1) + " twice or out of turn");
        }
        committing = null;
        long rejected = finishRun(run, outcome);
        if (draining) {
            rejectedInline = rejected;
            return;
        }
        if (rejected < 0) {
            drain();
        }
        if (config.repairOnHeartbeat() && !buffer.isEmpty() && buffer.lastKey() > firstMissing()) {
            // A gap below buffered blocks: repair it now rather than at the next check.
            repair.repair();
        }
        if (!graftWhenCommitted.isEmpty() && (committing != null || committedHeight() > run.start())) {
            List<PkiId> sources = new ArrayList<>(graftWhenCommitted);
            graftWhenCommitted.clear();
            sources.forEach(this::graft);
        }
    }

    /**
     * Handles a run's outcome as if its blocks were committed one at a time: counted, reported and forwarded in
     * order, and a rejected block forgotten and its sender penalised. Blocks after a rejected one stay buffered.
     * A storage failure fails here as the commit call would have. Returns the number rejected, or -1.
     */
    private long finishRun(Committing committed, CommitOutcome outcome) {
        List<Buffered> run = committed.run();
        long start = committed.start();
        if (outcome.committed()) {
            onCommitted(run);
            return -1;
        }
        if (!(outcome.failure() instanceof BlockRejectedException rejection)) {
            // A storage failure, say: report what the call committed, drop the block it failed on (as the
            // per-block loop did, so a copy from elsewhere can replace it), and fail as before.
            int done = (int) Math.max(0, Math.min(run.size(), ledger.height() - start));
            onCommitted(run.subList(0, done));
            if (done < run.size()) {
                buffer.remove(start + done);
            }
            throw outcome.rethrow();
        }
        // The ledger's height says how far the call got; the rejected block must be the one after that.
        long committedUpTo = ledger.height();
        if (committedUpTo < start || committedUpTo >= start + run.size() || rejection.blockNumber() != committedUpTo) {
            throw new IllegalStateException("ledger rejected block " + rejection.blockNumber() + " of the run "
                    + start + ".." + (start + run.size() - 1) + " but its height is " + committedUpTo, rejection);
        }
        int done = (int) (committedUpTo - start);
        onCommitted(run.subList(0, done));
        Buffered bad = run.get(done);
        buffer.remove(start + done);
        counters.increment(Counter.BLOCKS_REJECTED);
        // Forget we saw it, so an honest copy of the same block is not suppressed as a duplicate.
        seen.remove(idOf(bad.block()));
        if (bad.from() != null) {
            repair.penalise(bad.from(), rejection.getMessage());
        }
        return bad.block().getHeader().getNumber();
    }

    /**
     * The height this peer advertises and serves below: the ledger's, except while a run commits, when it stays
     * where the run started (the run's blocks are not durable until its outcome says so).
     */
    private long committedHeight() {
        return committing == null ? ledger.height() : committing.start();
    }

    /** Header hash of the block below {@link #committedHeight()}. */
    private ByteString committedHeadHash() {
        if (committing == null) {
            long height = ledger.height();
            if (height != headHashHeight) {
                // Read once per new head, not once per heartbeat: an append-only chain changes its head only with its height.
                headHash = ledger.headHashString();
                headHashHeight = height;
            }
            return headHash;
        }
        long head = committing.start() - 1;
        return headerHash(ledger.block(head).orElseThrow(
                () -> new IllegalStateException("the ledger lost block " + head + " below a run being committed")));
    }

    /** The first block number above the committed height that is neither committing nor buffered. */
    private long firstMissing() {
        long number = committedHeight();
        while (buffer.containsKey(number)) {
            number++;
        }
        return number;
    }

    /** Committed blocks, in order: out of the buffer, counted, reported, and forwarded if they are new. */
    private void onCommitted(List<Buffered> committed) {
        if (!committed.isEmpty()) {
            heightRoseAtMillis = runtime.clock().nowMillis();
        }
        committed.forEach(buffered -> buffer.remove(buffered.block().getHeader().getNumber()));
        for (Buffered buffered : committed) {
            counters.increment(Counter.BLOCKS_COMMITTED);
            listener.onBlockCommitted(buffered.block().getHeader().getNumber(), buffered.from());
            if (buffered.forward()) {
                disseminate(buffered.block(), buffered.from());
            }
        }
    }

    /**
     * Spreads a committed block to neighbours other than its sender: small blocks pushed whole to a fanout,
     * large ones announced; with {@code announceToAllNeighbours}, every other neighbour gets the announcement.
     * No neighbour is told of a block it has claimed already ({@link #announce}).
     */
    private void disseminate(Block block, PkiId sender) {
        PeerSet others = sender == null ? membership.neighbours() : membership.neighbours().without(sender);
        BlockMessage.Announce announce = new BlockMessage.Announce(block.getHeader().getNumber(), headerHash(block),
                block.getSerializedSize(), true);
        boolean lazy = block.getSerializedSize() > config.lazyPushThresholdBytes();
        if (lazy && config.announceToAllNeighbours()) {
            for (int i = 0; i < others.size(); i++) {
                announce(others.get(i), announce);
            }
            return;
        }
        if (config.treePush() && !lazy) {
            BlockMessage.Push push = new BlockMessage.Push(block, true);
            List<PkiId> lazyPeers = new ArrayList<>();
            for (int i = 0; i < others.size(); i++) {
                PkiId peer = others.get(i);
                if (!pruned.contains(peer)) {
                    // An eager neighbour whose own push or announcement crossed ours has the block: spare the body.
                    if (!hasClaimed(peer, announce, Counter.PUSHES_SUPPRESSED)) {
                        tell(peer, push);
                    }
                } else if (!hasClaimed(peer, announce, Counter.ANNOUNCES_SUPPRESSED)) {
                    lazyPeers.add(peer);
                }
            }
            for (PkiId peer : PeerSet.of(lazyPeers).sample(runtime.random(), config.treeAnnounceFanout(), null)) {
                // One direction of each edge at once, the other after a short delay (see DeferredAnnouncements).
                if (membership.self().compareTo(peer) < 0) {
                    tell(peer, announce);
                } else {
                    deferred.add(peer, announce);
                }
            }
            return;
        }
        List<PkiId> pushed = others.sample(runtime.random(), config.pushFanout(), null);
        BlockMessage.Push push = new BlockMessage.Push(block, true);
        for (PkiId peer : pushed) {
            if (lazy) {
                announce(peer, announce);
            } else {
                tell(peer, push);
            }
        }
        if (config.announceToAllNeighbours()) {
            for (int i = 0; i < others.size(); i++) {
                PkiId peer = others.get(i);
                if (!pushed.contains(peer)) {
                    announce(peer, announce);
                }
            }
        }
    }

    /** Sends {@code announce} to {@code peer} unless the peer has claimed the block already. */
    private void announce(PkiId peer, BlockMessage.Announce announce) {
        if (!hasClaimed(peer, announce, Counter.ANNOUNCES_SUPPRESSED)) {
            tell(peer, announce);
        }
    }

    /** Sends a new block's push or announcement, remembering the height {@code peer} now knows we have reached. */
    private void tell(PkiId peer, BlockMessage message) {
        transport.send(peer, message);
        toldHeights.raise(peer, message.senderHeightAtLeast());
        toldHeights.keepWithin(membership.neighbours());
    }

    /**
     * True (and {@code skipped} counted) if {@code peer} has claimed a height above the announced block: its own
     * announcement, push or heartbeat arrived before this peer committed the block. Telling it would only cost a
     * message it drops as stale or duplicate; so on each edge the peer that commits first tells the other and the
     * other stays silent. Robustness to loss is unchanged: a peer that claimed the block has it, and every peer that
     * may lack it is still told.
     */
    private boolean hasClaimed(PkiId peer, BlockMessage.Announce announce, Counter skipped) {
        if (repair.claimedHeight(peer) > announce.number()) {
            counters.increment(skipped);
            return true;
        }
        return false;
    }

    private boolean allPruned(PeerSet neighbours) {
        for (int i = 0; i < neighbours.size(); i++) {
            if (!pruned.contains(neighbours.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static BlockId idOf(Block block) {
        return new BlockId(block.getHeader().getNumber(), headerHash(block));
    }

    private static ByteString headerHash(Block block) {
        return HeaderHashes.of(block);
    }

    public GossipCounters counters() {
        return counters;
    }

    /**
     * The ledger's height, readable from any thread (a ledger's reads are). While a run commits on another thread
     * it may run ahead of the height this peer advertises, which waits for the run's outcome.
     */
    public long height() {
        return ledger.height();
    }

    int bufferedBlocks() {
        return buffer.size();
    }

    /** True while a run handed to the ledger has not reported its outcome. */
    boolean isCommitting() {
        return committing != null;
    }
}
