package io.hearsay.peer.deliver;

import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.hearsay.identity.IdentityException;
import io.hearsay.peer.channel.CommitFeed;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Deliver call: seek envelopes in, blocks out, served one seek at a time as Fabric does.
 *
 * <pre>
 *   client ── seek ──▶ onNext ── resolve (checks, start/stop) ──▶ feed.subscribe(start)
 *   feed   ── block ─▶ accept: creator still a member? ─▶ onNext(block) ─▶ stop reached? ─▶ status SUCCESS, next seek
 *   client not ready ─▶ accept returns false, feed pauses ── onReady ──▶ resume
 *   client cancels ──▶ subscription closed (the normal end: the official client never half-closes)
 * </pre>
 *
 * <p>Statuses are sent only on errors (then the stream ends with gRPC OK, as Fabric does) or when a finite stop is
 * reached (pitfall P6: the official client treats any status as an error, so it never sees one in normal use).
 * Streaming starts on the first message, without waiting for the client to half-close (P11).
 *
 * <p>Threading: requests arrive on the call's gRPC callback thread, blocks on the feed's executor; every write to
 * {@code responses} holds this object's lock, which is never held while waiting for anything.
 */
final class DeliverStream<R> implements StreamObserver<Envelope> {
    private static final Logger LOG = LoggerFactory.getLogger(DeliverStream.class);

    private final ServerCallStreamObserver<R> responses;
    private final SeekResolver resolver;
    private final ResponseEncoder<R> encoder;
    private final Optional<byte[]> clientCertificateHash;
    private final int queuedSeeksMax;

    // Guarded by this.
    private SeekSink current;
    private final Deque<Envelope> queued = new ArrayDeque<>();
    private boolean halfClosed;
    private boolean ended;

    DeliverStream(ServerCallStreamObserver<R> responses, SeekResolver resolver, ResponseEncoder<R> encoder,
            Optional<byte[]> clientCertificateHash, int queuedSeeksMax) {
        this.responses = responses;
        this.resolver = resolver;
        this.encoder = encoder;
        this.clientCertificateHash = clientCertificateHash;
        this.queuedSeeksMax = queuedSeeksMax;
        // A cancel handler also stops onNext from throwing after the client went away (pitfall P12).
        responses.setOnCancelHandler(this::onCancelled);
        responses.setOnReadyHandler(this::onReady);
    }

    @Override
    public void onNext(Envelope seek) {
        synchronized (this) {
            if (ended) {
                return;
            }
            if (current != null) {
                if (queued.size() >= queuedSeeksMax) {
                    end(Status.BAD_REQUEST, "the client sent more than " + queuedSeeksMax
                            + " seeks while one was still being served");
                } else {
                    queued.add(seek);
                }
                return;
            }
        }
        start(seek);
    }

    @Override
    public void onError(Throwable error) {
        onCancelled();
    }

    @Override
    public void onCompleted() {
        synchronized (this) {
            halfClosed = true;
            if (current == null && queued.isEmpty() && !ended) {
                ended = true;
                responses.onCompleted();
            }
        }
    }

    private void start(Envelope envelope) {
        Seek seek;
        try {
            seek = resolver.resolve(envelope, clientCertificateHash);
        } catch (SeekRejectedException e) {
            synchronized (this) {
                end(e.status(), e.getMessage());
            }
            return;
        }
        SeekSink sink = new SeekSink(seek);
        synchronized (this) {
            if (ended) {
                return;
            }
            current = sink;
        }
        sink.attach(seek.channel().commits().subscribe(seek.start(), sink));
    }

    private void onReady() {
        SeekSink sink;
        synchronized (this) {
            sink = current;
        }
        if (sink != null) {
            sink.resume();
        }
    }

    private void onCancelled() {
        SeekSink sink;
        synchronized (this) {
            ended = true;
            queued.clear();
            sink = current;
            current = null;
        }
        if (sink != null) {
            sink.close();
        }
    }

    /** The seek {@code sink} reached its stop: say SUCCESS, then serve the next queued seek, if any. */
    private void seekDone(SeekSink sink) {
        Envelope next;
        synchronized (this) {
            if (ended || current != sink) {
                return;
            }
            current = null;
            responses.onNext(encoder.status(Status.SUCCESS));
            next = queued.poll();
            if (next == null && halfClosed) {
                ended = true;
                responses.onCompleted();
                return;
            }
        }
        if (next != null) {
            start(next);
        }
    }

    /** Sends {@code status} and ends the call with gRPC OK, as Fabric does for a refused or failed seek. Holds the lock. */
    private void end(Status status, String reason) {
        if (ended) {
            return;
        }
        LOG.info("Deliver: answering {} and ending the stream: {}", status, reason);
        ended = true;
        queued.clear();
        SeekSink sink = current;
        current = null;
        if (sink != null) {
            sink.close();
        }
        try {
            responses.onNext(encoder.status(status));
            responses.onCompleted();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Code.CANCELLED) {
                throw e;
            }
        }
    }

    /** One seek's link to the feed: encodes and sends its blocks, watches for its stop. */
    private final class SeekSink implements CommitFeed.BlockSink {
        private final Seek seek;
        private CommitFeed.Subscription subscription;
        private boolean closed;

        SeekSink(Seek seek) {
            this.seek = seek;
        }

        synchronized void attach(CommitFeed.Subscription subscription) {
            this.subscription = subscription;
            if (closed) {
                subscription.close();
            }
        }

        synchronized void resume() {
            if (subscription != null && !closed) {
                subscription.resume();
            }
        }

        synchronized void close() {
            closed = true;
            if (subscription != null) {
                subscription.close();
            }
        }

        @Override
        public boolean accept(Block block) {
            long number = block.getHeader().getNumber();
            try {
                // Fabric re-evaluates the Readers policy before every block: a certificate that expired mid-stream
                // stops it.
                seek.channel().organizations().validate(seek.creator());
            } catch (IdentityException e) {
                fail(Status.FORBIDDEN, "the seek's creator is no longer a reader of channel '"
                        + seek.channel().channelId() + "': " + e.getMessage());
                return false;
            }
            Block content = seek.contentType() == SeekInfo.SeekContentType.HEADER_WITH_SIG
                    ? DeliverResponses.headerWithSignatures(block)
                    : block;
            R response = encoder.block(seek.channel().channelId(), content);
            synchronized (DeliverStream.this) {
                if (ended || current != this) {
                    close();
                    return false;
                }
                responses.onNext(response);
            }
            if (seek.isStop(number)) {
                close();
                seekDone(this);
                return false;
            }
            if (seek.behavior() == SeekInfo.SeekBehavior.FAIL_IF_NOT_READY
                    && Long.compareUnsigned(number + 1, seek.channel().ledger().height()) >= 0) {
                fail(Status.NOT_FOUND, "block " + (number + 1) + " is not committed yet and the seek asked to fail if not ready");
                return false;
            }
            return responses.isReady();
        }

        @Override
        public void closed(String reason) {
            fail(Status.SERVICE_UNAVAILABLE, reason);
        }

        private void fail(Status status, String reason) {
            synchronized (DeliverStream.this) {
                if (current == this) {
                    end(status, reason);
                }
            }
            close();
        }
    }
}
