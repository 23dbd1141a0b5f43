package io.hearsay.peer.index;

/**
 * The central index server's settings (a node serving {@link PeerIndexService}); relations checked here.
 *
 * @param leaseMillis how long a registration keeps a peer in the answers without renewal. Default 6,000 ms: three of
 *     a client's default 2 s refreshes ({@link IndexClientSettings}), so one or two lost renewals do not drop a live
 *     peer, while a crashed one leaves every answer within 6 s — the central model's failure detector.
 * @param entriesMax peers held at once; a new one beyond it is refused ({@code RESOURCE_EXHAUSTED}) until leases
 *     expire. Default 10,000: far above any test network, and bounded so a flood of identities cannot grow the table
 *     without limit (each entry holds a certificate, about 1 KB).
 * @param peersMax peers in one answer. Default 1,000: about 0.9 MB of identities, under gRPC's default 4 MiB message
 *     bound; an organisation larger than that gets a uniform sample each time.
 * @param requestBytesMax the largest registration accepted. Default 16 KiB: an identity (about 1 KB), an endpoint, a
 *     server name, a signature; anything near the bound is not a registration.
 */
public record IndexServerSettings(long leaseMillis, int entriesMax, int peersMax, int requestBytesMax) {
    public IndexServerSettings {
        if (leaseMillis < 100) {
            throw new IllegalArgumentException("leaseMillis must be at least 100 ms, got " + leaseMillis);
        }
        if (entriesMax < 1 || peersMax < 1 || requestBytesMax < 1_024) {
            throw new IllegalArgumentException("entriesMax and peersMax must be positive and requestBytesMax at least "
                    + "1,024, got " + entriesMax + ", " + peersMax + ", " + requestBytesMax);
        }
    }

    public static IndexServerSettings defaults() {
        return new IndexServerSettings(6_000, 10_000, 1_000, 16 * 1024);
    }

    public IndexServerSettings withLeaseMillis(long millis) {
        return new IndexServerSettings(millis, entriesMax, peersMax, requestBytesMax);
    }
}
