package io.hearsay.discovery.auth;

/**
 * The canonical bytes of a message that its signature covers. Two messages that mean the same must give
 * the same bytes, and any change a receiver acts on must change them. Large payloads whose authenticity
 * comes from elsewhere (block bodies: bound to the header by the data hash, the header to the orderer by
 * its signature) are represented by their hash, so signing costs the same for a 1 KiB and a 1 MiB block.
 */
@FunctionalInterface
public interface MessageCodec<M> {
    byte[] signedContent(M message);

    /**
     * Appends exactly the bytes of {@link #signedContent} to {@code out}. The channel builds signer, sequence
     * and content in one reused buffer with it; a codec that can write in place overrides it to skip the
     * intermediate array.
     */
    default void writeSignedContent(M message, ContentWriter out) {
        out.write(signedContent(message));
    }
}
