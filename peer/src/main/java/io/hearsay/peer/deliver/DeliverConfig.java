package io.hearsay.peer.deliver;

/**
 * How a {@link DeliverService} authenticates seek requests beyond the creator's signature.
 *
 * @param tlsBindingRequired require every seek's channel header to carry {@code tls_cert_hash} equal to SHA-256 of
 *     the client's TLS certificate (Fabric does this when client authentication is required), so a seek envelope
 *     captured from one mutual-TLS connection cannot be replayed on another. When false, the binding is still
 *     checked whenever a client sends the hash. Off by default: the official client sends it only when the
 *     application calls {@code tlsClientCertificateHash(...)}
 * @param queuedSeeksMax seek envelopes a client may send on one stream while an earlier seek is still being
 *     served; Fabric serves them one after another, and a client that floods a stream must not grow the queue
 */
public record DeliverConfig(boolean tlsBindingRequired, int queuedSeeksMax) {
    /** 16 seeks: a client has no reason to queue more than a few (each one waits for the previous stop). */
    public static final int DEFAULT_QUEUED_SEEKS_MAX = 16;

    public DeliverConfig {
        if (queuedSeeksMax < 0) {
            throw new IllegalArgumentException("queuedSeeksMax is " + queuedSeeksMax + "; it must be 0 or more");
        }
    }

    /** No mandatory TLS binding, 16 queued seeks. */
    public static DeliverConfig defaults() {
        return new DeliverConfig(false, DEFAULT_QUEUED_SEEKS_MAX);
    }

    public DeliverConfig withTlsBindingRequired(boolean required) {
        return new DeliverConfig(required, queuedSeeksMax);
    }
}
