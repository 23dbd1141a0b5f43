package io.hearsay.peer.node;

import io.hearsay.discovery.anchor.JoinConfig;
import io.hearsay.discovery.routing.RoutingConfig;
import io.hearsay.identity.Identity;
import io.hearsay.identity.Pem;
import io.hearsay.peer.config.ConfigException;
import io.hearsay.peer.config.ConfigTree;
import io.hearsay.peer.config.ConfigTree.HostPort;
import io.hearsay.peer.overlay.AnchorSpec;
import io.hearsay.peer.overlay.OverlaySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.stream.IntStream;

/**
 * The {@code overlay:} section of {@code peer.yaml}: the channel's anchor peers (super-nodes) and where this peer is
 * reached, from which {@link PeerNode} starts the node's {@code PeerOverlay}. Without the section the node runs no
 * overlay. Anchors' certificates are read here, so an unreadable one fails before anything starts; whether each is
 * of the organisation it claims needs the channels' CAs, so {@link PeerNode} checks that once the ledgers are open.
 *
 * @param internalEndpoint where peers of this peer's organisation reach it. Default: the listen host and the port
 *     the node bound (so {@code listen: 127.0.0.1:0} works); required when listening on a wildcard address, which
 *     other peers cannot dial
 * @param externalEndpoint where other organisations reach it. Default none, as in Fabric: other organisations never
 *     learn this peer's endpoint (anchors still route to it by PKI-ID). An anchor is reached at its entry's endpoint
 *     whatever this says
 * @param anchors the channel's anchor peers; every node of the network gets the same list, and a node whose own
 *     certificate is listed is an anchor
 * @param join anchors, joining and dual-homing; the defaults of {@link JoinConfig#defaults()} with the {@code join.*}
 *     options applied
 * @param routing routed delivery; the defaults of {@link RoutingConfig#defaults()} with the {@code routing.*} options
 *     applied
 */
