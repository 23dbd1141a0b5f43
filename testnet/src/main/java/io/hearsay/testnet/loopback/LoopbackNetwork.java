package io.hearsay.testnet.loopback;

import io.hearsay.gossip.block.BlockGossipListener;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.PkiId;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.GossipPeer;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.transport.TlsCredentials;
import io.hearsay.testnet.support.WorkDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A real gossip network on loopback in one JVM: two organisations of RocksDB-backed peers, each with its own
 * gRPC server, mutual TLS and {@link GossipPeer}, wired in a chosen topology. Peers can be stopped and
 * restarted (their ledgers stay on disk) or started empty. What the simulator does with virtual peers,
 * this does with real ones, so the same protocol tests and benchmarks run on both.
 */
public final class LoopbackNetwork implements AutoCloseable {
    /** Who connects to whom: for each peer index, the indices of the peers it dials. */
    @FunctionalInterface
    public interface Topology {
        List<Integer> neighbours(int peer, int peers);

        /** Peer 0 linked to every other peer, and no other links: direct send from peer 0. */
        static Topology star() {
            return (peer, peers) -> {
                List<Integer> dialled = new ArrayList<>();
                if (peer == 0) {
                    for (int i = 1; i < peers; i++) {
                        dialled.add(i);
                    }
                }
                return dialled;
            };
        }

        /** Every peer connected to every other. */
        static Topology fullMesh() {
            return (peer, peers) -> {
                List<Integer> others = new ArrayList<>();
                for (int i = 0; i < peers; i++) {
                    if (i != peer) {
                        others.add(i);
                    }
                }
                return others;
            };
        }

        /**
         * A ring plus chords: each peer dials the {@code degree / 2} peers after it at distances 1, 2, 4, …,
         * so every peer has about {@code degree} neighbours and the diameter is about log2(n).
         */
        static Topology chordRing(int degree) {
            return (peer, peers) -> {
                List<Integer> dialled = new ArrayList<>();
                for (int d = 1, k = 0; k < Math.max(1, degree / 2) && d < peers; d *= 2, k++) {
                    dialled.add((peer + d) % peers);
                }
                return dialled;
            };
        }
    }

    private final Path directory;
    private final SampleChannel channel;
    private final List<CryptoMaterial.Member> members = new ArrayList<>();
    private final MspDirectory organizations;
    private final NodeResources resources;
    private final IntFunction<GossipPeer.Settings> settings;
    private final Topology topology;
    private final BlockGossipListener listener;
    private final GossipPeer[] peers;
    private final Ledger[] ledgers;
    private final int[] ports;

    /**
     * @param peersPerOrganization peers in each of the two organisations
     * @param settings each peer's settings, by index
     * @param listener told of every peer's commits and drops (called on the peers' executors)
     */
    public LoopbackNetwork(Path directory, int peersPerOrganization, IntFunction<GossipPeer.Settings> settings,
            Topology topology, BlockGossipListener listener) {
        this(directory, new SampleChannel(directory.resolve("crypto"), 1, peersPerOrganization), settings, topology, listener);
    }

    /**
     * A network of the peers of an existing channel's crypto material (so several networks, or a network and
     * a chain built beforehand, share one genesis block and one set of identities).
     */
    public LoopbackNetwork(Path directory, SampleChannel channel, IntFunction<GossipPeer.Settings> settings,
            Topology topology, BlockGossipListener listener) {
        this.directory = directory;
        this.channel = channel;
        for (String mspId : List.of("Org1MSP", "Org2MSP")) {
            members.addAll(channel.crypto.organization(mspId).nodes());
        }
        this.organizations = new MspDirectory(channel.crypto.msps(), InstantSource.system());
        this.resources = NodeResources.forCores();
        this.settings = settings;
        this.topology = topology;
        this.listener = listener;
        this.peers = new GossipPeer[members.size()];
        this.ledgers = new Ledger[members.size()];
        this.ports = new int[members.size()];
    }

    public int size() {
        return peers.length;
    }

    public SampleChannel channel() {
        return channel;
    }

    public PkiId id(int peer) {
        return members.get(peer).signingIdentity().pkiId();
    }

