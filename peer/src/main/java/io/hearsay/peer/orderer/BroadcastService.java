package io.hearsay.peer.orderer;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.hearsay.peer.auth.TimeWindow;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabric's {@code orderer.AtomicBroadcast/Broadcast}: a bidirectional stream on which a peer (or any client)
 * sends envelopes and gets one {@code BroadcastResponse} per envelope, in order. {@code SUCCESS} means accepted
 * for ordering, not yet in a block. Refusals ({@link EnvelopeChecks}) are answers on the stream, never a broken
 * stream: the next envelope is served as usual.
 *
 * <p>Flow control: each stream reads one envelope at a time, checks it and answers on the gRPC callback (the
 * checks are CPU only: parsing and one signature verification; nothing waits), and asks for the next envelope
 * only when the response stream can take more, so a client that does not read its answers stops being read. A
 * channel whose queue of unordered envelopes is full answers {@code SERVICE_UNAVAILABLE}.
 *
 * <p>{@code Deliver} on the orderer is not served here; the node adds a Deliver service of its own.
 */
public final class BroadcastService extends AtomicBroadcastGrpc.AtomicBroadcastImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(BroadcastService.class);

    private final EnvelopeChecks checks;

    public BroadcastService(OrdererChannels channels, OrdererConfig config, TimeWindow timeWindow) {
        this.checks = new EnvelopeChecks(channels, config, timeWindow);
    }

    @Override
    public StreamObserver<Envelope> broadcast(StreamObserver<BroadcastResponse> responseObserver) {
        return new BroadcastStream((ServerCallStreamObserver<BroadcastResponse>) responseObserver);
    }

    /** One client's stream. gRPC calls its methods one at a time, so its state needs no lock. */
    private final class BroadcastStream implements StreamObserver<Envelope> {
        private final ServerCallStreamObserver<BroadcastResponse> responses;
        /** An envelope was answered while the response stream was full: read the next one once it drains. */
        private boolean readWhenReady;
        private boolean cancelled;

        BroadcastStream(ServerCallStreamObserver<BroadcastResponse> responses) {
            this.responses = responses;
            responses.disableAutoRequest();
            responses.setOnCancelHandler(() -> cancelled = true);
            responses.setOnReadyHandler(this::onReady);
            responses.request(1);
        }

        @Override
        public void onNext(Envelope envelope) {
            if (cancelled) {
                return;
            }
            responses.onNext(answer(envelope));
            if (responses.isReady()) {
                responses.request(1);
            } else {
                readWhenReady = true;
            }
        }

        private void onReady() {
            if (readWhenReady && !cancelled && responses.isReady()) {
                readWhenReady = false;
                responses.request(1);
            }
        }

        @Override
        public void onError(Throwable error) {
            // The client went away; nothing is held for it.
        }

        @Override
        public void onCompleted() {
            if (!cancelled) {
                responses.onCompleted();
            }
        }
    }

    private BroadcastResponse answer(Envelope envelope) {
        try {
            EnvelopeChecks.Verdict verdict = checks.check(envelope);
            if (verdict instanceof EnvelopeChecks.Refusal refusal) {
                LOG.debug("broadcast refused: {} {}", refusal.status(), refusal.info());
                return response(refusal.status(), refusal.info());
            }
            SoloOrderer orderer = ((EnvelopeChecks.Accepted) verdict).orderer();
            return switch (orderer.submit(envelope.toByteString())) {
                case ACCEPTED -> BroadcastResponse.newBuilder().setStatus(Status.SUCCESS).build();
                case OVERSIZED -> response(Status.BAD_REQUEST, "the envelope is " + envelope.getSerializedSize()
                        + " bytes, more than the orderer's limit of " + orderer.config().envelopeBytesMax() + " bytes");
                case BUSY -> response(Status.SERVICE_UNAVAILABLE, "channel '" + orderer.channelId() + "' has "
                        + orderer.config().pendingEnvelopesMax() + " envelopes waiting to be ordered; retry shortly");
                case CLOSED -> response(Status.SERVICE_UNAVAILABLE, "the orderer is shutting down");
            };
        } catch (RuntimeException e) {
            LOG.error("broadcast: checking an envelope failed", e);
            return response(Status.INTERNAL_SERVER_ERROR, "the orderer failed to check the envelope: " + e.getMessage());
        }
    }

    private static BroadcastResponse response(Status status, String info) {
        return BroadcastResponse.newBuilder().setStatus(status).setInfo(info).build();
    }
}
