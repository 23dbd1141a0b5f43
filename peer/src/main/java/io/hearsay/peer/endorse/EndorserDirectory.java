package io.hearsay.peer.endorse;

import java.util.List;
import java.util.Objects;

/**
 * Where the peers of other organisations can be asked to endorse: the {@link EndorsementCollector}'s view of the
 * network (from discovery, or from configuration). Implementations must be thread-safe and answer quickly
 * (no I/O): they are asked on every endorsement.
 */
public interface EndorserDirectory {

    /** Peers of {@code mspId} that run the Endorser service, in the order to try them; empty if none is known. */
    List<Endpoint> endorsers(String mspId);

    /** A directory that knows no other peer: only policies this peer's organisation satisfies alone can be met. */
    static EndorserDirectory none() {
        return mspId -> List.of();
    }

    /**
     * One peer's gRPC address and the name its TLS certificate is checked against.
     *
     * @param address {@code host:port}
     * @param tlsServerName the host name expected in the peer's TLS certificate, e.g. {@code peer0.org2.example.com}
     */
    record Endpoint(String address, String tlsServerName) {
        public Endpoint {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(tlsServerName, "tlsServerName");
            if (address.lastIndexOf(':') <= 0) {
                throw new IllegalArgumentException("endorser address '" + address + "' must be host:port");
            }
        }
    }
}
