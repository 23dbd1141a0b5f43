package io.hearsay.peer.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.hearsay.identity.Identity;
import io.hearsay.identity.PkiId;
import io.hearsay.peer.transport.TransportCounters.Counter;
import io.hearsay.peer.wire.MalformedMessageException;
import io.hearsay.proto.gossip.Chunk;
import io.hearsay.proto.gossip.Frame;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gossip connection: the handshake, then envelopes both ways.
 *
 * <p>Outbound, two lanes: control messages (small: heartbeats, announcements, requests) and bulk messages
 * (block bodies). Bulk envelopes go out in chunks of {@link GossipTransportConfig#chunkBytes()}, and before
 * each chunk any queued control message goes first, so a 100 MiB repair batch delays a heartbeat by one
 * chunk, not by the whole batch. Frames are written only while gRPC reports the stream ready, so what sits
 * in gRPC's buffers stays small and the queues here are the only ones — both bounded; a send that does not
 * fit is dropped and counted, and the protocol repairs it.
 *
 * <p>Inbound, a window of {@link GossipTransportConfig#inboundWindowFrames()} frames: a frame is asked for
 * only when the protocol has handled one, so a slow peer slows its senders through HTTP/2 flow control
 * instead of queueing without bound.
 */
final class GossipConnection {
    private static final Logger LOG = LoggerFactory.getLogger(GossipConnection.class);

    enum State { AWAITING_HELLO, AWAITING_PROOF, OPEN, CLOSED }

    /** The close reason of an orderly shutdown, logged quietly. */
    static final String SHUTDOWN = "peer shutting down";
    /** Both sides dialled at once, or a peer redialled: routine, so logged at DEBUG, not news. */
    static final String REPLACED = "a newer or preferred connection to the same peer replaced it";

    /** What the connection needs from its network. */
    interface Owner {
        /** The handshake completed; the owner decides whether this connection or an older one stays. */
        void established(GossipConnection connection);

        void closed(GossipConnection connection);

        void envelope(GossipConnection connection, ByteString envelope, Runnable done) throws MalformedMessageException;

        Identity verifyProof(io.hearsay.proto.gossip.Proof proof, byte[] ownChallenge, byte[] theirChallenge,
                X509Certificate theirTlsCertificate, Instant now) throws HandshakeException;

        io.hearsay.proto.gossip.Proof prove(byte[] theirChallenge, byte[] ownChallenge);
    }

    private final GossipTransportConfig config;
    private final TransportCounters counters;
    private final Owner owner;
    private final boolean dialed;
    /** The peer this side dialled, or null on the accepting side (any authenticated peer is welcome). */
    private final PkiId expectedPeer;
    private final byte[] ownChallenge = Handshake.newChallenge();
    private final ArrayDeque<byte[]> control = new ArrayDeque<>();
    private final ArrayDeque<byte[]> bulk = new ArrayDeque<>();
    private long bulkBytes;
    private byte[] sending;
    private int sendingOffset;
    private final List<ByteString> pieces = new ArrayList<>();
    private long pieceBytes;
    private FrameStream stream;
    // Volatile so the network can read them without this connection's lock (lock order: connection, then network).
    private volatile State state = State.AWAITING_HELLO;
    private byte[] theirChallenge;
    private volatile Identity remote;

    GossipConnection(GossipTransportConfig config, TransportCounters counters, Owner owner, boolean dialed, PkiId expectedPeer) {
        this.config = config;
        this.counters = counters;
        this.owner = owner;
        this.dialed = dialed;
        this.expectedPeer = expectedPeer;
    }

    /** The stream is open: say hello and open the inbound window. */
    synchronized void start(FrameStream stream) {
        this.stream = stream;
        write(Frame.newBuilder().setHello(Handshake.hello(ownChallenge)).build().toByteArray());
        stream.request(config.inboundWindowFrames());
    }

    boolean dialed() {
        return dialed;
    }

    /** The peer this side dialled; null for an accepted connection. */
    PkiId expectedPeer() {
        return expectedPeer;
    }

    /** The authenticated peer; null before the handshake completed. */
    Identity remote() {
        return remote;
    }

    boolean isOpen() {
        return state == State.OPEN;
    }

    boolean isClosed() {
        return state == State.CLOSED;
    }

    /** Closes the connection unless its handshake completed in time. */
    void handshakeDeadline() {
        boolean late;
        synchronized (this) {
            late = state == State.AWAITING_HELLO || state == State.AWAITING_PROOF;
        }
        if (late) {
            counters.increment(Counter.HANDSHAKES_FAILED);
            close("handshake not completed within " + config.handshakeTimeoutMillis() + " ms");
        }
    }

    /**
     * Queues an envelope for the peer. Returns false if it was dropped: the connection is not open, the
     * envelope is over the size limit, or its lane is full.
     */
    boolean send(byte[] envelope, boolean bulkLane) {
        synchronized (this) {
            if (state != State.OPEN) {
                counters.increment(Counter.NOT_CONNECTED);
                return false;
            }
            if (envelope.length > config.messageBytesMax()) {
                counters.increment(Counter.OVERSIZED);
                LOG.warn("not sending a {}-byte message to {}: over messageBytesMax {}", envelope.length, name(),
                        config.messageBytesMax());
                return false;
            }
            if (!bulkLane && envelope.length <= config.chunkBytes()) {
                if (control.size() >= config.controlQueueMessagesMax()) {
                    counters.increment(Counter.QUEUE_FULL);
                    return false;
                }
                control.add(envelopeFrame(envelope, 0, envelope.length));
            } else {
                if (bulkBytes + envelope.length > config.bulkQueueBytesMax()) {
                    counters.increment(Counter.QUEUE_FULL);
                    return false;
                }
                bulk.add(envelope);
                bulkBytes += envelope.length;
            }
            pump();
            return true;
        }
    }

    /** gRPC can take more: write queued frames, control first, while it stays ready. */
    synchronized void pump() {
        while (state == State.OPEN && stream.isReady()) {
            byte[] frame = control.poll();
            if (frame == null) {
                frame = nextBulkFrame();
                if (frame == null) {
                    return;
                }
            }
            write(frame);
        }
    }

    private byte[] nextBulkFrame() {
        if (sending == null) {
            sending = bulk.poll();
            sendingOffset = 0;
            if (sending == null) {
                return null;
            }
            if (sending.length <= config.chunkBytes()) {
                byte[] frame = envelopeFrame(sending, 0, sending.length);
                bulkBytes -= sending.length;
                sending = null;
                return frame;
            }
        }
        int length = Math.min(config.chunkBytes(), sending.length - sendingOffset);
        boolean last = sendingOffset + length == sending.length;
        byte[] frame = Frame.newBuilder().setChunk(Chunk.newBuilder()
                .setData(UnsafeByteOperations.unsafeWrap(sending, sendingOffset, length)).setLast(last)).build().toByteArray();
        sendingOffset += length;
        if (last) {
            bulkBytes -= sending.length;
            sending = null;
        }
        return frame;
    }

    private static byte[] envelopeFrame(byte[] envelope, int offset, int length) {
        return Frame.newBuilder().setEnvelope(UnsafeByteOperations.unsafeWrap(envelope, offset, length)).build().toByteArray();
    }

    private void write(byte[] frame) {
        stream.send(frame);
        counters.increment(Counter.FRAMES_SENT);
        counters.add(Counter.BYTES_SENT, frame.length);
    }

    /** A frame arrived (gRPC delivers a stream's frames one at a time, in order). */
    void onFrame(byte[] bytes) {
        counters.increment(Counter.FRAMES_RECEIVED);
        counters.add(Counter.BYTES_RECEIVED, bytes.length);
        Frame frame;
        try {
            frame = Frame.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            malformed("frame does not parse: " + e.getMessage());
            return;
        }
        boolean establishedNow = false;
        ByteString envelope;
        synchronized (this) {
            switch (state) {
                case CLOSED -> {
                    return;
                }
                case AWAITING_HELLO -> {
                    if (frame.getKindCase() != Frame.KindCase.HELLO) {
                        failHandshake("expected a hello, got " + frame.getKindCase());
                        return;
                    }
                    try {
                        theirChallenge = Handshake.challengeOf(frame.getHello());
                    } catch (HandshakeException e) {
                        failHandshake(e.getMessage());
                        return;
                    }
                    write(Frame.newBuilder().setProof(owner.prove(theirChallenge, ownChallenge)).build().toByteArray());
                    state = State.AWAITING_PROOF;
                    stream.request(1);
                    return;
                }
                case AWAITING_PROOF -> {
                    if (frame.getKindCase() != Frame.KindCase.PROOF) {
                        failHandshake("expected a proof, got " + frame.getKindCase());
                        return;
                    }
                    try {
                        Identity identity = owner.verifyProof(frame.getProof(), ownChallenge, theirChallenge,
                                tlsCertificate(), Instant.now());
                        if (expectedPeer != null && !expectedPeer.equals(identity.pkiId())) {
                            throw new HandshakeException("dialled " + expectedPeer + " but " + identity.commonName()
                                    + " (" + identity.pkiId() + ") answered");
                        }
                        remote = identity;
                    } catch (HandshakeException e) {
                        failHandshake(e.getMessage());
                        return;
                    }
                    state = State.OPEN;
                    establishedNow = true;
                    stream.request(1);
                    envelope = null;
                }
                case OPEN -> envelope = onOpenFrame(frame);
                default -> throw new IllegalStateException(state.name());
            }
        }
        if (establishedNow) {
            counters.increment(Counter.CONNECTIONS_OPENED);
            owner.established(this);
        }
        if (envelope != null) {
            deliver(envelope);
        }
    }

    /** Handles a frame of an open connection; returns a completed envelope to deliver, or null. */
    private ByteString onOpenFrame(Frame frame) {
        switch (frame.getKindCase()) {
            case ENVELOPE -> {
                // Control envelopes may arrive between the chunks of a bulk one: that is the point of chunking.
                return frame.getEnvelope();
            }
            case CHUNK -> {
                ByteString data = frame.getChunk().getData();
                // Senders cut every chunk but the last at their chunkBytes, never below CHUNK_BYTES_MIN. Refusing
                // smaller ones bounds the pieces a message is held in: one-byte chunks cost an object per byte
                // (about 50 times messageBytesMax), and empty ones grew the list without any bound.
                if (!frame.getChunk().getLast() && data.size() < GossipTransportConfig.CHUNK_BYTES_MIN) {
                    counters.increment(Counter.MALFORMED);
                    closeLocked("chunk of " + data.size() + " bytes before the last; senders cut at least "
                            + GossipTransportConfig.CHUNK_BYTES_MIN);
                    return null;
                }
                pieceBytes += data.size();
                if (pieceBytes > config.messageBytesMax()) {
                    counters.increment(Counter.OVERSIZED);
                    closeLocked("message of over " + pieceBytes + " bytes exceeds messageBytesMax " + config.messageBytesMax());
                    return null;
                }
                pieces.add(data);
                if (!frame.getChunk().getLast()) {
                    stream.request(1);
                    return null;
                }
                ByteString whole = ByteString.copyFrom(pieces);
                pieces.clear();
                pieceBytes = 0;
                return whole;
            }
            default -> {
                counters.increment(Counter.MALFORMED);
                closeLocked("unexpected " + frame.getKindCase() + " frame after the handshake");
                return null;
            }
        }
    }

    /** Hands a complete envelope to the owner, outside the lock: decoding a large block must not stall sends. */
    private void deliver(ByteString envelope) {
        counters.increment(Counter.ENVELOPES_RECEIVED);
        try {
            owner.envelope(this, envelope, () -> stream.request(1));
        } catch (MalformedMessageException e) {
            counters.increment(Counter.MALFORMED);
            close("malformed message: " + e.getMessage());
        }
    }

    private X509Certificate tlsCertificate() throws HandshakeException {
        SSLSession session = stream.tlsSession();
        if (session == null) {
            throw new HandshakeException("connection has no TLS session");
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate certificate)) {
                throw new HandshakeException("peer presented no X.509 TLS certificate");
            }
            return certificate;
        } catch (SSLPeerUnverifiedException e) {
            throw new HandshakeException("peer presented no TLS certificate: " + e.getMessage());
        }
    }

    private void malformed(String reason) {
        counters.increment(Counter.MALFORMED);
        close(reason);
    }

    private void failHandshake(String reason) {
        counters.increment(Counter.HANDSHAKES_FAILED);
        closeLocked("handshake failed: " + reason);
    }

    /** Closes the stream with a logged reason; idempotent. */
    void close(String reason) {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            closeLocked(reason);
        }
    }

    private void closeLocked(String reason) {
        if (!markClosed()) {
            return;
        }
        if (reason.equals(SHUTDOWN) || reason.equals(REPLACED)) {
            LOG.debug("closing gossip connection {} {}: {}", dialed ? "to" : "from", name(), reason);
        } else {
            LOG.info("closing gossip connection {} {}: {}", dialed ? "to" : "from", name(), reason);
        }
        stream.close(reason);
        owner.closed(this);
    }

    /**
     * gRPC refused a frame over its inbound limit ({@link GossipTransportConfig#frameBytesMax}) and ended the
     * stream before this connection saw the frame; counted and logged here like any oversized message, since
     * gRPC tells the call listener no more than "cancelled".
     */
    void onOversizedFrame(String description) {
        synchronized (this) {
            if (!markClosed()) {
                return;
            }
            counters.increment(Counter.OVERSIZED);
            LOG.info("closing gossip connection {} {}: frame refused: {}", dialed ? "to" : "from", name(), description);
        }
        owner.closed(this);
    }

    /** The stream ended from the other side or the network. */
    void onStreamEnded(String reason) {
        synchronized (this) {
            if (!markClosed()) {
                return;
            }
            LOG.debug("gossip connection {} {} ended: {}", dialed ? "to" : "from", name(), reason);
        }
        owner.closed(this);
    }

    /** Moves to CLOSED and drops what was queued; false if already closed. Called under the lock. */
    private boolean markClosed() {
        if (state == State.CLOSED) {
            return false;
        }
        if (state == State.OPEN) {
            counters.increment(Counter.CONNECTIONS_CLOSED);
        }
        state = State.CLOSED;
        control.clear();
        bulk.clear();
        bulkBytes = 0;
        sending = null;
        pieces.clear();
        return true;
    }

    private String name() {
        if (remote != null) {
            return remote.commonName();
        }
        return expectedPeer != null ? expectedPeer.toString() : "an unauthenticated peer";
    }

    @Override
    public String toString() {
        return "GossipConnection[" + (dialed ? "to " : "from ") + name() + ", " + state + "]";
    }
}
