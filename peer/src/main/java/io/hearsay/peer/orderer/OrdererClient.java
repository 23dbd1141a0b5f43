package io.hearsay.peer.orderer;

import java.util.concurrent.CompletableFuture;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * How a peer hands a client-signed transaction to the ordering service (Fabric's {@code AtomicBroadcast.Broadcast}).
 * The future completes once the orderer has accepted the envelope for ordering — not when it is in a block —
 * and fails with an {@link OrdererException} that says whether the orderer refused it or could not be reached.
 */
public interface OrdererClient extends AutoCloseable {
    CompletableFuture<Void> broadcast(Envelope envelope);

    @Override
    default void close() {
    }
}
