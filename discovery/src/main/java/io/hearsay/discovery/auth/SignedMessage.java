package io.hearsay.discovery.auth;

import io.hearsay.identity.PkiId;

/**
 * A protocol message as it travels: the signer, a per-signer sequence number (for replay detection), the
 * message, and the signer's signature over all three (see {@link MessageCodec#signedContent}).
 */
public record SignedMessage<M>(PkiId signer, long sequence, M message, byte[] signature) {}
