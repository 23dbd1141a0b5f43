package io.hearsay.peer.orderer;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.DeliverResponse;

/**
 * The response side of a Deliver call under manual inbound flow control: gRPC hands {@code responses} no more than
 * {@code initialResponses} messages until the call's {@link ClientCallStreamObserver#request} allows more. Messages
 * not yet requested stay in the transport, which stops granting the orderer HTTP/2 window, so the orderer stops
 * sending; that is how a slow committer slows the orderer instead of filling the heap.
 */
final class FlowControlledResponses implements ClientResponseObserver<Envelope, DeliverResponse> {
    private final StreamObserver<DeliverResponse> responses;
    private final int initialResponses;

    FlowControlledResponses(StreamObserver<DeliverResponse> responses, int initialResponses) {
        if (initialResponses < 1) {
            throw new IllegalArgumentException("initialResponses is " + initialResponses + "; a stream allowed no "
                    + "response would never deliver one");
        }
        this.responses = responses;
        this.initialResponses = initialResponses;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Envelope> requests) {
        requests.disableAutoRequestWithInitial(initialResponses);
    }

    @Override
    public void onNext(DeliverResponse response) {
        responses.onNext(response);
    }

    @Override
    public void onError(Throwable error) {
        responses.onError(error);
    }

    @Override
    public void onCompleted() {
        responses.onCompleted();
    }
}
