package io.hearsay.discovery.runtime;

import io.hearsay.identity.PkiId;

/**
 * The receiving side of a {@link Transport}: the runtime calls it on the component's serial context.
 * {@code from} is the authenticated sender of the link (the simulator's sender; the node's TLS-bound
 * handshake identity), never a claim inside the message.
 */
@FunctionalInterface
public interface MessageHandler<M> {
    void onMessage(PkiId from, M message);
}
