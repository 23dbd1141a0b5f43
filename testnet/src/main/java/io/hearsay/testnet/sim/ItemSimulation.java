package io.hearsay.testnet.sim;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.discovery.membership.StaticMembership;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.gossip.item.AntiEntropy;
import io.hearsay.gossip.item.ExchangeMode;
import io.hearsay.gossip.item.ItemListener;
import io.hearsay.gossip.item.ItemMessage;
import io.hearsay.gossip.item.ItemStore;
import io.hearsay.gossip.item.RumorMonger;
import io.hearsay.gossip.item.RumorPolicy;
import io.hearsay.gossip.item.VersionedItem;
import io.hearsay.identity.PkiId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One update spreading through {@code peers} peers by anti-entropy or rumor mongering, in synchronous
 * rounds as Demers et al. (1987) define them: every peer acts once per round on the state it had at the
 * round's start. All peers act at exactly r × {@link #ROUND_MICROS}; links take at most a few ms, so every
 * message of round r (replies included) lands before round r+1. Peers pick partners uniformly among all
 * others (a complete graph), as in the paper.
 */
public final class ItemSimulation {
    /** One round of virtual time: long against link latency, so rounds are synchronous. */
    public static final long ROUND_MICROS = 1_000_000;
    /** A run that has not finished after this many rounds is stopped and reported as such. */
    public static final int ROUNDS_MAX = 10_000;

    /** The exchange under test. */
    public enum Mode {
        PUSH, PULL, PUSH_PULL, RUMOR_FEEDBACK_COUNTER, RUMOR_BLIND_COIN;

        boolean isRumor() {
            return this == RUMOR_FEEDBACK_COUNTER || this == RUMOR_BLIND_COIN;
        }
    }

    public record Scenario(int peers, Mode mode, int fanout, int k, double loss, long seed) {
        public Scenario {
            if (peers < 2) {
                throw new IllegalArgumentException("peers must be at least 2, got " + peers);
            }
            if (fanout < 1) {
                throw new IllegalArgumentException("fanout must be at least 1, got " + fanout);
            }
            if (k < 1) {
                throw new IllegalArgumentException("k must be at least 1, got " + k);
            }
        }
    }

    /**
     * One run's outcome. Times are in rounds (Demers' cycles): {@code tAve} is the mean round in which a
     * reached peer first held the update, {@code tLast} the last such round; the origin counts as round 0.
     */
    public record Result(int rounds, boolean finished, double residue, double tAve, int tLast, double messagesPerPeer,
            double copiesPerPeer, double bytesPerPeer, long virtualMillisToAll, long events, long traceHash) {}

    private static final VersionedItem UPDATE = new VersionedItem("update", 1, ByteString.copyFromUtf8("v1"));

    private final Scenario scenario;
    // Built by setUp(): every peer's protocol, the network and the loop (see run()).
    private EventLoop loop;
    private SimulatedNetwork<ItemMessage> network;
    private long[] receivedAtMicros;
    private final long[] copies = {0};
    private final int[] reached = {1};
    private Runnable[] rounds;
    private RumorMonger[] mongers;

    public ItemSimulation(Scenario scenario) {
        this.scenario = scenario;
    }

    /**
     * Builds the peers, their protocols and the network; {@link #run()} calls it if the caller has not. Separate
     * so the simulator benchmark can time setup apart from the run. Idempotent.
     */
    public void setUp() {
        if (loop != null) {
            return;
        }
        int n = scenario.peers();
        loop = new EventLoop(Long.MAX_VALUE);
        RandomSource random = RandomSource.seeded(scenario.seed());
        network = new SimulatedNetwork<>(loop, random.fork(), LinkModel.lan().withLoss(scenario.loss()),
                ItemMessage::sizeBytes);
        network.reserve(n);
        List<PkiId> ids = new ArrayList<>(n);
        java.util.HashMap<PkiId, String> directory = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            PkiId id = PkiId.fromBytes(ByteBuffer.allocate(PkiId.LENGTH_BYTES).putInt(i).array());
            ids.add(id);
            directory.put(id, "Org1MSP");
        }
        PeerSet everyone = PeerSet.of(ids);
        receivedAtMicros = new long[n];
        Arrays.fill(receivedAtMicros, -1);
        receivedAtMicros[0] = 0;

