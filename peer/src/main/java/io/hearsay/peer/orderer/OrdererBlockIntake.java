package io.hearsay.peer.orderer;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.peer.transport.TlsCredentials;
import java.time.InstantSource;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.DeliverResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader peer's duty towards the orderer: keep a {@code protos.Deliver/Deliver} stream open to it and hand
 * every block it sends to gossip. Each stream asks for the blocks from the peer's ledger height on (so a new
 * leader, or a leader after a reconnect, resumes where the organisation's chain is); a stream that fails, ends or
 * misbehaves (a block out of sequence) is replaced after a jittered exponential backoff, reset by the next block
 * that arrives.
 *
 * <pre>
 *   start ──► open(seek from nextBlock()) ──block n──► blocks.accept(n), expect n+1
 *                  ▲                       ──status / error / end / wrong number──┐
 *                  └──────── backoff ½..1 × min(max, min·2^failures) ◄────────────┘
 *   close ──► cancel the stream and the timer; nothing more is delivered
 * </pre>
 *
 * <p>Blocks are handed over on the gRPC thread that received them, one at a time and in order per stream; the
 * consumer must not block (gossip queues them on its own executor). After a reconnect the orderer may send again a
 * block already handed over but not yet committed; the consumer must ignore blocks it already has, as gossip does.
 *
 * <p>Thread-safe.
 */
