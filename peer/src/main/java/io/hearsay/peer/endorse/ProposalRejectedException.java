package io.hearsay.peer.endorse;

import io.grpc.Status;
import java.util.Objects;

/** A signed proposal failed one of the checks of {@link ProposalChecker}; {@link #reason()} says which. */
public final class ProposalRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a proposal was refused, and the gRPC code Fabric's gateway uses for it. */
    public enum Reason {
        /** Empty, unparsable, or a required field missing or wrong (type, epoch, nonce, chaincode name). */
        MALFORMED(Status.Code.INVALID_ARGUMENT),
        /** The header's tx id is not hex SHA-256(nonce ‖ creator): Fabric's "incorrectly computed txid". */
        WRONG_TRANSACTION_ID(Status.Code.INVALID_ARGUMENT),
        /** The request's transaction id or channel id in the clear differs from the signed header's. */
        REQUEST_MISMATCH(Status.Code.INVALID_ARGUMENT),
        /** The header timestamp is outside the time window (Fabric's deliver reports it as BAD_REQUEST). */
        OUTSIDE_TIME_WINDOW(Status.Code.INVALID_ARGUMENT),
        /** A transaction with this id is already committed: a replayed proposal (Fabric's "duplicate transaction found"). */
        DUPLICATE_TRANSACTION(Status.Code.ALREADY_EXISTS),
        /** This peer does not serve the channel. */
        UNKNOWN_CHANNEL(Status.Code.NOT_FOUND),
        /** No contract of that name runs here: Fabric's "no endorsers known for the chaincode". */
        UNKNOWN_CONTRACT(Status.Code.FAILED_PRECONDITION),
        /** The creator is not a valid member of the channel: unknown organisation, foreign CA, expired, ... */
        BAD_CREATOR(Status.Code.PERMISSION_DENIED),
        /** The signature over the proposal bytes is not the creator's, or is not low-S. */
        BAD_SIGNATURE(Status.Code.PERMISSION_DENIED);

        private final Status.Code code;

        Reason(Status.Code code) {
            this.code = code;
        }

        public Status.Code code() {
            return code;
        }
    }

    private final Reason reason;

    public ProposalRejectedException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }

    public Status.Code code() {
        return reason.code();
    }
}
