package io.hearsay.discovery.runtime;

import io.hearsay.identity.PkiId;

/**
 * How protocol code reaches other peers: fire-and-forget sends addressed by PKI-ID. Delivery is not
 * guaranteed (the simulator drops, delays and partitions; a real link may be down), and protocols are
 * written for that. The simulator passes message objects; the node's gRPC adapter serialises them.
 *
 * @param <M> the protocol's message type
 */
@FunctionalInterface
public interface Transport<M> {
    /** Queues {@code message} for {@code to}; never blocks. A send to an unreachable peer is dropped. */
    void send(PkiId to, M message);
}
