package io.hearsay.discovery.auth;

/** A message's signature or signer was not acceptable; the message says which. */
public final class AuthenticationException extends Exception {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message);
    }
}
