package io.hearsay.peer.gateway;

import io.hearsay.peer.orderer.OrdererClient;
import io.hearsay.peer.orderer.OrdererException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;

/**
 * A stand-in for the orderer (the real one is another component): records what Submit forwards and answers as
 * told — accept, refuse, be unreachable, or never answer.
 */
final class ProposalTestOrderer implements OrdererClient {
    enum Behaviour { ACCEPT, REFUSE, UNREACHABLE, SILENT }

    final List<Envelope> received = new CopyOnWriteArrayList<>();
    volatile Behaviour behaviour = Behaviour.ACCEPT;

    @Override
    public CompletableFuture<Void> broadcast(Envelope envelope) {
        received.add(envelope);
        return switch (behaviour) {
            case ACCEPT -> CompletableFuture.completedFuture(null);
            case REFUSE -> CompletableFuture.failedFuture(new OrdererException(Status.BAD_REQUEST, "envelope is too large"));
            case UNREACHABLE -> CompletableFuture.failedFuture(OrdererException.unreachable("orderer0:7050 refused the connection"));
            case SILENT -> new CompletableFuture<>();
        };
    }
}
