package io.hearsay.peer.index;

import io.hearsay.discovery.view.ViewConfig;
import java.util.Objects;

/**
 * How a peer uses the central index ({@link IndexRegistration}); relations checked here.
 *
 * @param host the index server's host
 * @param port its port (its TLS certificate is checked against the host, as the orderer's is)
 * @param refreshMillis how often the peer renews its registration and reads its organisation's peers. Default 2,000
 *     ms: with the server's default 6 s lease, a live peer renews three times per lease, and a lost neighbour is
 *     replaced within lease + refresh = 8 s at worst — the price of the central model against SWIM's seconds.
 * @param requestTimeoutMillis how long one registration may take before it counts as failed. Default 1,000 ms: a
 *     loopback or LAN round trip with TLS is milliseconds; it must be shorter than the refresh, so at most one call
 *     is ever in flight.
 * @param view how many neighbours the peer keeps from the index's answers (default {@link ViewConfig#defaults()}: 4
 *     to 8, as with SWIM, so the models differ in how peers are found, not in how many they keep)
 * @param peersWanted peers asked for per answer (default 1,000, the server's own default bound); the view draws its
 *     neighbours from them, and a neighbour missing from an answer counts as gone
 */
public record IndexClientSettings(String host, int port, long refreshMillis, long requestTimeoutMillis,
        ViewConfig view, int peersWanted) {
    public IndexClientSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(view, "view");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("the index's port must be in [1, 65535], got " + port);
        }
        if (refreshMillis < 50 || requestTimeoutMillis < 10 || requestTimeoutMillis >= refreshMillis) {
            throw new IllegalArgumentException("need refreshMillis >= 50 and 10 <= requestTimeoutMillis < refreshMillis, got "
                    + refreshMillis + " and " + requestTimeoutMillis);
        }
        if (peersWanted < 1) {
            throw new IllegalArgumentException("peersWanted must be positive, got " + peersWanted);
        }
    }

    /** The defaults for the index at {@code host:port}. */
    public static IndexClientSettings of(String host, int port) {
        return new IndexClientSettings(host, port, 2_000, 1_000, ViewConfig.defaults(), 1_000);
    }

    public IndexClientSettings withRefresh(long refresh, long requestTimeout) {
        return new IndexClientSettings(host, port, refresh, requestTimeout, view, peersWanted);
    }

    public IndexClientSettings withView(ViewConfig config) {
        return new IndexClientSettings(host, port, refreshMillis, requestTimeoutMillis, config, peersWanted);
    }
}
