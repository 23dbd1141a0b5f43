package io.hearsay.testnet.sim;

import io.hearsay.discovery.runtime.MessageHandler;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.identity.PkiId;
import io.hearsay.testnet.sim.ModelComparisonMessages.Rumor;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * What the three models share in one comparison run: the event loop, the simulated network of {@code peers}
 * peers (indexes 0..n-1), crashes, which peers belong to which join cohort, join-message counting, and rumor
 * bookkeeping (who saw which rumor first, when, after how many hops).
 */
final class ModelComparisonWorld {
    /** Which window join messages are being counted for. */
    enum Phase { HEALTHY, FAULT, NONE }

    static final int COHORT_INFRASTRUCTURE = 0;
    static final int COHORT_ORIGINAL = 1;
    static final int COHORT_JOINER = 2;

    final EventLoop loop;
    final RandomSource random;
    final SimulatedNetwork<Object> network;
    final PkiId[] ids;
    /** Lookups only. */
    private final Map<PkiId, Integer> indexOf = new HashMap<>();
    final boolean[] crashed;
    final int[] cohort;
    private ModelComparisonModel model;
    private Phase phase = Phase.NONE;
    private long healthyJoinMessages;
    private long faultJoinMessages;
    /** Per rumor id, the peers that have seen it (lookups only). */
    private final Map<Long, BitSet> seen = new HashMap<>();
    /** The dissemination being measured: its rumor id and each peer's first receipt. */
    private long measuredRumor = -1;
    private final long[] firstSeenMicros;
    private final int[] firstSeenHops;
    /** Gossip sends: rumor id → whether the target got it. */
    private final Map<Long, Boolean> targetReached = new HashMap<>();

    ModelComparisonWorld(int peers, LinkModel link, long seed) {
        this.loop = new EventLoop(500_000_000L);
        this.random = RandomSource.seeded(seed);
        this.network = new SimulatedNetwork<>(loop, random.fork(), link, ModelComparisonMessages::sizeBytes);
        network.reserve(peers);
        ids = new PkiId[peers];
        crashed = new boolean[peers];
        cohort = new int[peers];
        firstSeenMicros = new long[peers];
        firstSeenHops = new int[peers];
        for (int i = 0; i < peers; i++) {
            ids[i] = PkiId.fromBytes(ByteBuffer.allocate(PkiId.LENGTH_BYTES).putInt(i).array());
            indexOf.put(ids[i], i);
            network.add(ids[i], null);
        }
    }

    void attach(ModelComparisonModel model) {
        this.model = model;
    }

    int indexOf(PkiId id) {
        Integer index = indexOf.get(id);
        return index == null ? -1 : index;
    }

    /** A runtime for one component of one peer: the loop's clock and timers, its own random stream. */
    PeerRuntime runtime() {
        return new PeerRuntime(loop, loop, random.fork());
    }

    /** Registers {@code peer}'s model handler; rumors are handled here for every model alike. */
    void handle(int peer, MessageHandler<Object> handler) {
        network.setHandler(ids[peer], (from, message) -> {
            if (message instanceof Rumor rumor) {
                onRumor(peer, indexOf(from), rumor);
            } else {
                handler.onMessage(from, message);
            }
        });
    }

    /** {@code peer}'s transport, counting join messages of the cohort whose window is open. */
    <M> Transport<M> transportOf(int peer) {
        Transport<Object> raw = network.transportOf(ids[peer]);
        return (to, message) -> {
            if (model.isJoinMessage(message)) {
                int other = indexOf(to);
                if (phase == Phase.HEALTHY && (cohort[peer] == COHORT_ORIGINAL || other >= 0 && cohort[other] == COHORT_ORIGINAL)) {
                    healthyJoinMessages++;
                } else if (phase == Phase.FAULT && (cohort[peer] == COHORT_JOINER || other >= 0 && cohort[other] == COHORT_JOINER)) {
                    faultJoinMessages++;
                }
            }
            raw.send(to, message);
        };
    }

    void crash(int peer) {
        crashed[peer] = true;
        network.crash(ids[peer]);
    }

    void setPhase(Phase phase) {
        this.phase = phase;
    }

    long healthyJoinMessages() {
        return healthyJoinMessages;
    }

    long faultJoinMessages() {
        return faultJoinMessages;
    }

    // ---- rumors ----

    /** Starts measuring rumor {@code id} from {@code source}: the source has it at hop 0. */
    void startMeasuredRumor(int source, long id) {
        measuredRumor = id;
        Arrays.fill(firstSeenMicros, -1);
        firstSeenMicros[source] = loop.nowMicros();
        firstSeenHops[source] = 0;
        seen.computeIfAbsent(id, k -> new BitSet()).set(source);
    }

    /** Marks a gossip send's rumor as originating at {@code source}. */
    void startTargetedRumor(int source, long id) {
        targetReached.put(id, false);
        seen.computeIfAbsent(id, k -> new BitSet()).set(source);
    }

    void sendRumor(int from, int to, Rumor rumor) {
        transportOf(from).send(ids[to], new Rumor(rumor.id(), rumor.target(), rumor.hops() + 1));
    }

    private void onRumor(int peer, int from, Rumor rumor) {
        BitSet peers = seen.computeIfAbsent(rumor.id(), k -> new BitSet());
        if (peers.get(peer)) {
            return;
        }
        peers.set(peer);
        if (rumor.id() == measuredRumor) {
            firstSeenMicros[peer] = loop.nowMicros();
            firstSeenHops[peer] = rumor.hops();
        }
        if (rumor.target() != null && rumor.target().equals(ids[peer])) {
            targetReached.put(rumor.id(), true);
        }
        model.forward(peer, from, rumor);
    }

    long firstSeenMicros(int peer) {
        return firstSeenMicros[peer];
    }

    int firstSeenHops(int peer) {
        return firstSeenHops[peer];
    }

    boolean targetReached(long rumorId) {
        return targetReached.getOrDefault(rumorId, false);
    }
}
