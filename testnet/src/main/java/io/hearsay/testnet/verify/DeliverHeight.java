package io.hearsay.testnet.verify;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.hearsay.peer.orderer.SeekEnvelopes;
import io.hearsay.testnet.client.PeerConnections;
import io.hearsay.testnet.spec.ConnectionProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.DeliverResponse;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;

/**
 * A peer's height on a channel, asked of its Deliver service when it has no known status endpoint: a seek for the
 * newest block alone, signed as the organisation's client and bound to its TLS certificate like every seek, answers
 * with that block, whose number plus one is the height. (The Gateway SDK's block events always stream to no end, so
 * they cannot say where a peer's chain ends.)
 *
 * <pre>
 * seek {start: newest, stop: newest, FAIL_IF_NOT_READY}  →  block n, status SUCCESS  →  height n + 1
 * </pre>
 */
final class DeliverHeight {
    private DeliverHeight() {}

    /**
     * @throws IllegalStateException why the peer did not say (unreachable, refused the seek, no answer in time)
     */
    static long ask(ManagedChannel grpc, ConnectionProfile.Organization organization, String channel, Duration timeout) {
        Envelope seek = SeekEnvelopes.newestBlock(channel, PeerConnections.signingIdentity(organization), Instant.now(),
                ByteString.copyFrom(PeerConnections.tlsCertificateHash(organization)));
        CompletableFuture<Long> height = new CompletableFuture<>();
        StreamObserver<Envelope> requests = DeliverGrpc.newStub(grpc)
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .deliver(new StreamObserver<>() {
                    @Override
                    public void onNext(DeliverResponse response) {
                        if (response.hasBlock()) {
                            height.complete(response.getBlock().getHeader().getNumber() + 1);
                        } else {
                            height.completeExceptionally(new IllegalStateException("Deliver answered "
                                    + response.getStatus() + " to a seek for the newest block of " + channel));
                        }
                    }

                    @Override
                    public void onError(Throwable error) {
                        height.completeExceptionally(error);
                    }

                    @Override
                    public void onCompleted() {
                        height.completeExceptionally(new IllegalStateException(
                                "Deliver ended the stream without the newest block of " + channel));
                    }
                });
        try {
            requests.onNext(seek);
            // The deadline above ends the call; the extra second only lets its error arrive here first.
            return height.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot ask Deliver for the newest block: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Deliver did not send the newest block within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Deliver for the newest block", e);
        } finally {
            requests.onCompleted();
        }
    }
}
