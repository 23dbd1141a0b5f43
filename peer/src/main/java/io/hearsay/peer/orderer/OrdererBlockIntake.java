package io.hearsay.peer.orderer;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.gossip.block.BlockGossipConfig;
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
 *   start ──► open(seek from nextBlock(), allow W) ──block n──► blocks.accept(n), expect n+1
 *                  ▲                                ──status / error / end / wrong number──┐
 *                  └──────── backoff ½..1 × min(max, min·2^failures) ◄─────────────────────┘
 *   onCommitted(h) ──► request(h + W − allowed) more, so allowed = h + W
 *   close ──► cancel the stream and the timer; nothing more is delivered
 * </pre>
 *
 * <p><b>Backpressure.</b> A stream may deliver only blocks below {@code committed height + W}, W being
 * {@link Settings#blocksInFlightMax()}: it opens with W blocks of credit (gRPC manual inbound flow control), and
 * each {@link #onCommitted} grants as many more as the height rose. While commits are slow the orderer's blocks
 * therefore wait on the orderer (its Deliver honours the stream's readiness) and in at most one HTTP/2 flow-control
 * window of the transport, not in this peer's heap: a leader catching up after a long outage holds W blocks at a
 * time, however far behind it is. Blocks are never skipped for lack of credit: the stream just pauses, and a stream
 * that ends with blocks unsent is replaced by one seeking from the ledger height, as any other. gRPC reports a
 * stream's end only after the responses already received for it, so an orderer lost while the window is full is
 * noticed once commits of the blocks handed over have freed credit; those commits need nothing from the orderer.
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
     * @param blocksInFlightMax W: blocks handed to gossip and not yet committed, at most (the flow-control window;
     *     {@link #forGossip} derives it from the channel's gossip config). Default 128, 2 × the LAN preset's
     *     {@code repairBatchBlocks}: gossip commits runs of up to {@code repairBatchBlocks}, so one run can commit
     *     while the next is already buffered and the committer never waits for the orderer. It should not exceed
     *     the gossip's {@code payloadBufferBlocksMax} (as {@link #forGossip} ensures), or the leader's reorder buffer
     *     would have to hold more than its bound
     */
    public record Settings(String channelId, long reconnectMinMillis, long reconnectMaxMillis, int blocksInFlightMax) {
        public static final long DEFAULT_RECONNECT_MIN_MILLIS = 100;
        public static final long DEFAULT_RECONNECT_MAX_MILLIS = 5_000;
        public static final int DEFAULT_BLOCKS_IN_FLIGHT_MAX = 2 * BlockGossipConfig.lan().repairBatchBlocks();

        public Settings {
            Objects.requireNonNull(channelId, "channelId");
            if (reconnectMinMillis < 1 || reconnectMaxMillis < reconnectMinMillis) {
                throw new IllegalArgumentException("reconnect backoff is " + reconnectMinMillis + ".." + reconnectMaxMillis
                        + " ms; the minimum must be positive and not above the maximum");
            }
            if (blocksInFlightMax < 1) {
                throw new IllegalArgumentException("blocksInFlightMax is " + blocksInFlightMax + "; it must be positive, "
                        + "or the orderer may never send a block");
            }
        }

        /** With the default window. */
        public Settings(String channelId, long reconnectMinMillis, long reconnectMaxMillis) {
            this(channelId, reconnectMinMillis, reconnectMaxMillis, DEFAULT_BLOCKS_IN_FLIGHT_MAX);
        }

        public static Settings of(String channelId) {
            return new Settings(channelId, DEFAULT_RECONNECT_MIN_MILLIS, DEFAULT_RECONNECT_MAX_MILLIS);
        }

        /**
         * For a channel gossiping with {@code gossip}: a window of 2 × its {@code repairBatchBlocks} (two commit
         * runs), at most its {@code payloadBufferBlocksMax} (128 with the LAN and WAN presets, 20 with Fabric's).
         */
        public static Settings forGossip(String channelId, BlockGossipConfig gossip) {
            return of(channelId).withBlocksInFlightMax(
                    Math.min(2 * gossip.repairBatchBlocks(), gossip.payloadBufferBlocksMax()));
        }

        public Settings withBlocksInFlightMax(int blocks) {
            return new Settings(channelId, reconnectMinMillis, reconnectMaxMillis, blocks);
        }
    }

    /** Opens Deliver streams: gRPC in a node ({@link #grpc}), a script in tests. */
    @FunctionalInterface
    public interface DeliverStreams {
        /**
         * Opens a stream, sends {@code seek} on it and passes what arrives to {@code responses}, at most
         * {@code responsesAllowed} responses until {@link OpenStream#request} allows more; never blocks.
         */
        OpenStream open(Envelope seek, int responsesAllowed, StreamObserver<DeliverResponse> responses);
    }

    /** A stream that was opened. */
    public interface OpenStream {
        /** Allows {@code responses} more responses; any thread, never blocks. A no-op once the stream ended. */
        void request(int responses);

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
     * The gRPC way: {@code protos.Deliver/Deliver} on {@code channel} (see {@link #dial}), with manual inbound flow
     * control ({@link FlowControlledResponses}); the caller shuts the channel down.
     */
    public static DeliverStreams grpc(ManagedChannel channel) {
        DeliverGrpc.DeliverStub stub = DeliverGrpc.newStub(channel);
        return (seek, responsesAllowed, responses) -> {
            // The channel's own reconnect backoff (1 s growing to 2 min) would fail our attempts without dialling;
            // the intake's backoff is the one that should decide when the orderer is tried again.
            channel.resetConnectBackoff();
            ClientCallStreamObserver<Envelope> requests = (ClientCallStreamObserver<Envelope>) stub.deliver(
                    new FlowControlledResponses(responses, responsesAllowed));
            // No half-close: Fabric's Deliver ends the stream when the request side ends.
            requests.onNext(seek);
            return new OpenStream() {
                @Override
                public void request(int more) {
                    requests.request(more); // safe from any thread, as gRPC documents
                }

                @Override
                public void cancel() {
                    requests.cancel("the block intake closed the stream", null);
                }
            };
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
    /** The highest ledger height heard of: from {@code nextBlock} when a stream opens, then {@link #onCommitted}. */
    private long committedHeight;
    private Scheduler.Timer retry;
    private int failures;
    private long attempts;
    private boolean started;
    private boolean closed;

    /**
     * @param peer signs the seek requests; a member of one of the channel's organisations
     * @param tlsCertificateHash SHA-256 of this peer's TLS client certificate, for the Deliver TLS binding
     * @param nextBlock the number of the first block this peer lacks: its ledger height
     * @param blocks receives each block, in order; must not block. Whoever commits them calls {@link #onCommitted},
     *     or the stream pauses after {@link Settings#blocksInFlightMax()} blocks
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

    /**
     * The ledger reached {@code height}: the open stream may deliver blocks up to {@code height + W − 1}. Any thread;
     * never blocks. Heights at or below one heard before change nothing, so callers need not order their calls.
     */
    public void onCommitted(long height) {
        OpenStream stream;
        int grant;
        synchronized (this) {
            committedHeight = Math.max(committedHeight, height);
            Attempt attempt = current;
            if (attempt == null || attempt.ended || attempt.stream == null) {
                return; // the next stream opens with its credit from the height it seeks from
            }
            long wanted = committedHeight + settings.blocksInFlightMax() - attempt.allowedEnd;
            if (wanted <= 0) {
                return;
            }
            // Not capped at W: after gossip from neighbours lifted the height far past the stream, the stream must be
            // allowed to run through the blocks below it (gossip ignores them, so no commit would ever ask for them).
            grant = (int) Math.min(wanted, Integer.MAX_VALUE);
            attempt.allowedEnd += grant;
            stream = attempt.stream;
        }
        // Outside the lock: a transport that delivered inline would call back into onBlock.
        stream.request(grant);
    }

    /** Called holding the lock. */
    private void connect() {
        retry = null;
        if (closed) {
            return;
        }
        long from = nextBlock.getAsLong();
        committedHeight = Math.max(committedHeight, from);
        Attempt attempt = new Attempt(from, from + settings.blocksInFlightMax());
        current = attempt;
        attempts++;
        Envelope seek = SeekEnvelopes.blocksFrom(settings.channelId(), from, peer, clock.instant(), tlsCertificateHash);
        try {
            attempt.stream = streams.open(seek, settings.blocksInFlightMax(), attempt);
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
            if (number >= attempt.allowedEnd) {
                end(attempt, "the stream delivered block " + number + " though only blocks below " + attempt.allowedEnd
                        + " were requested (flow control broken)");
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

    /**
     * One stream: the blocks expected on it, the end of what it may deliver, and its callbacks, which stop counting
     * once it has ended. Fields guarded by the intake.
     */
    private final class Attempt implements StreamObserver<DeliverResponse> {
        long expected;
        /** Blocks below this number have been requested of the stream (its flow-control credit, as a block number). */
        long allowedEnd;
        OpenStream stream;
        boolean ended;

        Attempt(long from, long allowedEnd) {
            this.expected = from;
            this.allowedEnd = allowedEnd;
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
