package io.hearsay.peer.deliver;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;

/**
 * A streaming client that requests no response until {@link #resume()}: gRPC's flow control then fills up and
 * the server must stop taking blocks from its feed — how the backpressure tests see pausing work. It also checks
 * that responses arrive in the expected order.
 *
 * @param <Q> the request type
 * @param <R> the response type
 */
public final class PausedReader<Q, R> implements ClientResponseObserver<Q, R> {
    private final BiPredicate<R, Integer> expectedAt;
    private final AtomicInteger received = new AtomicInteger();
    private volatile ClientCallStreamObserver<Q> call;
    private volatile boolean inOrder = true;

    /** @param expectedAt whether a response is the one expected at its position (0 for the first) */
    public PausedReader(BiPredicate<R, Integer> expectedAt) {
        this.expectedAt = expectedAt;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
        call = requestStream;
        requestStream.disableAutoRequestWithInitial(0);
    }

    /** Starts reading: asks for every response the server has or will have. */
    public void resume() {
        call.request(Integer.MAX_VALUE);
    }

    public int received() {
        return received.get();
    }

    /** Whether every response so far was the one expected at its position. */
    public boolean inOrder() {
        return inOrder;
    }

    @Override
    public void onNext(R response) {
        if (!expectedAt.test(response, received.getAndIncrement())) {
            inOrder = false;
        }
    }

    @Override
    public void onError(Throwable error) {
        // The test ends the call; what it checks is what arrived before.
    }

    @Override
    public void onCompleted() {
    }
}
