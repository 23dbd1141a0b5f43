package io.hearsay.peer.membership;

import java.util.Optional;

/** Where a member is dialled: the host and port of its {@code host:port} internal endpoint. */
record Endpoint(String host, int port) {
    /** {@code host:port} (an IPv6 host in brackets), or empty if it is not one. */
    static Optional<Endpoint> parse(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        if (colon <= 0 || colon == endpoint.length() - 1) {
            return Optional.empty();
        }
        String host = endpoint.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(endpoint.substring(colon + 1));
            return port >= 1 && port <= 65_535 ? Optional.of(new Endpoint(host, port)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
