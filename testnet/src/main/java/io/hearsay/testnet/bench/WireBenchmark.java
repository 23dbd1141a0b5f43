package io.hearsay.testnet.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.hearsay.gossip.block.BlockGossipConfig;
import io.hearsay.gossip.block.BlockGossipListener;
import io.hearsay.gossip.block.GossipCounters;
import io.hearsay.identity.PkiId;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.ledger.block.EndorserTransactions;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.GossipPeer;
import io.hearsay.peer.metrics.MessageType;
import io.hearsay.peer.transport.TransportCounters;
import io.hearsay.testnet.loopback.LoopbackNetwork;
import io.hearsay.testnet.sim.Percentiles;
import io.hearsay.testnet.support.WorkDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;

/**
 * Gossip on the wire, measured on a real loopback network of RocksDB peers (gRPC, mutual TLS, signed
 * messages, full block validation), in one JVM:
 *
 * <ul>
 *   <li><b>Dissemination.</b> For each network size and block size, blocks are handed one at a time to
 *       peer 0 (the leader, as if from the orderer); the time until every peer has committed a block is its
 *       time-to-all, and the bytes all peers but the origin received during the series (gossip frames,
 *       heartbeats included; TLS and HTTP/2 framing excluded), per peer per block, over the block's size,
 *       its redundancy. Three modes on the same transport: {@code hearsay} (LAN preset, chord-ring
 *       neighbours), {@code fabric} (Fabric's defaults, same neighbours), and {@code direct} (peer 0 pushes
 *       each block to every peer itself: the no-gossip lower bound for latency).
 *   <li><b>Catch-up.</b> A chain of blocks of endorsed blind-write transactions is imported into a fresh
 *       RocksDB ledger with {@code Ledger.commitAll} (the raw local import); three peers start with that
 *       ledger (its files hard-linked), a fourth starts empty and syncs from them; blocks/s and MB/s as a
 *       ratio to the raw import, for the {@code hearsay} and {@code fabric} presets.
 *   <li><b>Memory.</b> Resident size of the JVM with the largest network running, after a GC.
 * </ul>
 */
public final class WireBenchmark {
    /**
     * @param peerCounts network sizes (even: two organisations of equal size)
     * @param blockBytes target block sizes; a block is one endorsed transaction whose value fills it out (the
     *     smallest real block is larger than 1 KiB, so the measured size is reported and used)
     * @param blocks blocks per series for the hearsay and direct modes
     * @param fabricBlocks blocks per series for the fabric mode (each takes seconds: Fabric pulls every 4 s)
     * @param degree neighbours per peer in the gossip modes
     */
    public record Config(List<Integer> peerCounts, List<String> modes, List<Integer> blockBytes, int blocks, int fabricBlocks,
            int degree, int catchUpBlocks, int catchUpTransactions, boolean dissemination, boolean catchUp, Path workParent) {
        public static final List<String> MODES = List.of("direct", "hearsay", "fabric");
    }

    public record Dissemination(String mode, int peers, int targetBytes, int blockBytes, Percentiles timeToAllMillis,
            double receivedPerPeerPerBlock) {}

    public record CatchUp(String mode, long blocks, long bytes, double seconds) {
        public double blocksPerSecond() {
            return blocks / seconds;
        }

        public double megabytesPerSecond() {
            return bytes / 1e6 / seconds;
        }
    }

    public record Result(List<Dissemination> dissemination, List<CatchUp> catchUp, long residentBytesLargest,
            int largestNetwork) {}

    private static final Timestamp TIMESTAMP = Timestamp.newBuilder().setSeconds(1_700_000_000L).build();
    private static final List<ByteString> ARGUMENTS = List.of(ByteString.copyFromUtf8("put"));
    private static final long WAIT_NANOS_MAX = 600_000_000_000L;

    private final Config config;
    private final PrintWriter progress;

    public WireBenchmark(Config config, PrintWriter progress) {
        this.config = config;
        this.progress = progress;
    }

    public Result run() throws IOException, BlockRejectedException {
        List<Dissemination> dissemination = new ArrayList<>();
        List<CatchUp> catchUp = new ArrayList<>();
        long resident = 0;
        int largest = 0;
        try (WorkDirectory work = WorkDirectory.temporary("hearsay-bench-wire", config.workParent())) {
            if (config.dissemination()) {
                for (int peers : config.peerCounts()) {
                    for (String mode : config.modes()) {
                        try (LoopbackNetwork network = startNetwork(work.path().resolve(mode + "-" + peers), peers, mode)) {
                            dissemination.addAll(disseminate(network, mode));
                            if (peers >= largest && mode.equals("hearsay")) {
                                System.gc();
                                resident = ProcFiles.residentBytes().orElse(-1);
                                largest = peers;
                                Runtime jvm = Runtime.getRuntime();
                                progress.printf(Locale.ROOT,
                                        "memory: %d peers resident %.0f MiB (Java heap: %.0f MiB used of %.0f MiB committed, max %.0f MiB)%n",
                                        peers, resident / 1048576.0, (jvm.totalMemory() - jvm.freeMemory()) / 1048576.0,
                                        jvm.totalMemory() / 1048576.0, jvm.maxMemory() / 1048576.0);
                            }
                        }
                    }
                }
            }
            if (config.catchUp()) {
                catchUp.addAll(catchUp(work.path().resolve("catch-up")));
            }
        }
        return new Result(dissemination, catchUp, resident, largest);
    }

