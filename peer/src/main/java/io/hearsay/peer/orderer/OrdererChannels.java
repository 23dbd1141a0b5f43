package io.hearsay.peer.orderer;

import io.hearsay.identity.SigningIdentity;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.block.ConfigBlocks;
import io.hearsay.peer.channel.ChannelContext;
import io.hearsay.peer.channel.ChannelRegistry;
import io.hearsay.peer.channel.CommitFeed;
import io.hearsay.peer.runtime.NodeResources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The solo orderer's channels: one {@link SoloOrderer} per channel, each with its chain under
 * {@code dataDirectory/<channel id>}, and the {@link ChannelRegistry} view of them that Broadcast and Deliver
 * serve from. Closing closes every channel (each cuts its pending envelopes first), then the feeds.
 */
public final class OrdererChannels implements ChannelRegistry, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrdererChannels.class);

    private final SortedMap<String, SoloOrderer> orderers;
    private final SortedMap<String, ChannelContext> contexts;

    private OrdererChannels(SortedMap<String, SoloOrderer> orderers, SortedMap<String, ChannelContext> contexts) {
        this.orderers = Collections.unmodifiableSortedMap(orderers);
        this.contexts = Collections.unmodifiableSortedMap(contexts);
    }

    /**
     * Opens one channel per genesis block.
     *
     * @param feeds makes each channel's {@link CommitFeed} for Deliver, typically a feed over {@link
     *     SoloOrderer#ledger()} that registers itself with {@link SoloOrderer#onCommitted}; a feed that is {@link
     *     AutoCloseable} is closed after its orderer
     * @throws BlockRejectedException if a genesis block does not match the chain already stored for its channel;
     *     the channels opened before it are closed again
     */
    public static OrdererChannels open(Path dataDirectory, List<Block> genesisBlocks, SigningIdentity orderer,
            OrdererConfig config, NodeResources resources, Function<SoloOrderer, CommitFeed> feeds)
            throws BlockRejectedException {
        SortedMap<String, SoloOrderer> orderers = new TreeMap<>();
        SortedMap<String, ChannelContext> contexts = new TreeMap<>();
        OrdererChannels channels = new OrdererChannels(orderers, contexts);
        try {
            for (Block genesis : genesisBlocks) {
                String channelId = ConfigBlocks.channelConfig(genesis).getChannelId();
                if (orderers.containsKey(channelId)) {
                    throw new IllegalArgumentException("two genesis blocks for channel " + channelId);
                }
                SoloOrderer solo = SoloOrderer.open(dataDirectory.resolve(channelId), genesis, orderer, config, resources);
                orderers.put(channelId, solo);
                contexts.put(channelId, new ChannelContext(channelId, solo.ledger(), feeds.apply(solo)));
            }
        } catch (BlockRejectedException | RuntimeException e) {
            channels.close();
            throw e;
        }
        return channels;
    }

    @Override
    public Optional<ChannelContext> channel(String channelId) {
        return Optional.ofNullable(contexts.get(channelId));
    }

    @Override
    public Set<String> channelIds() {
        return orderers.keySet();
    }

    public Optional<SoloOrderer> orderer(String channelId) {
        return Optional.ofNullable(orderers.get(channelId));
    }

    @Override
    public void close() {
        List<Object> feeds = new ArrayList<>();
        for (String channelId : orderers.keySet()) {
            orderers.get(channelId).close();
            ChannelContext context = contexts.get(channelId);
            if (context != null) {
                feeds.add(context.commits());
            }
        }
        for (Object feed : feeds) {
            if (feed instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("closing a commit feed failed: {}", e.getMessage());
                }
            }
        }
    }
}