    public String name(int peer) {
        return members.get(peer).name();
    }

    /** Starts every peer, then connects them in the topology. */
    public LoopbackNetwork start() {
        for (int i = 0; i < peers.length; i++) {
            open(i);
        }
        for (int i = 0; i < peers.length; i++) {
            connect(i);
        }
        return this;
    }

    /** Stops peer {@code i} (its ledger stays on disk). */
    public void stop(int i) {
        peers[i].close();
        ledgers[i].close();
        peers[i] = null;
        ledgers[i] = null;
    }

    /** Restarts a stopped peer from its ledger on disk, on its old port, and reconnects it. */
    public void restart(int i) {
        if (peers[i] != null) {
            throw new IllegalStateException(name(i) + " is running; stop it before restarting it");
        }
        open(i);
        connect(i);
    }

    /** Stops peer {@code i}, deletes its ledger, and starts it empty (genesis only). */
    public void restartEmpty(int i) {
        if (peers[i] != null) {
            stop(i);
        }
        try {
            WorkDirectory.deleteRecursively(ledgerDirectory(i));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the ledger of " + name(i) + ": " + e.getMessage(), e);
        }
        restart(i);
    }

    public boolean isRunning(int i) {
        return peers[i] != null;
    }

    public GossipPeer peer(int i) {
        return peers[i];
    }

    public Ledger ledger(int i) {
        return ledgers[i];
    }

    /** Header hash of the last block in running peer {@code i}'s ledger. */
    public byte[] headHash(int i) {
        if (ledgers[i] == null) {
            throw new IllegalStateException(name(i) + " is stopped");
        }
        return ledgers[i].headHash();
    }

    /** Heights of the running peers; -1 for a stopped one. */
    public long[] heights() {
        return Arrays.stream(peers).mapToLong(p -> p == null ? -1 : p.height()).toArray();
    }

    /** The next block of the sample channel after {@code previous}, carrying these transactions. */
    public Block nextBlock(Block previous, org.hyperledger.fabric.protos.common.Envelope... envelopes) {
        return channel.next(previous, envelopes);
    }

    public Block genesis() {
        return channel.genesis;
    }

    private void open(int i) {
        try {
            ledgers[i] = Ledgers.rocks(ledgerDirectory(i), channel.genesis, LedgerOptions.defaults());
        } catch (BlockRejectedException e) {
            throw new IllegalStateException("ledger of " + name(i) + " does not open: " + e.getMessage(), e);
        }
        GossipPeer.Settings base = settings.apply(i);
        if (ports[i] != 0) {
            // Restarted: neighbours redial the old port.
            base = new GossipPeer.Settings(base.name(), new InetSocketAddress("127.0.0.1", ports[i]),
                    base.gossip(), base.transport(), base.integrity());
        }
        CryptoMaterial.Member member = members.get(i);
        peers[i] = GossipPeer.start(base, member.signingIdentity(), TlsCredentials.of(member, channel.crypto.msps()),
                organizations, ledgers[i], resources, listener);
        ports[i] = peers[i].port();
    }

    /**
     * Links peer i with its neighbours both ways (the topology's edges are undirected): each side dials the
     * other, the transport keeps one stream per pair, and each lists the other as a gossip neighbour.
     */
    private void connect(int i) {
        for (int j = 0; j < peers.length; j++) {
            boolean linked = j != i && (topology.neighbours(i, peers.length).contains(j)
                    || topology.neighbours(j, peers.length).contains(i));
            if (linked && peers[j] != null) {
                peers[i].connect(id(j), "127.0.0.1", ports[j]);
                peers[j].connect(id(i), "127.0.0.1", ports[i]);
            }
        }
    }

    /** Where peer {@code i} keeps its RocksDB ledger; fill it before {@link #start()} to start with a chain. */
    public Path ledgerDirectory(int i) {
        return directory.resolve("ledgers").resolve(name(i));
    }

    @Override
    public void close() {
        for (int i = 0; i < peers.length; i++) {
            if (peers[i] != null) {
                stop(i);
            }
        }
        resources.close();
    }
}