    // ---- dissemination

    /** Counts commits per block number and notes when the last peer committed. */
    private static final class Commits implements BlockGossipListener {
        final int peers;
        final ConcurrentHashMap<Long, AtomicInteger> counts = new ConcurrentHashMap<>();
        final ConcurrentHashMap<Long, Long> allAt = new ConcurrentHashMap<>();

        Commits(int peers) {
            this.peers = peers;
        }

        @Override
        public void onBlockCommitted(long number, PkiId from) {
            if (counts.computeIfAbsent(number, n -> new AtomicInteger()).incrementAndGet() == peers) {
                allAt.put(number, System.nanoTime());
            }
        }
    }

    private Commits commits;
    /** Serialised size of a one-transaction block with an empty value, per target size, for the current network. */
    private final Map<Integer, Integer> emptyBlockBytes = new HashMap<>();

    private LoopbackNetwork startNetwork(Path directory, int peers, String mode) {
        if (peers % 2 != 0 || peers < 4) {
            throw new IllegalArgumentException("network sizes must be even and at least 4, got " + peers);
        }
        BlockGossipConfig gossip = switch (mode) {
            case "direct" -> directSend(peers);
            case "fabric" -> BlockGossipConfig.fabric();
            default -> BlockGossipConfig.lan();
        };
        LoopbackNetwork.Topology topology = mode.equals("direct")
                ? LoopbackNetwork.Topology.star() : LoopbackNetwork.Topology.chordRing(config.degree());
        commits = new Commits(peers);
        emptyBlockBytes.clear();
        progress.printf(Locale.ROOT, "%s, %d peers: starting%n", mode, peers);
        LoopbackNetwork network = new LoopbackNetwork(directory, peers / 2,
                i -> GossipPeer.Settings.lan("peer" + i).withGossip(gossip), topology, commits).start();
        awaitConnected(network, topology);
        return network;
    }

    /** The LAN preset, but the origin pushes every block whole to all its neighbours (the star's leaves). */
    private static BlockGossipConfig directSend(int peers) {
        return BlockGossipConfig.lan().withTreePush(false).withPushFanout(peers - 1)
                .withLazyPushThresholdBytes(Long.MAX_VALUE);
    }

    private void awaitConnected(LoopbackNetwork network, LoopbackNetwork.Topology topology) {
        int n = network.size();
        int[] expected = new int[n];
        for (int i = 0; i < n; i++) {
            Set<Integer> linked = new HashSet<>(topology.neighbours(i, n));
            for (int j = 0; j < n; j++) {
                if (topology.neighbours(j, n).contains(i)) {
                    linked.add(j);
                }
            }
            linked.remove(i);
            expected[i] = linked.size();
        }
        waitFor("every peer connected to its neighbours", () -> IntStream.range(0, n)
                .allMatch(i -> network.peer(i).network().connectedPeers().size() >= expected[i]));
    }

