package io.hearsay.peer.gateway;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unary Gateway call being answered off the gRPC thread: answered exactly once, whichever thread gets there,
 * and quietly dropped if the client has gone (cancelled or past its deadline) instead of throwing at the worker.
 */
final class ProposalCall<T> {
    private static final Logger LOG = LoggerFactory.getLogger(ProposalCall.class);

    private final String method;
    private final StreamObserver<T> response;
    private final AtomicBoolean answered = new AtomicBoolean();

    /** Must be made on the gRPC thread, in the service method: that is when a cancel handler may be set. */
    ProposalCall(String method, StreamObserver<T> response) {
        this.method = method;
        this.response = response;
        if (response instanceof ServerCallStreamObserver<T> call) {
            // Without a handler, answering a cancelled call throws; with one, the answer is simply discarded.
            call.setOnCancelHandler(() -> answered.set(true));
        }
    }

    void succeed(T value) {
        if (answered.compareAndSet(false, true)) {
            response.onNext(value);
            response.onCompleted();
        }
    }

    void fail(StatusRuntimeException error) {
        if (answered.compareAndSet(false, true)) {
            response.onError(error);
        }
    }

    /** An unexpected failure: logged here with its stack trace, sent to the client as a one-line INTERNAL error. */
    void failUnexpectedly(Throwable error) {
        LOG.warn("{} failed unexpectedly", method, error);
        fail(GatewayErrors.error(Status.Code.INTERNAL, method + " failed on this peer: " + error));
    }
}
