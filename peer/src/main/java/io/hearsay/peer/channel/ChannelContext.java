package io.hearsay.peer.channel;

import io.hearsay.identity.MspDirectory;
import io.hearsay.ledger.Ledger;
import java.util.Objects;

/**
 * What the client-facing services (Gateway, Deliver, the orderer's Broadcast) need of one channel this node
 * serves: its ledger (committed state and blocks) and the feed of what commits next. The channel's
 * organisations are {@link Ledger#organizations()}.
 */
public record ChannelContext(String channelId, Ledger ledger, CommitFeed commits) {
    public ChannelContext {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(commits, "commits");
    }

    public MspDirectory organizations() {
        return ledger.organizations();
    }
}