    private List<Dissemination> disseminate(LoopbackNetwork network, String mode) {
        List<Dissemination> results = new ArrayList<>();
        int blocks = mode.equals("fabric") ? config.fabricBlocks() : config.blocks();
        Block previous = network.genesis();
        for (int target : config.blockBytes()) {
            // One unmeasured block first: connections, caches and JIT warm up for this size.
            previous = sendAndWait(network, sizedBlock(network.channel(), previous, target, "warm"));
            List<Double> times = new ArrayList<>();
            long received = receivedByOthers(network);
            long[] countersBefore = gossipCounters(network);
            long[] typesBefore = receivedByType(network);
            int actualBytes = 0;
            for (int b = 0; b < blocks; b++) {
                Block block = sizedBlock(network.channel(), previous, target, "b" + b);
                actualBytes = block.getSerializedSize();
                long start = System.nanoTime();
                previous = sendAndWait(network, block);
                times.add((commits.allAt.get(block.getHeader().getNumber()) - start) / 1e6);
            }
            double perPeerPerBlock = (receivedByOthers(network) - received) / (double) (network.size() - 1) / blocks / actualBytes;
            Dissemination result = new Dissemination(mode, network.size(), target, actualBytes, Percentiles.of(times), perPeerPerBlock);
            long[] countersAfter = gossipCounters(network);
            StringBuilder counts = new StringBuilder();
            for (GossipCounters.Counter counter : REPORTED) {
                counts.append(' ').append(counter.name().toLowerCase(Locale.ROOT)).append('=')
                        .append(countersAfter[counter.ordinal()] - countersBefore[counter.ordinal()]);
            }
            long[] typesAfter = receivedByType(network);
            StringBuilder types = new StringBuilder();
            for (MessageType type : MessageType.values()) {
                long bytes = typesAfter[type.ordinal()] - typesBefore[type.ordinal()];
                long messages = typesAfter[MessageType.values().length + type.ordinal()]
                        - typesBefore[MessageType.values().length + type.ordinal()];
                if (bytes > 0) {
                    types.append(String.format(Locale.ROOT, " %s=%.3f (%.2f × %d B)", type.label(),
                            bytes / (double) (network.size() - 1) / blocks / actualBytes,
                            messages / (double) (network.size() - 1) / blocks, bytes / messages));
                }
            }
            progress.printf(Locale.ROOT, "%s, %d peers, %d-byte blocks: time-to-all p50 %.1f ms p99 %.1f ms, received %.2f× block;%s;"
                    + " received ÷ block by type:%s%n", mode, network.size(), actualBytes, result.timeToAllMillis().p50(),
                    result.timeToAllMillis().p99(), perPeerPerBlock, counts, types);
            results.add(result);
        }
        return results;
    }

    private Block sendAndWait(LoopbackNetwork network, Block block) {
        long number = block.getHeader().getNumber();
        network.peer(0).onOrdererBlock(block);
        waitFor("block " + number + " at every peer", () -> commits.allAt.containsKey(number));
        return block;
    }

    /** Gossip counters worth seeing per series: they explain the bytes and the tail. */
    private static final List<GossipCounters.Counter> REPORTED = List.of(GossipCounters.Counter.DUPLICATE_BODIES,
            GossipCounters.Counter.HEDGED_REQUESTS, GossipCounters.Counter.PRUNES_SENT, GossipCounters.Counter.GRAFTS_SENT,
            GossipCounters.Counter.RANGE_REQUESTS_SENT);

    /** Every gossip counter summed over the network's peers. */
    private static long[] gossipCounters(LoopbackNetwork network) {
        long[] sums = new long[GossipCounters.Counter.values().length];
        for (int i = 0; i < network.size(); i++) {
            for (GossipCounters.Counter counter : GossipCounters.Counter.values()) {
                sums[counter.ordinal()] += network.peer(i).gossipCounters().get(counter);
            }
        }
        return sums;
    }

    /**
     * Gossip bytes the peers but the origin received per message type (the first {@link MessageType} count of entries),
     * then messages per type, as their channels counted them (encoded envelopes: what {@link #receivedByOthers} counts
     * but for the transport's own framing), so a ratio above 1 can be split into bodies, announcements, heartbeats
     * and repair.
     */
    private static long[] receivedByType(LoopbackNetwork network) {
        int types = MessageType.values().length;
        long[] sums = new long[2 * types];
        String channelId = network.ledger(0).channelId();
        for (int i = 1; i < network.size(); i++) {
            network.peer(i).channel(channelId).ifPresent(channel -> {
                for (MessageType type : MessageType.values()) {
                    sums[type.ordinal()] += channel.wireCounters().bytesReceived(type);
                    sums[types + type.ordinal()] += channel.wireCounters().messagesReceived(type);
                }
            });
        }
        return sums;
    }

    private static long receivedByOthers(LoopbackNetwork network) {
        long sum = 0;
        for (int i = 1; i < network.size(); i++) {
            sum += network.peer(i).transportCounters().get(TransportCounters.Counter.BYTES_RECEIVED);
        }
        return sum;
    }

    /**
     * The block after {@code previous} with one endorsed transaction whose value makes it about {@code bytes}
     * long. The size of a block with an empty value is measured once per network and target (signing a probe
     * transaction per block would double the bench's setup work).
     */
    private Block sizedBlock(SampleChannel channel, Block previous, int bytes, String label) {
        int empty = emptyBlockBytes.computeIfAbsent(bytes,
                b -> channel.next(previous, channel.put("pad-" + label, "")).getSerializedSize());
        return channel.next(previous, channel.put("pad-" + label, "x".repeat(Math.max(0, bytes - empty))));
    }

    private void waitFor(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT_NANOS_MAX;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            // Times are taken by the commit listener, not here: polling only decides when the next block goes.
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }

    // ---- catch-up

