package io.hearsay.peer.membership;

import io.hearsay.gossip.block.BlockGossipListener;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.MspDirectory;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.GossipPeer;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.transport.TlsCredentials;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Real nodes on loopback for the membership tests: {@link GossipPeer}s with mutual TLS, each on its own RocksDB ledger of
 * the sample channel (two organisations of {@value #PEERS_PER_ORGANIZATION} peers), sharing one {@link NodeResources};
 * and the channel's chain of blocks, built on demand. Closes everything, peers before their ledgers.
 */
final class MembershipNodes implements AutoCloseable {
    static final int PEERS_PER_ORGANIZATION = 5;

    final SampleChannel channel;
    final MspDirectory organizations;
    private final Path directory;
    private final NodeResources resources = new NodeResources(4);
    private final Map<GossipPeer, Ledger> ledgers = new IdentityHashMap<>();
    private final List<GossipPeer> started = new ArrayList<>();
    private final List<Block> chain = new ArrayList<>();

    MembershipNodes(Path directory) {
        this.directory = directory;
        this.channel = new SampleChannel(directory.resolve("channel"), 1, PEERS_PER_ORGANIZATION);
        this.organizations = new MspDirectory(channel.crypto.msps(), InstantSource.system());
        chain.add(channel.genesis);
    }

    CryptoMaterial.Member member(String mspId, int index) {
        return channel.crypto.organization(mspId).nodes().get(index);
    }

    /** Starts peer {@code index} of {@code mspId} on a free loopback port, gossiping the sample channel; no membership yet. */
    GossipPeer start(String mspId, int index) {
        return start(mspId, index, 0);
    }

    /** As {@link #start(String, int)} on {@code port} (0: any free one): how a restarted peer comes back where it was. */
    GossipPeer start(String mspId, int index, int port) {
        CryptoMaterial.Member member = member(mspId, index);
        Ledger ledger;
        try {
            ledger = Ledgers.rocks(directory.resolve(member.name()), channel.genesis, LedgerOptions.defaults());
        } catch (BlockRejectedException e) {
            throw new IllegalStateException(e);
        }
        GossipPeer.Settings lan = GossipPeer.Settings.lan(member.name());
        GossipPeer.Settings settings = new GossipPeer.Settings(lan.name(), new InetSocketAddress("127.0.0.1", port),
                lan.gossip(), lan.transport(), lan.integrity());
        GossipPeer peer = GossipPeer.start(settings, member.signingIdentity(),
                TlsCredentials.of(member, channel.crypto.msps()), organizations, ledger, resources, BlockGossipListener.NONE);
        ledgers.put(peer, ledger);
        started.add(peer);
        return peer;
    }

    static String endpoint(GossipPeer peer) {
        return "127.0.0.1:" + peer.port();
    }

    static MembershipSettings.Seed seed(GossipPeer peer) {
        return new MembershipSettings.Seed(peer.id(), "127.0.0.1", peer.port());
    }

    /** Stops {@code peer} as a crash would, and closes its ledger. */
    void crash(GossipPeer peer) {
        peer.close();
        ledgers.remove(peer).close();
        started.remove(peer);
    }

    /** Block {@code number} of the channel (genesis is 0), built on first use, each carrying one transaction. */
    Block block(int number) {
        while (chain.size() <= number) {
            int next = chain.size();
            chain.add(channel.next(chain.get(next - 1), channel.put("key" + next, "value" + next)));
        }
        return chain.get(number);
    }

    @Override
    public void close() {
        for (GossipPeer peer : List.copyOf(started)) {
            crash(peer);
        }
        resources.close();
    }
}
