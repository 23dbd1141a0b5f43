package io.hearsay.peer.channel;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The channels a node serves, by channel id. */
public interface ChannelRegistry {
    Optional<ChannelContext> channel(String channelId);

    Set<String> channelIds();

    /** A fixed set of channels (a node's channels do not change while it runs). */
    static ChannelRegistry of(Collection<ChannelContext> channels) {
        Map<String, ChannelContext> byId = new TreeMap<>();
        for (ChannelContext channel : channels) {
            if (byId.putIfAbsent(channel.channelId(), channel) != null) {
                throw new IllegalArgumentException("channel " + channel.channelId() + " is listed twice");
            }
        }
        Map<String, ChannelContext> fixed = Map.copyOf(byId);
        return new ChannelRegistry() {
            @Override
            public Optional<ChannelContext> channel(String channelId) {
                return Optional.ofNullable(fixed.get(channelId));
            }

            @Override
            public Set<String> channelIds() {
                return fixed.keySet();
            }
        };
    }
}
