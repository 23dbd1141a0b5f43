package io.hearsay.peer.metrics;

import io.hearsay.gossip.block.BlockMessage;
import java.util.Locale;

/** The kinds of gossip message a peer counts on the wire; {@link #label()} is the metrics' {@code type} label. */
public enum MessageType {
    PUSH, ANNOUNCE, REQUEST, HEARTBEAT, RANGE_REQUEST, RANGE_RESPONSE, PRUNE, GRAFT, ELECTION;

    private static final MessageType[] VALUES = values();

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The Prometheus label value: the name in lower case, e.g. {@code range_request}. */
    public String label() {
        return label;
    }

    static int count() {
        return VALUES.length;
    }


    /** The type of a block-gossip message; no allocation, as it runs for every message sent and received. */
    public static MessageType of(BlockMessage message) {
        if (message instanceof BlockMessage.Push) {
            return PUSH;
        } else if (message instanceof BlockMessage.Announce) {
            return ANNOUNCE;
        } else if (message instanceof BlockMessage.Request) {
            return REQUEST;
        } else if (message instanceof BlockMessage.Heartbeat) {
            return HEARTBEAT;
        } else if (message instanceof BlockMessage.RangeRequest) {
            return RANGE_REQUEST;
        } else if (message instanceof BlockMessage.RangeResponse) {
            return RANGE_RESPONSE;
        } else if (message instanceof BlockMessage.Prune) {
            return PRUNE;
        } else if (message instanceof BlockMessage.Graft) {
            return GRAFT;
        }
        throw new IllegalArgumentException("no message type for " + message.getClass().getName());
    }
}
