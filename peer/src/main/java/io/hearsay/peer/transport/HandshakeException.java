package io.hearsay.peer.transport;

/** A connection's handshake failed; the message says why, for the log line that closes it. */
final class HandshakeException extends Exception {
    private static final long serialVersionUID = 1L;

    HandshakeException(String message) {
        super(message);
    }
}