        rounds = new Runnable[n];
        mongers = new RumorMonger[n];
        for (int i = 0; i < n; i++) {
            // Handlers come with the protocols below, which need their peer in the network first.
            network.add(ids.get(i), null);
        }
        for (int i = 0; i < n; i++) {
            int peer = i;
            PkiId id = ids.get(i);
            StaticMembership membership = new StaticMembership(id, everyone.without(id), directory);
            ItemListener listener = (item, from) -> {
                if (receivedAtMicros[peer] < 0) {
                    receivedAtMicros[peer] = loop.nowMicros();
                    reached[0]++;
                }
            };
            ItemStore store = new ItemStore(4);
            if (scenario.mode().isRumor()) {
                RumorPolicy policy = scenario.mode() == Mode.RUMOR_FEEDBACK_COUNTER
                        ? RumorPolicy.FEEDBACK_COUNTER : RumorPolicy.BLIND_COIN;
                RumorMonger monger = new RumorMonger(store, policy, scenario.k(), scenario.fanout(), membership,
                        random.fork(), network.transportOf(id), listener);
                mongers[i] = monger;
                rounds[i] = monger::onRound;
                network.setHandler(id, (from, message) -> {
                    copies[0] += itemCopies(message);
                    monger.onMessage(from, message);
                });
            } else {
                ExchangeMode exchange = ExchangeMode.valueOf(scenario.mode().name());
                AntiEntropy antiEntropy = new AntiEntropy(store, exchange, scenario.fanout(), membership, random.fork(),
                        network.transportOf(id), listener);
                if (i == 0) {
                    store.merge(UPDATE);
                }
                rounds[i] = antiEntropy::onRound;
                network.setHandler(id, (from, message) -> {
                    copies[0] += itemCopies(message);
                    antiEntropy.onMessage(from, message);
                });
            }
        }
        if (mongers[0] != null) {
            mongers[0].originate(UPDATE);
        }
    }

    /** Runs the rounds until the update has spread (or stopped spreading); once per simulation. */
    public Result run() {
        setUp();
        int n = scenario.peers();
        int round = 0;
        boolean finished = false;
        while (round < ROUNDS_MAX) {
            long start = round * ROUND_MICROS;
            loop.runUntil(start);
            if (isDone(reached[0], n, mongers, loop)) {
                finished = true;
                break;
            }
            loop.postMicros(start - loop.nowMicros(), () -> {
                for (Runnable peerRound : rounds) {
                    peerRound.run();
                }
            });
            loop.runUntil(start + ROUND_MICROS - 1);
            round++;
        }
        return result(round, finished, receivedAtMicros, network, copies[0], loop);
    }

    /** Anti-entropy is done when all have the update; rumor mongering when nobody spreads any more. */
    private boolean isDone(int reached, int n, RumorMonger[] mongers, EventLoop loop) {
        if (!scenario.mode().isRumor()) {
            return reached == n;
        }
        if (loop.pendingEvents() > 0) {
            return false;
        }
        for (RumorMonger monger : mongers) {
            if (monger.isSpreading()) {
                return false;
            }
        }
        return true;
    }

    private static long itemCopies(ItemMessage message) {
        if (message instanceof ItemMessage.Push push) {
            return push.items().size();
        }
        if (message instanceof ItemMessage.Reply reply) {
            return reply.items().size();
        }
        if (message instanceof ItemMessage.Rumor rumor) {
            return rumor.items().size();
        }
        return 0;
    }

    private Result result(int rounds, boolean finished, long[] receivedAtMicros, SimulatedNetwork<ItemMessage> network,
            long copies, EventLoop loop) {
        int n = scenario.peers();
        long reached = 0;
        double cycleSum = 0;
        int lastCycle = 0;
        long lastMicros = 0;
        for (int i = 1; i < n; i++) {
            if (receivedAtMicros[i] >= 0) {
                reached++;
                int cycle = (int) (receivedAtMicros[i] / ROUND_MICROS) + 1;
                cycleSum += cycle;
                lastCycle = Math.max(lastCycle, cycle);
                lastMicros = Math.max(lastMicros, receivedAtMicros[i]);
            }
        }
        double residue = (double) (n - 1 - reached) / n;
        long toAll = reached == n - 1 ? lastMicros / 1000 : -1;
        return new Result(rounds, finished, residue, reached == 0 ? 0 : cycleSum / reached, lastCycle,
                (double) network.totalMessagesSent() / n, (double) copies / n, (double) network.totalBytesSent() / n,
                toAll, loop.executedEvents(), network.traceHash());
    }
}
