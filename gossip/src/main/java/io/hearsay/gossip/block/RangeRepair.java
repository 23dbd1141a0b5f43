package io.hearsay.gossip.block;

import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.gossip.block.GossipCounters.Counter;
import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Anti-entropy for blocks: repairs the range between this peer's height and the highest height its
 * neighbours claim, by range requests of {@code repairBatchBlocks}, up to {@code repairInflightBatchesMax}
 * at once, each to the least-loaded peer that claims the blocks (so a catch-up stripes across sources).
 * A request answered short of what its peer claimed, or with blocks that fail validation, penalises that peer: it
 * is avoided for {@code penaltyMillis}. A request unanswered in {@code repairTimeoutMillis} skips its peer for one
 * more timeout; three in a row (a peer down, or claiming what it never serves) penalise it.
 *
 * <pre>
 *   claims:  B says height 900, C says 900          own height 500, buffered {532}
 *   plan:    [500,532) → B   [533,597) → C   [597,661) → B ...   (gaps only, least-loaded source)
 *   B ──RangeResponse(500..531)──▶ offer each; ask the next gap at once (pipelined, not stop-and-wait)
 * </pre>
 */
final class RangeRepair {
    /** An outstanding range request. */
    private record Inflight(PkiId peer, long from, long toExclusive, Scheduler.Timer timeout) {}

    /** What repair needs to know of the peer's blocks: height and which numbers are buffered. */
    interface Blocks {
        long height();

        /**
         * True if block {@code number} needs no range request: it waits in the reorder buffer, or a lazy-push
         * fetch of it is under way (repair asking too would download a large body twice).
         */
        boolean isCovered(long number);

        /**
         * Hands a repaired run of consecutive blocks to the commit path in one go; returns the number of the
         * first of them rejected as invalid, or -1.
         */
        long offerAll(List<org.hyperledger.fabric.protos.common.Block> blocks, PkiId from);
    }

    private final BlockGossipConfig config;
    private final PeerRuntime runtime;
    private final Transport<BlockMessage> transport;
    private final GossipCounters counters;
    private final BlockGossipListener listener;
    private final Blocks blocks;
    private final PeerHeights claimedHeights;
    private final NavigableMap<PkiId, Long> penalisedUntilMillis = new TreeMap<>();
    /** Range requests in a row each peer left unanswered; any answer resets it. */
    private final NavigableMap<PkiId, Integer> consecutiveTimeouts = new TreeMap<>();
    static final int TIMEOUTS_BEFORE_PENALTY = 3;
    private final NavigableMap<Long, Inflight> inflight = new TreeMap<>();
    private long nextRequestId = 1;

    RangeRepair(BlockGossipConfig config, PeerRuntime runtime, Transport<BlockMessage> transport,
            GossipCounters counters, BlockGossipListener listener, Blocks blocks, int expectedNeighbours) {
        this.config = config;
        this.claimedHeights = new PeerHeights(expectedNeighbours);
        this.runtime = runtime;
        this.transport = transport;
        this.counters = counters;
        this.listener = listener;
        this.blocks = blocks;
    }

    /** {@code peer} says it has blocks below {@code height}. Only neighbours' claims are kept (bounded). */
    void onClaim(PkiId peer, long height, PeerSet neighbours) {
        if (neighbours.contains(peer)) {
            claimedHeights.raise(peer, height);
            claimedHeights.keepWithin(neighbours);
        }
    }

    /**
     * {@code peer}'s heartbeat states its height now. Unlike the claim a push or an announcement implies, it replaces
     * the recorded claim even if lower: a peer that restarted with fewer blocks (a wiped disk) must be told of blocks
     * and sent heartbeats again. A heartbeat overtaken by a later message only makes the claim too low for a while,
     * which costs at most a message the peer drops as stale.
     */
    void onStatedHeight(PkiId peer, long height, PeerSet neighbours) {
        if (neighbours.contains(peer)) {
            claimedHeights.set(peer, height);
            claimedHeights.keepWithin(neighbours);
        }
    }

    /**
     * The height {@code peer} last claimed, 0 if none: it has every block below. Claims rise but for a heartbeat stating
     * less ({@link #onStatedHeight}), and honest peers claim only what they committed, so a claim above a block's number
     * means the peer needs no news of it.
     */
    long claimedHeight(PkiId peer) {
        return claimedHeights.get(peer, 0L);
    }

    long highestClaim() {
        long highest = 0;
        for (int i = 0; i < claimedHeights.size(); i++) {
            if (!isPenalised(claimedHeights.peer(i))) {
                highest = Math.max(highest, claimedHeights.height(i));
            }
        }
        return highest;
    }

