package io.hearsay.peer.deliver;

import org.hyperledger.fabric.protos.common.Status;

/**
 * A seek request was refused. Fabric's Deliver tells the client only {@link #status()} (a {@code DeliverResponse}
 * carries no message); the message is for this node's log, saying what the client got wrong.
 */
final class SeekRejectedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Status status;

    SeekRejectedException(Status status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    Status status() {
        return status;
    }
}
