package io.hearsay.testnet.sim;

import io.hearsay.discovery.auth.AuthenticatedChannel;
import io.hearsay.discovery.auth.IntegrityConfig;
import io.hearsay.discovery.auth.KeyedHashAuthenticator;
import io.hearsay.discovery.auth.MessageAuthenticator;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.discovery.membership.StaticMembership;
import io.hearsay.discovery.runtime.MessageHandler;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.gossip.auth.Codecs;
import io.hearsay.gossip.block.BlockGossip;
import io.hearsay.gossip.block.BlockGossipConfig;
import io.hearsay.gossip.block.BlockGossipListener;
import io.hearsay.gossip.block.BlockLedger;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.gossip.block.GossipCounters.Counter;
import io.hearsay.identity.PkiId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Block dissemination on simulated peers: one organisation, a random graph of a given degree, peer 0 the
 * leader fed by an orderer that cuts a block every {@code blockIntervalMillis}. Every peer runs the real
 * {@link BlockGossip}; the network and time are simulated. Records when each peer commits each block, so
 * a run reports time-to-all percentiles, copies received per peer and bytes per peer per block.
 */
public final class BlockSimulation {
    /** What to simulate. */
    public record Scenario(int peers, int degree, BlockGossipConfig config, LinkModel link, int payloadBytes,
            int blocks, long blockIntervalMillis, long seed, Authenticators authenticators) {
        public Scenario {
            if (peers < 2) {
                throw new IllegalArgumentException("peers must be at least 2, got " + peers);
            }
            if (degree < 1 || degree >= peers) {
                throw new IllegalArgumentException("degree must be between 1 and peers-1, got " + degree);
            }
        }

        /** With the fast keyed-hash stand-in for signatures. */
        public Scenario(int peers, int degree, BlockGossipConfig config, LinkModel link, int payloadBytes, int blocks,
                long blockIntervalMillis, long seed) {
            this(peers, degree, config, link, payloadBytes, blocks, blockIntervalMillis, seed, null);
        }
    }

    /** Makes each simulated peer's authenticator (null in a scenario: the keyed-hash stand-in). */
    @FunctionalInterface
    public interface Authenticators {
        MessageAuthenticator of(int peer, PkiId id);
    }

    private final Scenario scenario;
    private final EventLoop loop;
    private final RandomSource random;
    private final SimulatedNetwork<SignedMessage<BlockMessage>> network;
    private final BlockSource orderer;
    /** Makes a peer's ledger: at construction, and again for {@link #restartEmpty}. */
    private final IntFunction<BlockLedger> ledgers;
    private boolean started;
    private final ArrayList<PkiId> ids = new ArrayList<>();
    private final List<PeerSet> peerSets = new ArrayList<>();
    /** One instance for every peer's channel: a record per peer would cost 100,000 copies of four numbers. */
    private final IntegrityConfig integrity;
    private final Map<PkiId, String> directory = new HashMap<>();
    private final BlockLedger[] chains;
    private final BlockGossip[] gossip;
    private final AuthenticatedChannel<BlockMessage>[] channels;
    private final MessageAuthenticator[] authenticators;
    private final KeyedHashAuthenticator.Secrets secrets;
    private final long[] cutMicros;
    /** Live peers, and live peers holding the orderer's newest block: the stop condition in O(1). */
    private int livePeers;
    private int liveAtTop;
    private final long[][] commitMicros;

    /** Lightweight chains and a signature-free orderer: what runs 100,000 peers. */
    public BlockSimulation(Scenario scenario) {
        this(scenario, new SimulatedOrderer(scenario.payloadBytes()), null);
    }

