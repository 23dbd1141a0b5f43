package io.hearsay.peer.orderer;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.channel.CommitFeed;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.transport.TlsCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The solo orderer as a running node: its channels ({@link OrdererChannels}) and one gRPC server with mutual TLS
 * serving {@link BroadcastService} and whatever other services the caller adds (Deliver, built over
 * {@link #channels()}). Closing stops the server first, so no envelope is accepted that will not be ordered, then
 * closes the channels, which write their last blocks and close their ledgers. The caller closes {@code resources}
 * after the node.
 */
public final class OrdererNode implements AutoCloseable {
    /** How long {@link #close} waits for the server's threads to stop. */
    private static final long SHUTDOWN_WAIT_SECONDS = 5;

    /**
     * @param listenAddress where the server listens; port 0 picks a free one ({@link #port()})
     * @param dataDirectory each channel's chain is kept in {@code dataDirectory/<channel id>}
     * @param timeWindow how far a request's timestamp may be from the orderer's clock
     */
    public record Settings(InetSocketAddress listenAddress, Path dataDirectory, OrdererConfig config,
            TimeWindow timeWindow) {
        public Settings {
            Objects.requireNonNull(listenAddress, "listenAddress");
            Objects.requireNonNull(dataDirectory, "dataDirectory");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(timeWindow, "timeWindow");
        }
    }

    private final OrdererChannels channels;
    private final Server server;

    private OrdererNode(OrdererChannels channels, Server server) {
        this.channels = channels;
        this.server = server;
    }

    /**
     * Opens the channels and starts serving.
     *
     * @param identity the orderer's signing identity (of the channels' orderer organisation)
     * @param tls the orderer's TLS key and certificate, and the TLS CAs of the organisations whose peers connect
     * @param feeds each channel's commit feed (see {@link OrdererChannels#open})
     * @param services more services on the same server, made from the channels (a {@code ChannelRegistry}),
     *     e.g. Deliver
     * @throws BlockRejectedException if a genesis block does not match the chain stored for its channel
     */
    public static OrdererNode start(Settings settings, List<Block> genesisBlocks, SigningIdentity identity,
            TlsCredentials tls, NodeResources resources, Function<SoloOrderer, CommitFeed> feeds,
            Function<OrdererChannels, List<BindableService>> services) throws BlockRejectedException {
        OrdererChannels channels = OrdererChannels.open(settings.dataDirectory(), genesisBlocks, identity,
                settings.config(), resources, feeds);
        try {
            NettyServerBuilder builder = NettyServerBuilder.forAddress(settings.listenAddress())
                    .sslContext(tls.serverContext())
                    .maxInboundMessageSize(settings.config().inboundMessageBytesMax())
                    .addService(new BroadcastService(channels, settings.config(), settings.timeWindow()));
            services.apply(channels).forEach(builder::addService);
            return new OrdererNode(channels, builder.build().start());
        } catch (IOException e) {
            channels.close();
            throw new UncheckedIOException("the orderer cannot listen on " + settings.listenAddress() + ": "
                    + e.getMessage() + "; is another process using the port?", e);
        } catch (RuntimeException e) {
            channels.close();
            throw e;
        }
    }

    public int port() {
        return server.getPort();
    }

    public OrdererChannels channels() {
        return channels;
    }

    @Override
    public void close() {
        // Not a graceful shutdown: Deliver streams never end by themselves, and Broadcast answers each envelope as
        // it reads it, so cutting the calls off loses nothing that was acknowledged.
        server.shutdownNow();
        try {
            server.awaitTermination(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channels.close();
    }
}
