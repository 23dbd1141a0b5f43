package io.hearsay.peer.overlay;

import io.hearsay.identity.Identity;
import io.hearsay.identity.PkiId;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * One anchor as the configuration names it (the channel configuration's anchor peers): its organisation, its
 * certificate (which gives its PKI-ID) and the endpoint every organisation reaches it at. Whether the certificate
 * really belongs to that organisation is checked when the {@link OverlayRoster} is built.
 */
public record AnchorSpec(String mspId, X509Certificate certificate, String host, int port) {
    public AnchorSpec {
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(host, "host");
        if (mspId.isEmpty() || host.isEmpty() || port < 1 || port > 65_535) {
            throw new IllegalArgumentException("an anchor needs an organisation, a host and a port in [1, 65535]; got "
                    + mspId + " at " + host + ":" + port);
        }
    }

    /** The identity the certificate gives in the organisation the configuration claims. */
    public Identity identity() {
        return Identity.of(mspId, certificate);
    }

    public PkiId pkiId() {
        return identity().pkiId();
    }

    public String endpoint() {
        return host + ":" + port;
    }
}
