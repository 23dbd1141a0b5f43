package io.hearsay.peer.orderer;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.hearsay.peer.transport.TlsCredentials;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer's client of the orderer's {@code Broadcast}, over mutual TLS: one long-lived bidirectional stream, on
 * which the orderer answers envelopes in the order they were sent, so the n-th answer completes the n-th
 * pending future. Any failure of the stream (the orderer unreachable or gone, or an answer overdue) fails every
 * envelope pending on it as {@linkplain OrdererException#unreachable() unreachable} — whether those were
 * ordered is unknown — and the next broadcast opens a new stream.
 *
 * <p>Thread-safe; never blocks: {@link #broadcast} queues the envelope on the stream and returns.
 */
public final class GrpcOrdererClient implements OrdererClient {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcOrdererClient.class);

    /**
     * Where the orderer is and how long to wait for it.
     *
     * @param host the orderer's host name or address; it must match the orderer's TLS certificate
     * @param responseTimeoutMillis how long an envelope waits for the orderer's answer before it, and every
     *     envelope pending behind it on the stream, fails as unreachable; Fabric's gateway broadcast timeout, 10 s
     * @param pendingEnvelopesMax envelopes sent and not yet answered; more fail at once with
     *     {@code SERVICE_UNAVAILABLE}, so a stalled orderer cannot make a peer buffer without bound. 10,000
     *     matches the orderer's own queue ({@link OrdererConfig#pendingEnvelopesMax()})
     * @param envelopeBytesMax the largest message this client sends or reads; the orderer's default limit
     */
    public record Settings(String host, int port, long responseTimeoutMillis, int pendingEnvelopesMax,
            int envelopeBytesMax) {
        public static final long DEFAULT_RESPONSE_TIMEOUT_MILLIS = 10_000;
        public static final int DEFAULT_PENDING_ENVELOPES_MAX = 10_000;

        public Settings {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("the orderer's port is " + port + "; it must be between 1 and 65535");
            }
            if (responseTimeoutMillis < 1) {
                throw new IllegalArgumentException("responseTimeoutMillis is " + responseTimeoutMillis + "; it must be positive");
            }
            if (pendingEnvelopesMax < 1) {
                throw new IllegalArgumentException("pendingEnvelopesMax is " + pendingEnvelopesMax + "; it must be positive");
            }
            if (envelopeBytesMax < 1024) {
                throw new IllegalArgumentException("envelopeBytesMax is " + envelopeBytesMax + "; it must be at least 1024");
            }
        }

        public static Settings of(String host, int port) {
            return new Settings(host, port, DEFAULT_RESPONSE_TIMEOUT_MILLIS, DEFAULT_PENDING_ENVELOPES_MAX,
                    OrdererConfig.defaults().inboundMessageBytesMax());
        }

        public Settings withResponseTimeoutMillis(long millis) {
            return new Settings(host, port, millis, pendingEnvelopesMax, envelopeBytesMax);
        }

        String target() {
            return host + ":" + port;
        }
    }

    private final Settings settings;
    private final ManagedChannel channel;
    private final AtomicBroadcastGrpc.AtomicBroadcastStub stub;
    private final ScheduledExecutorService timers;
    /** The open stream, or null until the next broadcast opens one. Guarded by this. */
    private BroadcastStream stream;
    /** The last stream failed: reconnect at once instead of waiting out the channel's own backoff. */
    private boolean failedBefore;
    private boolean closed;

    /**
     * @param tls this peer's TLS key and certificate and the TLS CAs it trusts, for mutual TLS
     * @param timers the thread that times out unanswered envelopes (shared; not closed by this client)
     */
    public GrpcOrdererClient(Settings settings, TlsCredentials tls, ScheduledExecutorService timers) {
        this.settings = settings;
        this.timers = timers;
        this.channel = NettyChannelBuilder.forAddress(settings.host(), settings.port())
                .sslContext(tls.clientContext())
                .maxInboundMessageSize(settings.envelopeBytesMax())
                .build();
        this.stub = AtomicBroadcastGrpc.newStub(channel);
    }

    @Override
    public CompletableFuture<Void> broadcast(Envelope envelope) {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        BroadcastStream sentOn;
        synchronized (this) {
            if (closed) {
                answer.completeExceptionally(OrdererException.unreachable("the orderer client is closed"));
                return answer;
            }
            if (stream == null) {
                stream = open();
            }
            if (stream.pending.size() >= settings.pendingEnvelopesMax()) {
                answer.completeExceptionally(new OrdererException(Status.SERVICE_UNAVAILABLE,
                        settings.pendingEnvelopesMax() + " envelopes are waiting for the orderer at " + settings.target()
                                + " to answer; retry shortly"));
                return answer;
            }
            sentOn = stream;
            sentOn.pending.add(answer);
            sentOn.requests.onNext(envelope);
        }
        ScheduledFuture<?> timeout = timers.schedule(() -> {
            if (!answer.isDone()) {
                fail(sentOn, "the orderer at " + settings.target() + " did not answer within "
                        + settings.responseTimeoutMillis() + " ms", true);
            }
        }, settings.responseTimeoutMillis(), TimeUnit.MILLISECONDS);
        answer.whenComplete((ok, error) -> timeout.cancel(false));
        return answer;
    }

    /** Opens a stream; called holding the lock. */
    private BroadcastStream open() {
        if (failedBefore) {
            channel.resetConnectBackoff();
            failedBefore = false;
        }
        BroadcastStream opened = new BroadcastStream();
        opened.requests = (ClientCallStreamObserver<Envelope>) stub.broadcast(opened);
        return opened;
    }

    private void answered(BroadcastStream on, BroadcastResponse response) {
        CompletableFuture<Void> answer;
        synchronized (this) {
            answer = on.pending.poll();
        }
        if (answer == null) {
            fail(on, "the orderer at " + settings.target() + " sent an answer to an envelope it was not sent", true);
            return;
        }
        if (response.getStatus() == Status.SUCCESS) {
            answer.complete(null);
        } else {
            answer.completeExceptionally(new OrdererException(response.getStatus(), response.getInfo()));
        }
    }

    /** Ends {@code on}: it is no longer used, and every envelope pending on it fails as unreachable. */
    private void fail(BroadcastStream on, String reason, boolean cancel) {
        List<CompletableFuture<Void>> failed;
        synchronized (this) {
            if (on.ended) {
                return;
            }
            on.ended = true;
            if (stream == on) {
                stream = null;
                failedBefore = true;
            }
            failed = new ArrayList<>(on.pending);
            on.pending.clear();
        }
        if (cancel) {
            on.requests.cancel(reason, null);
        }
        if (!failed.isEmpty()) {
            LOG.debug("broadcast stream to {} ended with {} envelopes unanswered: {}", settings.target(), failed.size(),
                    reason);
        }
        for (CompletableFuture<Void> answer : failed) {
            answer.completeExceptionally(OrdererException.unreachable(reason));
        }
    }

    @Override
    public void close() {
        BroadcastStream open;
        synchronized (this) {
            closed = true;
            open = stream;
        }
        if (open != null) {
            fail(open, "the orderer client is closed", true);
        }
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One Broadcast stream and the envelopes sent on it that await an answer, oldest first. */
    private final class BroadcastStream implements StreamObserver<BroadcastResponse> {
        final ArrayDeque<CompletableFuture<Void>> pending = new ArrayDeque<>();
        ClientCallStreamObserver<Envelope> requests;
        boolean ended;

        @Override
        public void onNext(BroadcastResponse response) {
            answered(this, response);
        }

        @Override
        public void onError(Throwable error) {
            io.grpc.Status status = io.grpc.Status.fromThrowable(error);
            fail(this, "the orderer at " + settings.target() + " could not be reached or dropped the stream: "
                    + status.getCode() + (status.getDescription() == null ? "" : " " + status.getDescription()), false);
        }

        @Override
        public void onCompleted() {
            fail(this, "the orderer at " + settings.target() + " closed the stream", false);
        }
    }
}
