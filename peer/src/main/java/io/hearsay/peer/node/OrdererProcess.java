package io.hearsay.peer.node;

import io.grpc.BindableService;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.OrganizationMsp;
import io.hearsay.identity.Pem;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.block.ConfigBlocks;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.channel.CommitFeed;
import io.hearsay.peer.channel.CommitFeedConfig;
import io.hearsay.peer.channel.LedgerCommitFeed;
import io.hearsay.peer.deliver.DeliverConfig;
import io.hearsay.peer.deliver.DeliverService;
import io.hearsay.peer.index.PeerIndexService;
import io.hearsay.peer.orderer.OrdererChannels;
import io.hearsay.peer.orderer.OrdererNode;
import io.hearsay.peer.orderer.SoloOrderer;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.runtime.NodeRuntime;
import io.hearsay.peer.transport.TlsCredentials;
import io.hearsay.proto.Organization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A running solo orderer: the {@link OrdererNode} (Broadcast, the block cutter, the signed chains) with Fabric's
 * Deliver served from each chain's commit feed, so leader peers stream blocks as they are cut.
 */
public final class OrdererProcess implements AutoCloseable {
    private final OrdererNode node;
    private final ExecutorService feedExecutor;
    private final Optional<PeerIndexService> index;

    private OrdererProcess(OrdererNode node, ExecutorService feedExecutor, Optional<PeerIndexService> index) {
        this.node = node;
        this.feedExecutor = feedExecutor;
        this.index = index;
    }

    /** The central index this orderer serves, if its config enables it. */
    public Optional<PeerIndexService> index() {
        return index;
    }

    public static OrdererProcess start(OrdererProcessConfig config, NodeResources resources) {
        List<Block> genesis = new ArrayList<>();
        Map<String, X509Certificate> tlsCas = new LinkedHashMap<>();
        for (Path file : config.genesisBlocks()) {
            Block block;
            try {
                block = Block.parseFrom(Files.readAllBytes(file));
                for (Organization organization : ConfigBlocks.channelConfig(block).getOrganizationsList()) {
                    tlsCas.putIfAbsent(organization.getMspId(), Pem.decodeCertificate(organization.getTlsCaCertPem().toByteArray()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("channels: cannot read the genesis block " + file + ": " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("channels: " + file + " is not a genesis block: " + e.getMessage(), e);
            }
            genesis.add(block);
        }
        SigningIdentity identity = SigningIdentity.load(config.msp(), config.mspId());
        TlsCredentials tls;
        try {
            tls = new TlsCredentials(Pem.decodePrivateKey(Files.readAllBytes(config.tlsKey())),
                    Pem.decodeCertificate(Files.readAllBytes(config.tlsCertificate())), List.copyOf(tlsCas.values()));
        } catch (IOException e) {
            throw new UncheckedIOException("tls: cannot read the orderer's TLS files: " + e.getMessage(), e);
        }
        TimeWindow window = new TimeWindow(config.timeWindow(), InstantSource.system());
        ExecutorService feeds = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, config.name() + "-feeds");
            thread.setDaemon(true);
            return thread;
        });
        AtomicReference<PeerIndexService> index = new AtomicReference<>();
        try {
            OrdererNode node = OrdererNode.start(new OrdererNode.Settings(
                            new InetSocketAddress(config.listen().host(), config.listen().port()), config.dataDirectory(),
                            config.batch(), window),
                    genesis, identity, tls, resources, commitFeeds(feeds),
                    channels -> services(config, channels, window, index));
            return new OrdererProcess(node, feeds, Optional.ofNullable(index.get()));
        } catch (BlockRejectedException e) {
            feeds.shutdownNow();
            throw new IllegalStateException("the orderer's stored chain does not match a genesis block: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            feeds.shutdownNow();
            throw e;
        }
    }

    /** Deliver, and the central index when the config asks for it (its peers are the channels' organisations'). */
    private static List<BindableService> services(OrdererProcessConfig config, OrdererChannels channels, TimeWindow window,
            AtomicReference<PeerIndexService> served) {
        List<BindableService> services = new ArrayList<>();
        // Mutual TLS is required here too, so every seek must name the client's TLS certificate, as Fabric's orderer
        // asks then; the leader peers' intakes send it.
        services.add(() -> new DeliverService(channels, window, DeliverConfig.defaults().withTlsBindingRequired(true))
                .intercepted());
        config.index().ifPresent(settings -> {
            Map<String, OrganizationMsp> organizations = new TreeMap<>();
            for (String channel : channels.channelIds()) {
                organizations.putAll(channels.channel(channel).orElseThrow().ledger().organizations().organizations());
            }
            MspDirectory msps = new MspDirectory(List.copyOf(organizations.values()), InstantSource.system());
            PeerIndexService index = new PeerIndexService(settings, msps, window, NodeRuntime.CLOCK,
                    RandomSource.seeded(NodeRuntime.newSeed()));
            served.set(index);
            services.add(index::intercepted);
        });
        return services;
    }

    /** Each channel's commit feed over its chain, told of every block the orderer cuts: what Deliver streams from. */
    public static Function<SoloOrderer, CommitFeed> commitFeeds(Executor executor) {
        return solo -> {
            LedgerCommitFeed feed = new LedgerCommitFeed(solo.ledger(), executor, CommitFeedConfig.defaults());
            solo.onCommitted(feed::onCommitted);
            return feed;
        };
    }

    public int port() {
        return node.port();
    }

    public OrdererNode node() {
        return node;
    }

    @Override
    public void close() {
        node.close();
        feedExecutor.shutdownNow();
    }
}
