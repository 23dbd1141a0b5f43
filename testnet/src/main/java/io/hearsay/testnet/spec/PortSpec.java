package io.hearsay.testnet.spec;

/**
 * Where the network listens.
 *
 * <p>With a base port B the layout is fixed, so firewall rules and scripts can rely on it: the orderer on B, and
 * the k-th peer of the spec (counting organisations in order) on B + 1 + 2k for gRPC (gossip, Gateway, Deliver)
 * and B + 2 + 2k for its operations endpoint (health, metrics, {@code /status}).
 *
 * @param host the address every node binds and advertises. Default {@code 127.0.0.1}: a test network on one
 *     machine, not reachable from outside it.
 * @param base the base port, or 0 to let each node pick a free port (the default: two networks, or a network and a
 *     test run, never collide). Otherwise between 1024 and 65535, and the layout must fit below 65536.
 */
public record PortSpec(String host, int base) {
    public static final int BASE_MIN = 1024;

    public PortSpec {
        if (host == null || host.isBlank() || host.contains(":") && !host.startsWith("[")) {
            throw new SpecException("host", "must be a host name or IPv4 address (IPv6 in brackets), got "
                    + SpecValues.describe(host));
        }
        if (base != 0) {
            SpecException.checkRange("base", base, BASE_MIN, 65_535);
        }
    }

    public static PortSpec defaults() {
        return new PortSpec("127.0.0.1", 0);
    }

    public boolean pickFree() {
        return base == 0;
    }

    /** The orderer's port; 0 means pick a free one. */
    public int ordererPort() {
        return base;
    }

    /** The gRPC port of the {@code index}-th peer of the network; 0 means pick a free one. */
    public int peerPort(int index) {
        return pickFree() ? 0 : base + 1 + 2 * index;
    }

    /** The operations (HTTP) port of the {@code index}-th peer; 0 means pick a free one. */
    public int operationsPort(int index) {
        return pickFree() ? 0 : base + 2 + 2 * index;
    }

    /** The highest port a network of {@code peers} peers uses (0 when picking free ones). */
    public int highestPort(int peers) {
        return pickFree() ? 0 : base + 2 * peers;
    }
}
