package io.hearsay.peer.orderer;

import org.hyperledger.fabric.protos.common.Status;

/**
 * The orderer did not accept an envelope: {@link #status()} is the orderer's answer ({@code BAD_REQUEST},
 * {@code FORBIDDEN}, {@code SERVICE_UNAVAILABLE}, ...), or {@code SERVICE_UNAVAILABLE} when it could not be reached.
 */
public final class OrdererException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Status status;
    private final boolean unreachable;

    public OrdererException(Status status, String message) {
        this(status, message, false);
    }

    private OrdererException(Status status, String message, boolean unreachable) {
        super(message);
        this.status = status;
        this.unreachable = unreachable;
    }

    public static OrdererException unreachable(String message) {
        return new OrdererException(Status.SERVICE_UNAVAILABLE, message, true);
    }

    public Status status() {
        return status;
    }

    /** True when no orderer answered at all (Fabric's gateway then says {@code UNAVAILABLE}, not {@code ABORTED}). */
    public boolean unreachable() {
        return unreachable;
    }
}