    private List<CatchUp> catchUp(Path directory) throws IOException, BlockRejectedException {
        List<CatchUp> results = new ArrayList<>();
        // One channel (crypto, genesis) shared by the raw import and both networks: they all hold the very same blocks.
        SampleChannel channel = new SampleChannel(directory.resolve("crypto"), 1, 2);
        Path raw = directory.resolve("raw");
        long[] bytes = new long[1];
        double rawSeconds = importChain(channel, raw, bytes);
        CatchUp rawResult = new CatchUp("raw import", config.catchUpBlocks(), bytes[0], rawSeconds);
        progress.printf(Locale.ROOT, "catch-up: raw local import %d blocks in %.1f s (%.0f blocks/s, %.1f MB/s)%n",
                config.catchUpBlocks(), rawSeconds, rawResult.blocksPerSecond(), rawResult.megabytesPerSecond());
        results.add(rawResult);
        for (String mode : List.of("hearsay", "fabric")) {
            BlockGossipConfig gossip = mode.equals("fabric") ? BlockGossipConfig.fabric() : BlockGossipConfig.lan();
            LoopbackNetwork network = new LoopbackNetwork(directory.resolve(mode), channel, i -> GossipPeer.Settings.lan("peer" + i)
                    .withGossip(gossip), LoopbackNetwork.Topology.fullMesh(), BlockGossipListener.NONE);
            try (network) {
                for (int source = 0; source < 3; source++) {
                    linkTree(raw, network.ledgerDirectory(source));
                }
                long target = config.catchUpBlocks() + 1L;
                long start = System.nanoTime();
                network.start();
                waitFor("the empty peer to sync", () -> network.peer(3).height() >= target);
                double seconds = (System.nanoTime() - start) / 1e9;
                CatchUp result = new CatchUp(mode, config.catchUpBlocks(), bytes[0], seconds);
                progress.printf(Locale.ROOT, "catch-up over gRPC, %s: %.1f s (%.0f blocks/s, %.1f MB/s), %.2f× the raw import%n",
                        mode, seconds, result.blocksPerSecond(), result.megabytesPerSecond(), rawSeconds / seconds);
                results.add(result);
            }
        }
        return results;
    }

    /** Generates the chain in slices (it would not fit in memory whole) and times only the commits. */
    private double importChain(SampleChannel channel, Path directory, long[] bytes) throws BlockRejectedException {
        long nanos = 0;
        List<SigningIdentity> endorsers = List.of(channel.org1Peer, channel.org2Peer);
        try (Ledger ledger = Ledgers.rocks(directory, channel.genesis, LedgerOptions.defaults())) {
            Block previous = channel.genesis;
            int slice = 200;
            for (int first = 1; first <= config.catchUpBlocks(); first += slice) {
                List<Block> blocks = new ArrayList<>(slice);
                for (int number = first; number < first + slice && number <= config.catchUpBlocks(); number++) {
                    int blockNumber = number;
                    List<ByteString> envelopes = IntStream.range(0, config.catchUpTransactions()).parallel()
                            .mapToObj(i -> EndorserTransactions.build(SampleChannel.CHANNEL, SampleChannel.CHAINCODE,
                                    channel.client, nonce(blockNumber, i), TIMESTAMP, ARGUMENTS, blindWrites(blockNumber, i),
                                    endorsers).toByteString())
                            .toList();
                    previous = channel.blocks.next(previous, envelopes);
                    blocks.add(previous);
                    bytes[0] += previous.getSerializedSize();
                }
                long start = System.nanoTime();
                ledger.commitAll(blocks);
                nanos += System.nanoTime() - start;
                if (first % 2000 == 1) {
                    progress.printf(Locale.ROOT, "catch-up: built and imported %d of %d blocks%n",
                            Math.min(first + slice - 1, config.catchUpBlocks()), config.catchUpBlocks());
                }
            }
        }
        return nanos / 1e9;
    }

    private static ByteString nonce(long block, int transaction) {
        return ByteString.copyFrom(String.format(Locale.ROOT, "catchup-%012d-%06d", block, transaction), StandardCharsets.UTF_8);
    }

    private static KVRWSet blindWrites(long block, int transaction) {
        KVRWSet.Builder rwSet = KVRWSet.newBuilder();
        for (int w = 0; w < 3; w++) {
            rwSet.addWrites(SampleChannel.write("account-" + ((block * 7919 + transaction * 31 + w) % 100_000),
                    "balance-" + block + "-" + transaction));
        }
        rwSet.addWrites(SampleChannel.write("receipt-" + block + "-" + transaction, "ok"));
        return rwSet.build();
    }

    /** RocksDB files never change once written (SSTs) or are rewritten whole: hard links make a cheap copy. */
    private static void linkTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(file.getFileName());
                if (file.getFileName().toString().endsWith(".sst")) {
                    Files.createLink(target, file);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

}