    /**
     * Any orderer and ledgers, e.g. real in-memory {@code Ledger}s behind {@link BlockLedger#of}, so gossip
     * commits through full validation. {@code ledgers} null: {@link SimulatedChain}s on a {@link SimulatedOrderer}.
     */
    public BlockSimulation(Scenario scenario, BlockSource orderer, IntFunction<BlockLedger> ledgers) {
        this.scenario = scenario;
        this.loop = new EventLoop(2_000_000_000L);
        this.random = RandomSource.seeded(scenario.seed());
        this.network = new SimulatedNetwork<>(loop, random.fork(), scenario.link(), signed -> signed.message().sizeBytes());
        this.orderer = orderer;
        this.integrity = integrityFor(scenario.link());
        this.ledgers = ledgers == null ? peer -> new SimulatedChain((SimulatedOrderer) orderer) : ledgers;
        int n = scenario.peers();
        network.reserve(n);
        // Every delivery reads its sender's PKI-ID (hash, and the words of the signed content): the IDs are made from
        // one scratch array, so each lies in 72 bytes beside the next rather than among the buffers that made it, and
        // the directory's entries come after them all.
        ids.ensureCapacity(n);
        ByteBuffer idBytes = ByteBuffer.allocate(PkiId.LENGTH_BYTES);
        for (int i = 0; i < n; i++) {
            ids.add(PkiId.fromBytes(idBytes.putInt(0, i).array()));
        }
        ids.forEach(id -> directory.put(id, "Org1MSP"));
        int[][] graph = buildRandomGraph(random.fork());
        chains = new BlockLedger[n];
        gossip = new BlockGossip[n];
        @SuppressWarnings("unchecked")
        AuthenticatedChannel<BlockMessage>[] channelArray = new AuthenticatedChannel[n];
        channels = channelArray;
        authenticators = new MessageAuthenticator[n];
        RandomSource secretRandom = random.fork();
        Map<PkiId, Long> secretsById = new HashMap<>();
        ids.forEach(id -> secretsById.put(id, secretRandom.nextLong()));
        secrets = KeyedHashAuthenticator.Secrets.of(secretsById);
        cutMicros = new long[scenario.blocks() + 1];
        commitMicros = new long[scenario.blocks() + 1][n];
        for (long[] row : commitMicros) {
            Arrays.fill(row, -1);
        }
        livePeers = n;
        liveAtTop = n;
        for (int i = 0; i < n; i++) {
            peerSets.add(neighbourSet(graph[i]));
            chains[i] = this.ledgers.apply(i);
            authenticators[i] = scenario.authenticators() == null
                    ? new KeyedHashAuthenticator(ids.get(i), secrets) : scenario.authenticators().of(i, ids.get(i));
            network.add(ids.get(i), null);
            gossip[i] = newGossip(i);
        }
    }

    /**
     * The channels' checks: the defaults, but on links whose latency spreads over at most
     * {@value #SMALL_REPLAY_WINDOW_JITTER_MICROS_MAX} µs a {@value #SMALL_REPLAY_WINDOW_MESSAGES}-message replay
     * window. A sender's window is most of a simulated peer's memory: at 10,000 peers the default 1,024-message
     * windows were 14 MB (a fifth of the heap), and every delivery reads one. A message is refused as too old only
     * if that many later ones from its sender overtook it; on a LAN the most seen is 80 (5 % loss, a block every
     * 5 ms, a fifth of the peers wiped and catching up: {@code BlockGossipSimulationTest}, which checks that no
     * honest message is dropped), so 256 leaves three times that. Across a WAN's 60 ms spread a busy sender is
     * overtaken by some 300, so WAN runs keep the default. A link changed mid-run through {@link #network()} keeps
     * the window chosen here.
     */
    static IntegrityConfig integrityFor(LinkModel link) {
        IntegrityConfig defaults = IntegrityConfig.defaults();
        if (link.latencyMaxMicros() - link.latencyMinMicros() > SMALL_REPLAY_WINDOW_JITTER_MICROS_MAX) {
            return defaults;
        }
        return new IntegrityConfig(SMALL_REPLAY_WINDOW_MESSAGES, defaults.messagesPerSecondMax(),
                defaults.burstMessagesMax());
    }

    /** The replay window on such links, in messages: four words of bits where the default takes sixteen. */
    static final int SMALL_REPLAY_WINDOW_MESSAGES = 256;
    /** The latency spread (max − min) up to which that window is used: a LAN's 0.5–2 ms. */
    static final long SMALL_REPLAY_WINDOW_JITTER_MICROS_MAX = 2_000;

