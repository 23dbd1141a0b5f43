package io.hearsay.identity;

import java.util.Objects;

/**
 * An identity, key, certificate or signature was rejected. {@link #reason()} says why in a form code can
 * branch on (metrics, gRPC status, validation codes); the message says it in a form a user can act on.
 */
public final class IdentityException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why an identity or signature was rejected. */
    public enum Reason {
        MALFORMED_PEM,
        MALFORMED_DER,
        MALFORMED_IDENTITY,
        WRONG_KEY_TYPE,
        WRONG_CURVE,
        EXPIRED,
        NOT_YET_VALID,
        UNKNOWN_ORGANIZATION,
        FOREIGN_CA,
        BAD_KEY_USAGE,
        NOT_A_CA,
        MALFORMED_SIGNATURE,
        HIGH_S_SIGNATURE,
        BAD_SIGNATURE,
        IO
    }

    private final Reason reason;

    public IdentityException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason);
    }

    public IdentityException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }
}
