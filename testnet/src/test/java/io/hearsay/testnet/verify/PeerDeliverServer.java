package io.hearsay.testnet.verify;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.ledger.Ledger;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.channel.ChannelContext;
import io.hearsay.peer.channel.ChannelRegistry;
import io.hearsay.peer.channel.CommitFeedConfig;
import io.hearsay.peer.channel.LedgerCommitFeed;
import io.hearsay.peer.deliver.DeliverConfig;
import io.hearsay.peer.deliver.DeliverService;
import io.hearsay.peer.transport.TlsCredentials;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A peer's real Deliver service ({@link DeliverService} over a {@link LedgerCommitFeed}, as the node serves it) for
 * one ledger, on loopback with the peer's mutual-TLS identity: enough of a peer to drive the official Fabric Gateway
 * SDK against real ledgers in {@link DeliverChainSource}'s tests without starting whole nodes.
 */
final class PeerDeliverServer implements AutoCloseable {
    private final ExecutorService feedExecutor;
    private final LedgerCommitFeed feed;
    private final Server server;

    PeerDeliverServer(Ledger ledger, CryptoMaterial crypto, CryptoMaterial.Member node) throws IOException {
        feedExecutor = Executors.newSingleThreadExecutor();
        feed = new LedgerCommitFeed(ledger, feedExecutor, CommitFeedConfig.defaults());
        ChannelRegistry channels = ChannelRegistry.of(List.of(new ChannelContext(ledger.channelId(), ledger, feed)));
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .sslContext(TlsCredentials.of(node, crypto.msps()).serverContext())
                .addService(new DeliverService(channels, TimeWindow.defaults(), DeliverConfig.defaults()).intercepted())
                .build()
                .start();
    }

    String endpoint() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        feed.close();
        feedExecutor.shutdownNow();
        server.awaitTermination(10, TimeUnit.SECONDS);
    }
}