    /** Requests missing ranges until the pipeline is full or nothing is missing. */
    void repair() {
        long ceiling = Math.min(highestClaim(), blocks.height() + config.payloadBufferBlocksMax());
        while (inflight.size() < config.repairInflightBatchesMax()) {
            long from = firstUncovered(blocks.height(), ceiling);
            if (from >= ceiling) {
                return;
            }
            PkiId source = leastLoadedSource(from);
            if (source == null) {
                return;
            }
            long to = Math.min(Math.min(from + config.repairBatchBlocks(), ceiling), claimedHeights.get(source, 0));
            for (long n = from + 1; n < to; n++) {
                if (blocks.isCovered(n) || isRequested(n)) {
                    to = n;
                    break;
                }
            }
            long requestId = nextRequestId++;
            Scheduler.Timer timeout = runtime.scheduler().schedule(config.repairTimeoutMillis(), () -> onTimeout(requestId));
            inflight.put(requestId, new Inflight(source, from, to, timeout));
            counters.increment(Counter.RANGE_REQUESTS_SENT);
            transport.send(source, new BlockMessage.RangeRequest(requestId, from, to));
        }
    }

    void onResponse(PkiId from, BlockMessage.RangeResponse response) {
        Inflight request = inflight.get(response.requestId());
        if (request == null || !request.peer().equals(from)) {
            counters.increment(Counter.UNSOLICITED_RESPONSES);
            listener.onDropped(from, "range response " + response.requestId() + " answers no request of ours to this peer");
            return;
        }
        inflight.remove(response.requestId());
        request.timeout().cancel();
        consecutiveTimeouts.remove(from);
        long expected = request.from();
        int inOrder = 0;
        for (var block : response.blocks()) {
            counters.increment(Counter.BODIES_RECEIVED);
            if (block.getHeader().getNumber() != expected || expected >= request.toExclusive()) {
                penalise(from, "range response holds block " + block.getHeader().getNumber() + " where "
                        + expected + " was due");
                break;
            }
            inOrder++;
            expected++;
        }
        long rejected = inOrder == 0 ? -1 : blocks.offerAll(response.blocks().subList(0, inOrder), from);
        if (rejected >= 0) {
            // The commit path already penalised whoever supplied the rejected block; here it only ends the range.
            expected = rejected;
        }
        long claimed = claimedHeights.get(from, 0L);
        if (expected < request.toExclusive() && claimed > expected) {
            counters.increment(Counter.SHORT_RANGE_RESPONSES);
            penalise(from, "claimed height " + claimed + " but served only up to " + expected);
        }
        repair();
    }

    private void onTimeout(long requestId) {
        Inflight request = inflight.remove(requestId);
        if (request == null) {
            return;
        }
        counters.increment(Counter.RANGE_TIMEOUTS);
        // One silence is no evidence of misbehaviour: under message loss honest peers time out too, and penalising at
        // once stalled repair for penaltyMillis at a time (seen at 30 % loss on real links). Skip the peer for one
        // timeout so the next request goes to another; only a peer silent TIMEOUTS_BEFORE_PENALTY times in a row
        // (down, or claiming what it never serves) is penalised and its height no longer believed.
        int silences = consecutiveTimeouts.merge(request.peer(), 1, Integer::sum);
        if (silences >= TIMEOUTS_BEFORE_PENALTY) {
            consecutiveTimeouts.remove(request.peer());
            penalise(request.peer(), "range request " + request.from() + ".." + request.toExclusive() + " timed out, "
                    + silences + " in a row");
        } else {
            penalisedUntilMillis.put(request.peer(), runtime.clock().nowMillis() + config.repairTimeoutMillis());
        }
        repair();
    }

    void penalise(PkiId peer, String reason) {
        counters.increment(Counter.PEERS_PENALISED);
        listener.onDropped(peer, reason);
        penalisedUntilMillis.put(peer, runtime.clock().nowMillis() + config.penaltyMillis());
        // Its claim is no longer believed; a fresh heartbeat after the penalty restores it.
        claimedHeights.remove(peer);
    }

    boolean isPenalised(PkiId peer) {
        Long until = penalisedUntilMillis.get(peer);
        if (until == null) {
            return false;
        }
        if (until <= runtime.clock().nowMillis()) {
            penalisedUntilMillis.remove(peer);
            return false;
        }
        return true;
    }

    private long firstUncovered(long start, long ceiling) {
        long n = start;
        while (n < ceiling && (blocks.isCovered(n) || isRequested(n))) {
            n++;
        }
        return n;
    }

    private boolean isRequested(long number) {
        for (Inflight request : inflight.values()) {
            if (number >= request.from() && number < request.toExclusive()) {
                return true;
            }
        }
        return false;
    }

    /** Among non-penalised peers claiming block {@code number}, those with fewest requests; random among ties. */
    private PkiId leastLoadedSource(long number) {
        List<PkiId> best = new ArrayList<>();
        int bestLoad = Integer.MAX_VALUE;
        for (int i = 0; i < claimedHeights.size(); i++) {
            PkiId peer = claimedHeights.peer(i);
            if (claimedHeights.height(i) <= number || isPenalised(peer)) {
                continue;
            }
            int load = 0;
            for (Inflight request : inflight.values()) {
                if (request.peer().equals(peer)) {
                    load++;
                }
            }
            if (load < bestLoad) {
                best.clear();
                bestLoad = load;
            }
            if (load == bestLoad) {
                best.add(peer);
            }
        }
        return best.isEmpty() ? null : best.get(runtime.random().nextInt(best.size()));
    }

    int inflightRequests() {
        return inflight.size();
    }

    void stop() {
        inflight.values().forEach(request -> request.timeout().cancel());
        inflight.clear();
    }
}
