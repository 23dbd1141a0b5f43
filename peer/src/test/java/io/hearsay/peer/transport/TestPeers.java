package io.hearsay.peer.transport;

import static org.awaitility.Awaitility.await;

import io.hearsay.gossip.block.BlockGossipListener;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.peer.GossipPeer;
import io.hearsay.peer.runtime.NodeResources;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Real {@link GossipPeer}s on loopback for one test, each on its own RocksDB ledger under the test's folder,
 * sharing one {@link NodeResources}; and the channel's chain of blocks, built on demand. Closes everything,
 * peers before their ledgers.
 */
final class TestPeers implements AutoCloseable {
    private final TestCrypto crypto;
    private final Path directory;
    private final NodeResources resources = new NodeResources(2);
    private final Map<GossipPeer, Ledger> ledgers = new IdentityHashMap<>();
    private final List<GossipPeer> started = new ArrayList<>();
    private final List<Block> chain = new ArrayList<>();

    TestPeers(TestCrypto crypto, Path directory) {
        this.crypto = crypto;
        this.directory = directory;
        chain.add(crypto.channel.genesis);
    }

    GossipPeer start(CryptoMaterial.Member member, GossipPeer.Settings settings) {
        return start(member, settings, crypto.tls(member));
    }

    GossipPeer start(CryptoMaterial.Member member, GossipPeer.Settings settings, TlsCredentials tls) {
        Ledger ledger;
        try {
            ledger = Ledgers.rocks(directory.resolve(member.name()), crypto.channel.genesis, LedgerOptions.defaults());
        } catch (BlockRejectedException e) {
            throw new IllegalStateException(e);
        }
        GossipPeer peer = GossipPeer.start(settings, member.signingIdentity(), tls, crypto.organizations, ledger, resources,
                BlockGossipListener.NONE);
        ledgers.put(peer, ledger);
        started.add(peer);
        return peer;
    }

    /** Stops {@code peer} and closes its ledger (which stays on disk for a restart). */
    void stop(GossipPeer peer) {
        peer.close();
        ledgers.remove(peer).close();
        started.remove(peer);
    }

    /** Settings listening on a given port of 127.0.0.1: how a restarted peer comes back where it was. */
    static GossipPeer.Settings onPort(GossipPeer.Settings settings, int port) {
        return new GossipPeer.Settings(settings.name(), new InetSocketAddress("127.0.0.1", port), settings.gossip(),
                settings.transport(), settings.integrity());
    }

    /** Makes {@code a} and {@code b} neighbours (each dials the other) and waits until both see the link. */
    static void link(GossipPeer a, GossipPeer b) {
        a.connect(b.id(), "127.0.0.1", b.port());
        b.connect(a.id(), "127.0.0.1", a.port());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                a.network().isConnected(b.id()) && b.network().isConnected(a.id()));
    }

    /** Block {@code number} of the channel (genesis is 0), built on first use, each carrying one transaction. */
    Block block(int number) {
        while (chain.size() <= number) {
            int next = chain.size();
            chain.add(crypto.channel.next(chain.get(next - 1), crypto.channel.put("key" + next, "value" + next)));
        }
        return chain.get(number);
    }

    @Override
    public void close() {
        for (GossipPeer peer : List.copyOf(started)) {
            stop(peer);
        }
        resources.close();
    }
}
