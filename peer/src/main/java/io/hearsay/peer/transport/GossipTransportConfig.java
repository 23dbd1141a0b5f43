package io.hearsay.peer.transport;

/**
 * Settings of the gossip transport. Every default is chosen for a LAN of up to a few hundred peers.
 *
 * @param chunkBytes envelopes larger than this travel as chunks of this size, so a large block transfer
 *     delays a control message (heartbeat, announcement, request) by at most one chunk. 64 KiB: a few
 *     hundred microseconds on a loopback or LAN link, and large enough that per-frame cost is negligible.
 * @param messageBytesMax the largest envelope accepted; larger ones are refused at the sender and close the
 *     connection at the receiver. A repair batch of 64 blocks of 1 MiB must fit: 96 MiB.
 * @param controlQueueMessagesMax control messages queued per connection before new ones are dropped
 *     (counted; the protocol repairs loss).
 * @param bulkQueueBytesMax bytes of bulk messages (block bodies) queued per connection before new ones are
 *     dropped; at least {@code messageBytesMax}, so one maximal message always fits.
 * @param inboundWindowFrames frames read from a connection but not yet handled by the protocol; the stream
 *     stops reading (HTTP/2 flow control then stops the sender) until the protocol catches up.
 * @param handshakeTimeoutMillis a connection that has not completed its handshake by then is closed.
 * @param reconnectMinMillis first delay before redialling a lost neighbour; doubles per failed attempt,
 *     with jitter, up to {@code reconnectMaxMillis}.
 * @param reconnectMaxMillis the longest delay between redials.
 * @param keepAliveMillis HTTP/2 pings on an idle connection this often, so a dead peer is noticed.
 */
public record GossipTransportConfig(
        int chunkBytes,
        int messageBytesMax,
        int controlQueueMessagesMax,
        long bulkQueueBytesMax,
        int inboundWindowFrames,
        long handshakeTimeoutMillis,
        long reconnectMinMillis,
        long reconnectMaxMillis,
        long keepAliveMillis) {

    /**
     * The smallest chunk size a peer may be configured with. Receivers rely on it: every chunk of a message but
     * the last is at least this large, so a message is held in at most messageBytesMax / 1 KiB pieces.
     */
    public static final int CHUNK_BYTES_MIN = 1024;

    public GossipTransportConfig {
        check("chunkBytes", chunkBytes, CHUNK_BYTES_MIN, 4 << 20);
        check("messageBytesMax", messageBytesMax, chunkBytes, 1 << 30);
        check("controlQueueMessagesMax", controlQueueMessagesMax, 16, 1 << 20);
        check("bulkQueueBytesMax", bulkQueueBytesMax, messageBytesMax, 1L << 34);
        check("inboundWindowFrames", inboundWindowFrames, 1, 4096);
        check("handshakeTimeoutMillis", handshakeTimeoutMillis, 100, 600_000);
        check("reconnectMinMillis", reconnectMinMillis, 1, 600_000);
        check("reconnectMaxMillis", reconnectMaxMillis, reconnectMinMillis, 3_600_000);
        check("keepAliveMillis", keepAliveMillis, 1_000, 3_600_000);
    }

    public static GossipTransportConfig defaults() {
        return new GossipTransportConfig(64 * 1024, 96 << 20, 4096, 128L << 20, 32, 5_000, 100, 10_000, 30_000);
    }

    /** The largest frame on the wire: a chunk plus the frame's own few bytes of framing. */
    public int frameBytesMax() {
        return chunkBytes + 1024;
    }

    private static void check(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " is " + value + "; it must be between " + min + " and " + max);
        }
    }
}
