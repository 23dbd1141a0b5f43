package io.hearsay.testnet.verify;

/** A committed block whose validation codes or valid transactions cannot be read. */
final class MalformedBlockException extends Exception {
    MalformedBlockException(String message) {
        super(message);
    }

    MalformedBlockException(String message, Throwable cause) {
        super(message, cause);
    }
}
