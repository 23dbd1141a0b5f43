package io.hearsay.peer.channel;

import java.util.Optional;
import java.util.Set;

/** The channels a node serves, by channel id. */
public interface ChannelRegistry {
    Optional<ChannelContext> channel(String channelId);

    Set<String> channelIds();
}