public final class OrdererBlockIntake implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrdererBlockIntake.class);

    /**
     * @param channelId the channel whose blocks to take
     * @param reconnectMinMillis the backoff after the first failure; 100 ms: a restarting orderer is back within a
     *     few hundred milliseconds in a test network, and the first retry should find it
     * @param reconnectMaxMillis the backoff ceiling; 5 s, so an orderer back from a long outage is found within
     *     seconds while a dead one costs one attempt per few seconds per organisation
     */
    public record Settings(String channelId, long reconnectMinMillis, long reconnectMaxMillis) {
        public static final long DEFAULT_RECONNECT_MIN_MILLIS = 100;
        public static final long DEFAULT_RECONNECT_MAX_MILLIS = 5_000;

        public Settings {
            Objects.requireNonNull(channelId, "channelId");
            if (reconnectMinMillis < 1 || reconnectMaxMillis < reconnectMinMillis) {
                throw new IllegalArgumentException("reconnect backoff is " + reconnectMinMillis + ".." + reconnectMaxMillis
                        + " ms; the minimum must be positive and not above the maximum");
            }
        }

        public static Settings of(String channelId) {
            return new Settings(channelId, DEFAULT_RECONNECT_MIN_MILLIS, DEFAULT_RECONNECT_MAX_MILLIS);
        }
    }

    /** Opens Deliver streams: gRPC in a node ({@link #grpc}), a script in tests. */
    @FunctionalInterface
    public interface DeliverStreams {
        /** Opens a stream, sends {@code seek} on it and passes what arrives to {@code responses}; never blocks. */
        OpenStream open(Envelope seek, StreamObserver<DeliverResponse> responses);
    }

    /** A stream that was opened. */
    @FunctionalInterface
    public interface OpenStream {
        /** Ends the stream; no callback of it matters after this. Idempotent. */
        void cancel();
    }

    /**
     * A channel to the orderer for {@link #grpc}: mutual TLS with this peer's TLS credentials, reading messages up to
     * {@code blockBytesMax} (a block is one message; the ledger's limit, {@code LedgerOptions.blockBytesMax()}, fits).
     */
    public static ManagedChannel dial(String host, int port, TlsCredentials tls, int blockBytesMax) {
        return NettyChannelBuilder.forAddress(host, port)
                .sslContext(tls.clientContext())
                .maxInboundMessageSize(blockBytesMax)
                .build();
    }

    /**
     * The gRPC way: {@code protos.Deliver/Deliver} on {@code channel} (see {@link #dial}); the caller shuts the
     * channel down.
     */
    public static DeliverStreams grpc(ManagedChannel channel) {
        DeliverGrpc.DeliverStub stub = DeliverGrpc.newStub(channel);
        return (seek, responses) -> {
            // The channel's own reconnect backoff (1 s growing to 2 min) would fail our attempts without dialling;
            // the intake's backoff is the one that should decide when the orderer is tried again.
            channel.resetConnectBackoff();
            ClientCallStreamObserver<Envelope> requests = (ClientCallStreamObserver<Envelope>) stub.deliver(responses);
            // No half-close: Fabric's Deliver ends the stream when the request side ends.
            requests.onNext(seek);
            return () -> requests.cancel("the block intake closed the stream", null);
        };
    }

    private final Settings settings;
    private final SigningIdentity peer;
    private final ByteString tlsCertificateHash;
    private final DeliverStreams streams;
    private final LongSupplier nextBlock;
    private final Consumer<Block> blocks;
    private final Scheduler scheduler;
    private final RandomSource random;
    private final InstantSource clock;

    // Guarded by this.
    private Attempt current;
    private Scheduler.Timer retry;
    private int failures;
    private long attempts;
    private boolean started;
    private boolean closed;

    /**
     * @param peer signs the seek requests; a member of one of the channel's organisations
     * @param tlsCertificateHash SHA-256 of this peer's TLS client certificate, for the Deliver TLS binding
     * @param nextBlock the number of the first block this peer lacks: its ledger height
     * @param blocks receives each block, in order; must not block
     * @param scheduler the reconnect timers; {@code random} the jitter; {@code clock} the seek timestamps
     */
    public OrdererBlockIntake(Settings settings, SigningIdentity peer, ByteString tlsCertificateHash,
            DeliverStreams streams, LongSupplier nextBlock, Consumer<Block> blocks, Scheduler scheduler,
            RandomSource random, InstantSource clock) {
        this.settings = settings;
        this.peer = peer;
        this.tlsCertificateHash = tlsCertificateHash;
        this.streams = streams;
        this.nextBlock = nextBlock;
        this.blocks = blocks;
        this.scheduler = scheduler;
        this.random = random;
        this.clock = clock;
    }

    /** Opens the first stream. Idempotent. */
    public synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        connect();
    }

    /** Streams opened so far, the first included. */
    public synchronized long attempts() {
        return attempts;
    }

    /** True while a stream is open (it may not have delivered anything yet). */
    public synchronized boolean streaming() {
        return current != null;
    }

    /** Called holding the lock. */
    private void connect() {
        retry = null;
        if (closed) {
            return;
        }
        long from = nextBlock.getAsLong();
        Attempt attempt = new Attempt(from);
        current = attempt;
        attempts++;
        Envelope seek = SeekEnvelopes.blocksFrom(settings.channelId(), from, peer, clock.instant(), tlsCertificateHash);
        try {
            attempt.stream = streams.open(seek, attempt);
        } catch (RuntimeException e) {
            attempt.ended = true;
            current = null;
            LOG.warn("{}: cannot open a Deliver stream to the orderer: {}", settings.channelId(), e.getMessage());
            scheduleReconnect();
        }
    }

    /** Called holding the lock. */
    private void scheduleReconnect() {
        if (closed || retry != null) {
            return;
        }
        long ceiling = Math.min(settings.reconnectMaxMillis(), settings.reconnectMinMillis() << Math.min(failures, 20));
        long delay = random.nextLong(ceiling / 2, ceiling + 1);
        failures++;
        retry = scheduler.schedule(delay, () -> {
            synchronized (this) {
                connect();
            }
        });
    }

    private void onBlock(Attempt attempt, Block block) {
        synchronized (this) {
            if (attempt.ended) {
                return;
            }
            long number = block.getHeader().getNumber();
            if (number != attempt.expected) {
                end(attempt, "the orderer sent block " + number + " where block " + attempt.expected + " was due");
                return;
            }
            attempt.expected++;
            failures = 0;
        }
        blocks.accept(block);
    }

    private synchronized void onEnded(Attempt attempt, String reason) {
        if (!attempt.ended) {
            end(attempt, reason);
        }
    }

    /** Called holding the lock, for an attempt not yet ended. */
    private void end(Attempt attempt, String reason) {
        attempt.ended = true;
        if (attempt.stream != null) {
            attempt.stream.cancel();
        }
        if (current == attempt) {
            current = null;
        }
        if (!closed) {
            LOG.info("{}: Deliver stream from the orderer ended ({}); reconnecting", settings.channelId(), reason);
            scheduleReconnect();
        }
    }

    /** Cancels the stream and any pending reconnect; a block arriving after this returns is not handed over. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (retry != null) {
                retry.cancel();
                retry = null;
            }
            if (current != null) {
                end(current, "closed");
            }
        }
    }

    /** One stream: the blocks expected on it, and its callbacks, which stop counting once it has ended. */
    private final class Attempt implements StreamObserver<DeliverResponse> {
        long expected;
        OpenStream stream;
        boolean ended;

        Attempt(long from) {
            this.expected = from;
        }

        @Override
        public void onNext(DeliverResponse response) {
            switch (response.getTypeCase()) {
                case BLOCK -> onBlock(this, response.getBlock());
                case STATUS -> onEnded(this, "the orderer answered " + response.getStatus());
                default -> onEnded(this, "the orderer sent a " + response.getTypeCase() + " response to a Deliver request");
            }
        }

        @Override
        public void onError(Throwable error) {
            Status status = Status.fromThrowable(error);
            onEnded(this, status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription()));
        }

        @Override
        public void onCompleted() {
            onEnded(this, "the orderer closed the stream");
        }
    }
}