public record OverlayConfig(Optional<HostPort> internalEndpoint, Optional<HostPort> externalEndpoint, List<Anchor> anchors,
        JoinConfig join, RoutingConfig routing) {
    /** The options this section has, read for presence: any of them set means the overlay is configured. */
    private static final List<String> KEYS = List.of("overlay.internalEndpoint", "overlay.externalEndpoint",
            "overlay.anchors", "overlay.join.parents", "overlay.join.childrenMax", "overlay.routing.ackTimeout",
            "overlay.routing.payloadBytesMax", "overlay.routing.inflightMax");
    private static final Set<String> WILDCARD_HOSTS = Set.of("0.0.0.0", "::", "[::]", "");

    /**
     * One anchor as {@code overlay.anchors[]} names it.
     *
     * @param certificate the anchor's signing certificate (PEM), which gives its PKI-ID
     * @param endpoint where every organisation reaches it
     */
    public record Anchor(String mspId, Path certificate, HostPort endpoint) {
        public Anchor {
            Objects.requireNonNull(mspId, "mspId");
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(endpoint, "endpoint");
        }

        /**
         * The anchor with its certificate read.
         *
         * @param option the entry's option name ({@code overlay.anchors[1]}), for the error
         * @throws ConfigException if the certificate cannot be read or is not a usable PEM certificate
         */
        public AnchorSpec spec(String option) {
            byte[] pem;
            try {
                pem = Files.readAllBytes(certificate);
            } catch (IOException e) {
                throw new ConfigException(option + ".cert: cannot read " + certificate + ": " + e.getMessage()
                        + "; give the anchor's signing certificate (PEM), e.g. its msp/signcerts/cert.pem");
            }
            try {
                X509Certificate decoded = Pem.decodeCertificate(pem);
                Identity.of(mspId, decoded); // an unusable key (not P-256) fails here, not when the overlay starts
                return new AnchorSpec(mspId, decoded, endpoint.host(), endpoint.port());
            } catch (RuntimeException e) {
                throw new ConfigException(option + ".cert: " + certificate + " is not a usable signing certificate ("
                        + e.getMessage() + "); give the anchor's msp/signcerts/cert.pem");
            }
        }
    }

    public OverlayConfig {
        Objects.requireNonNull(internalEndpoint, "internalEndpoint");
        Objects.requireNonNull(externalEndpoint, "externalEndpoint");
        Objects.requireNonNull(join, "join");
        Objects.requireNonNull(routing, "routing");
        anchors = List.copyOf(anchors);
        if (anchors.isEmpty()) {
            throw new ConfigException("overlay.anchors: the overlay needs the channel's anchor peers; list at least one "
                    + "per organisation (mspId, cert, endpoint host:port), or remove the overlay section");
        }
    }

    /** The section with {@code anchors} and every other option at its default. */
    public static OverlayConfig of(List<Anchor> anchors) {
        return new OverlayConfig(Optional.empty(), Optional.empty(), anchors, JoinConfig.defaults(), RoutingConfig.defaults());
    }

    public OverlayConfig withRouting(RoutingConfig config) {
        return new OverlayConfig(internalEndpoint, externalEndpoint, anchors, join, config);
    }

    /** Each anchor with its certificate read. */
    public List<AnchorSpec> anchorSpecs() {
        return IntStream.range(0, anchors.size())
                .mapToObj(i -> anchors.get(i).spec("overlay.anchors[" + i + "]")).toList();
    }

    /**
     * The settings the overlay starts with, once the node listens.
     *
     * @param listen the node's listen address with the port it bound
     * @param channelOrganizations the peer organisations of the node's channels
     * @param specs this section's anchors with their certificates, as {@link #anchorSpecs()} read them
     */
    public OverlaySettings settings(HostPort listen, SortedSet<String> channelOrganizations, List<AnchorSpec> specs) {
        String internal = internalEndpoint.orElse(listen).toString();
        OverlaySettings lan = OverlaySettings.lan(specs, channelOrganizations, internal);
        return lan.withExternalEndpoint(externalEndpoint.map(HostPort::toString).orElse("")).withJoin(join)
                .withRouting(routing);
    }

    /**
     * Reads the section; empty when {@code peer.yaml} has none (no option under {@code overlay.} is set, in the file or
     * by an override).
     *
     * @param listen the node's listen option, the internal endpoint's default
     */
    static Optional<OverlayConfig> from(ConfigTree tree, HostPort listen) {
        tree.string("overlay", null); // "overlay:" with nothing under it is no overlay, not an unknown option
        if (KEYS.stream().allMatch(key -> tree.string(key, null) == null)) {
            return Optional.empty();
        }
        Optional<HostPort> internal = Optional.ofNullable(endpoint(tree, "overlay.internalEndpoint"));
        if (internal.isEmpty() && WILDCARD_HOSTS.contains(listen.host())) {
            throw new ConfigException("overlay.internalEndpoint: missing; listen is " + listen + ", a wildcard address "
                    + "other peers cannot dial: give the host:port this peer's organisation reaches it at");
        }
        Optional<HostPort> external = Optional.ofNullable(endpoint(tree, "overlay.externalEndpoint"));
        List<ConfigTree> entries = tree.list("overlay.anchors");
        List<Anchor> anchors = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            ConfigTree entry = entries.get(i);
            String option = "overlay.anchors[" + i + "]";
            HostPort endpoint = endpoint(entry, "endpoint");
            if (endpoint == null) {
                throw new ConfigException(option + ".endpoint: missing; the host:port every organisation reaches the anchor at");
            }
            Anchor anchor = new Anchor(entry.requiredString("mspId", "the anchor's organisation, e.g. Org1MSP"),
                    Path.of(entry.requiredString("cert", "the anchor's signing certificate (PEM)")), endpoint);
            entry.requireAllRead();
            anchor.spec(option); // read now: an unreadable certificate fails before anything starts
            anchors.add(anchor);
        }
        JoinConfig defaultJoin = JoinConfig.defaults();
        RoutingConfig defaultRouting = RoutingConfig.defaults();
        JoinConfig join = defaultJoin.withParents(tree.intValue("overlay.join.parents", defaultJoin.parents(), 1, 8));
        int childrenMax = tree.intValue("overlay.join.childrenMax", defaultJoin.childrenMax(), 1, 1_000_000);
        join = new JoinConfig(join.parents(), join.requestTimeoutMillis(), join.heartbeatIntervalMillis(),
                join.parentTimeoutMillis(), join.childTimeoutMillis(), join.announceIntervalMillis(),
                join.announceLoadChange(), join.announceMinIntervalMillis(), join.anchorTimeoutMillis(),
                join.rejoinBackoffMillis(), join.joinRequestsPerSecond(), join.joinBurst(), join.rateLimitedSendersMax(),
                childrenMax);
        Duration ackTimeout = tree.duration("overlay.routing.ackTimeout", Duration.ofMillis(defaultRouting.ackTimeoutMillis()),
                Duration.ofMillis(1), Duration.ofMinutes(1));
        RoutingConfig routing = new RoutingConfig(ackTimeout.toMillis(),
                tree.intValue("overlay.routing.payloadBytesMax", defaultRouting.payloadBytesMax(), 0, 1024 * 1024),
                tree.intValue("overlay.routing.inflightMax", defaultRouting.inflightMax(), 1, 1_000_000),
                defaultRouting.deliveredRememberedMax());
        return Optional.of(new OverlayConfig(internal, external, anchors, join, routing));
    }

    /** A {@code host:port} option whose port must be a real one: others dial it, so "any port" (0) is no answer. */
    private static HostPort endpoint(ConfigTree tree, String key) {
        HostPort endpoint = tree.hostPort(key, null);
        if (endpoint != null && endpoint.port() == 0) {
            throw new ConfigException(key + ": must be host:port with a port in [1, 65535] that other peers dial, got "
                    + endpoint);
        }
        return endpoint;
    }
}
