package io.hearsay.peer.endorse;

import java.util.List;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;

/**
 * The endorsement policy could not be met. {@link #details()} has one entry per endorser that failed (this peer
 * included), which the gateway returns as Fabric does: {@code ABORTED} with one {@code ErrorDetail} each.
 */
public final class EndorsementFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<ErrorDetail> details;

    public EndorsementFailedException(String message, List<ErrorDetail> details) {
        super(message);
        this.details = List.copyOf(details);
    }

    public List<ErrorDetail> details() {
        return details;
    }
}
