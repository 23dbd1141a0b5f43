package io.hearsay.peer.metrics;

/**
 * One channel's gossip messages and their encoded bytes, sent and received, per {@link MessageType}. Written only on
 * the channel's serial executor (the wire adapters run there), so the counts are plain {@code long}s: a message
 * costs two additions and no allocation. Other threads (the metrics scrape) read them without a lock and may see
 * values a few messages old, which a monotonic counter tolerates.
 *
 * <p>"Sent" counts messages the transport accepted for a connection (a send refused for a full queue or a closed
 * link is counted by the transport instead); "received" counts every envelope that arrived for the channel,
 * before authentication, so forged and replayed messages are seen here and in the drop counters.
 */
public final class WireCounters {
    private final long[] messagesSent = new long[MessageType.count()];
    private final long[] bytesSent = new long[MessageType.count()];
    private final long[] messagesReceived = new long[MessageType.count()];
    private final long[] bytesReceived = new long[MessageType.count()];

    /** On the serial executor: one message of {@code type}, {@code bytes} long encoded, went out. */
    public void sent(MessageType type, int bytes) {
        messagesSent[type.ordinal()]++;
        bytesSent[type.ordinal()] += bytes;
    }

    /** On the serial executor: one message of {@code type}, {@code bytes} long encoded, arrived. */
    public void received(MessageType type, int bytes) {
        messagesReceived[type.ordinal()]++;
        bytesReceived[type.ordinal()] += bytes;
    }

    public long messagesSent(MessageType type) {
        return messagesSent[type.ordinal()];
    }

    public long bytesSent(MessageType type) {
        return bytesSent[type.ordinal()];
    }

    public long messagesReceived(MessageType type) {
        return messagesReceived[type.ordinal()];
    }

    public long bytesReceived(MessageType type) {
        return bytesReceived[type.ordinal()];
    }
}