    /**
     * A peer's neighbours, made in the loop that makes the rest of its state: nearly every event reads the set, and
     * beside that state it shares its pages and lines, where a table of every peer's set was one more miss apart.
     */
    private PeerSet neighbourSet(int[] adjacent) {
        List<PkiId> members = new ArrayList<>(adjacent.length);
        for (int neighbour : adjacent) {
            members.add(ids.get(neighbour));
        }
        return PeerSet.of(members);
    }

    /**
     * Each peer links to random others until it has about {@code degree} neighbours; links are symmetric.
     * Returns each peer's neighbours by index (unordered; {@link PeerSet#of} sorts them). Peer indexes stand in
     * for PKI-IDs while the graph is built, one to one, so the sets and the draws are those of a set of PKI-IDs,
     * without 100,000 tree sets kept for the whole run.
     */
    private int[][] buildRandomGraph(RandomSource graphRandom) {
        int n = scenario.peers();
        int degree = scenario.degree();
        int[][] adjacent = new int[n][];
        int[] counts = new int[n];
        for (int i = 0; i < n; i++) {
            adjacent[i] = new int[Math.max(4, degree + 2)];
        }
        for (int i = 0; i < n; i++) {
            // A ring first, so the graph is connected whatever the random links.
            link(adjacent, counts, i, (i + 1) % n);
        }
        for (int i = 0; i < n; i++) {
            int attempts = 0;
            while (counts[i] < degree && attempts++ < 4 * degree) {
                int j = graphRandom.nextInt(n);
                if (j != i) {
                    link(adjacent, counts, i, j);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            adjacent[i] = Arrays.copyOf(adjacent[i], counts[i]);
        }
        return adjacent;
    }

    private static void link(int[][] adjacent, int[] counts, int a, int b) {
        addOnce(adjacent, counts, a, b);
        addOnce(adjacent, counts, b, a);
    }

    /** Adds {@code neighbour} to {@code peer}'s list unless it is there: a set of a few ints. */
    private static void addOnce(int[][] adjacent, int[] counts, int peer, int neighbour) {
        int[] list = adjacent[peer];
        int count = counts[peer];
        for (int k = 0; k < count; k++) {
            if (list[k] == neighbour) {
                return;
            }
        }
        if (count == list.length) {
            list = Arrays.copyOf(list, count * 2);
            adjacent[peer] = list;
        }
        list[count] = neighbour;
        counts[peer] = count + 1;
    }

    /**
     * What a peer's channel hands verified messages to and asks whether a message is stale: one object for both,
     * holding the gossip itself, so a delivery reads one small object of the receiving peer where two lambdas and
     * the gossip array were (at 10,000 peers each is a cache miss).
     */
    private static final class GossipEndpoint implements MessageHandler<BlockMessage>, Predicate<BlockMessage> {
        /** Set once, right after the channel: the gossip needs the channel's transport to exist. */
        BlockGossip gossip;

        @Override
        public void onMessage(PkiId from, BlockMessage message) {
            gossip.onMessage(from, message);
        }

        @Override
        public boolean test(BlockMessage message) {
            return gossip.isStale(message);
        }
    }

    /** A peer's gossip behind its authenticated channel; a restart makes both afresh, as a process restart would. */
    private BlockGossip newGossip(int peer) {
        StaticMembership membership = new StaticMembership(ids.get(peer), peerSets.get(peer), directory);
        PeerRuntime runtime = new PeerRuntime(loop, loop, random.fork());
        GossipEndpoint endpoint = new GossipEndpoint();
        channels[peer] = new AuthenticatedChannel<>(ids.get(peer), authenticators[peer], Codecs.BLOCKS, membership, loop,
                integrity, network.transportOf(ids.get(peer)), endpoint, (from, reason) -> { }, loop.nowMicros());
        network.setHandler(ids.get(peer), channels[peer]);
        channels[peer].skipStale(endpoint);
        endpoint.gossip = new BlockGossip(scenario.config(), chains[peer], membership, runtime, channels[peer].transport(),
                new BlockGossipListener() {
                    @Override
                    public void onBlockCommitted(long number, PkiId from) {
                        if (number < commitMicros.length && commitMicros[(int) number][peer] < 0) {
                            commitMicros[(int) number][peer] = loop.nowMicros();
                        }
                        if (number + 1 == orderer.height()) {
                            liveAtTop++;
                        }
                    }
                });
        return endpoint.gossip;
    }

    /** Runs the scenario: the orderer cuts all blocks, then the run continues until every live peer has them. */
    public Result run(long timeLimitMillis) {
        start();
        for (int b = 1; b <= scenario.blocks(); b++) {
            loop.schedule(scenario.blockIntervalMillis() * b, this::deliverNextBlock);
        }
        long limitMicros = timeLimitMillis * 1000;
        boolean done = loop.runWhile(() -> !allLiveHaveAll(), limitMicros);
        return result(done);
    }

    /**
     * Starts every peer's gossip (its heartbeat and repair timers) without scheduling the scenario's blocks:
     * for tests that drive the run themselves with {@link #cutBlock}, {@link #advance} and {@link #runUntil}.
     * Call it once, before crashing or restarting peers; {@link #run} calls it if nobody has.
     */
    public void start() {
        if (started) {
            return;
        }
        started = true;
        for (int i = 0; i < gossip.length; i++) {
            // A peer crashed before the start has no timers to run; its restart starts them.
            if (!network.isCrashed(ids.get(i))) {
                gossip[i].start();
            }
        }
    }

    /**
     * Has the orderer cut its next block now and hands it to the leader, peer 0, exactly as a scheduled cut of
     * {@link #run} does; the block then spreads as virtual time advances. Blocks beyond the scenario's
     * {@code blocks} are not in the latency records of {@link Result}.
     *
     * @return the block cut
     */
    public Block cutBlock() {
        return deliverNextBlock();
    }

    private Block deliverNextBlock() {
        Block block = orderer.cut();
        long number = block.getHeader().getNumber();
        liveAtTop = 0;
        if (number < cutMicros.length) {
            cutMicros[(int) number] = loop.nowMicros();
            commitMicros[(int) number][0] = loop.nowMicros();
        }
        gossip[0].onOrdererBlock(block);
        return block;
    }

    /**
     * Runs events until {@code condition} holds or {@code maxMillis} of virtual time have passed, whichever
     * comes first. The condition is checked before every event, so keep it cheap.
     *
     * @return whether the condition holds
     */
    public boolean runUntil(BooleanSupplier condition, long maxMillis) {
        return loop.runWhile(() -> !condition.getAsBoolean(), loop.nowMicros() + maxMillis * 1000);
    }

    /** Runs until {@code millis} of virtual time from now have passed (faults are injected between calls). */
    public void advance(long millis) {
        loop.runUntil(loop.nowMicros() + millis * 1000);
    }

    /**
     * Whether every live peer holds every block. O(1): the run loop asks before every event, so it reads a
     * counter of live peers at the top height, kept by commits, cuts, crashes and restarts.
     */
    public boolean allLiveHaveAll() {
        return orderer.height() > scenario.blocks() && liveAtTop == livePeers;
    }

    private boolean atTop(int peer) {
        return chains[peer].height() == orderer.height();
    }

    public void crash(int peer) {
        if (network.isCrashed(ids.get(peer))) {
            return;
        }
        gossip[peer].stop();
        network.crash(ids.get(peer));
        livePeers--;
        if (atTop(peer)) {
            liveAtTop--;
        }
    }

    /** Restarts a crashed peer: its chain survived; its gossip state starts afresh. */
    public void restart(int peer) {
        if (!network.isCrashed(ids.get(peer))) {
            return;
        }
        livePeers++;
        if (atTop(peer)) {
            liveAtTop++;
        }
        network.restart(ids.get(peer));
        gossip[peer] = newGossip(peer);
        if (started) {
            // Before the start, start() starts it with everyone else: starting it here too doubled its timers.
            gossip[peer].start();
        }
    }

    /**
     * Crashes {@code peer} if it is live, replaces its ledger with a fresh one from the ledger factory (genesis
     * only: a wiped disk or a new machine) and restarts it, so it must sync the whole chain from its neighbours.
     */
    public void restartEmpty(int peer) {
        crash(peer);
        chains[peer] = ledgers.apply(peer);
        restart(peer);
    }

    public boolean isCrashed(int peer) {
        return network.isCrashed(ids.get(peer));
    }

    public void partition(List<Integer> side) {
        network.partition(side.stream().map(ids::get).toList(), 1);
    }

    public void heal() {
        network.heal();
    }

    public long height(int peer) {
        return chains[peer].height();
    }

    public BlockGossip gossip(int peer) {
        return gossip[peer];
    }

    public BlockLedger chain(int peer) {
        return chains[peer];
    }

    public SimulatedNetwork<SignedMessage<BlockMessage>> network() {
        return network;
    }

    public AuthenticatedChannel<BlockMessage> channel(int peer) {
        return channels[peer];
    }

    public EventLoop loop() {
        return loop;
    }

    public PkiId id(int peer) {
        return ids.get(peer);
    }

    public int indexOf(PkiId peer) {
        return ids.indexOf(peer);
    }

    /** {@code peer}'s neighbours in PKI-ID order (a copy). */
    public NavigableSet<PkiId> neighboursOf(int peer) {
        return new TreeSet<>(peerSets.get(peer).toList());
    }

    /**
     * For block {@code number} of the scenario (1 to {@code blocks}): each peer's delay from the orderer's cut to
     * its commit, in virtual ms, for the peers that hold it (the leader's is 0), in peer order. What a chart of
     * the fraction of peers holding a block over time is drawn from.
     */
    public double[] commitDelaysMillis(int number) {
        if (number < 1 || number > scenario.blocks()) {
            throw new IllegalArgumentException("block " + number + " is not one of the scenario's blocks 1 to "
                    + scenario.blocks());
        }
        long[] commits = commitMicros[number];
        return Arrays.stream(commits).filter(micros -> micros >= 0)
                .mapToDouble(micros -> (micros - cutMicros[number]) / 1000.0).toArray();
    }

    private Result result(boolean converged) {
        int n = scenario.peers();
        List<Double> toAll = new ArrayList<>();
        List<Double> perPeer = new ArrayList<>();
        for (int b = 1; b <= scenario.blocks(); b++) {
            double last = 0;
            for (int p = 0; p < n; p++) {
                if (commitMicros[b][p] >= 0) {
                    double latency = (commitMicros[b][p] - cutMicros[b]) / 1000.0;
                    perPeer.add(latency);
                    last = Math.max(last, latency);
                }
            }
            toAll.add(last);
        }
        long bodies = 0;
        long bytes = 0;
        for (int p = 0; p < n; p++) {
            bodies += gossip[p].counters().get(Counter.BODIES_RECEIVED);
            bytes += network.bytesReceived(ids.get(p));
        }
        double blockBytes = orderer.block(1).getSerializedSize();
        double peerBlocks = (double) (n - 1) * scenario.blocks();
        long lacking = 0;
        for (BlockLedger chain : chains) {
            lacking += chain.height() < orderer.height() ? 1 : 0;
        }
        return new Result(converged, loop.nowMillis(), Percentiles.of(toAll), List.copyOf(toAll), Percentiles.of(perPeer),
                bodies / peerBlocks, bytes / peerBlocks / blockBytes, (int) blockBytes, (double) lacking / n,
                (double) network.totalMessagesSent() / n, loop.executedEvents(), network.traceHash());
    }

    /**
     * @param copiesPerPeerPerBlock block bodies received per peer per block (1.0 is the ideal)
     * @param bytesPerPeerPerBlockRatio all bytes a peer received, per block, divided by the block size
     * @param residue fraction of peers that do not hold every block at the end of the run
     */
    public record Result(boolean converged, long virtualMillis, Percentiles timeToAllMillis,
            List<Double> timeToAllMillisByBlock, Percentiles perPeerLatencyMillis, double copiesPerPeerPerBlock,
            double bytesPerPeerPerBlockRatio, int blockBytes, double residue, double messagesPerPeer, long events,
            long traceHash) {}
}
