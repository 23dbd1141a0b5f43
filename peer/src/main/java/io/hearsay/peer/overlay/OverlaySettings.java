package io.hearsay.peer.overlay;

import io.hearsay.discovery.anchor.JoinConfig;
import io.hearsay.discovery.auth.IntegrityConfig;
import io.hearsay.discovery.routing.RoutingConfig;
import io.hearsay.peer.wire.OverlayWire;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A node's overlay: who the anchors are, which organisations the channel knows, where this peer can be reached,
 * and the cores' timing. Relations between values are checked here.
 *
 * @param anchors the anchors of the channel configuration (organisation, certificate, endpoint); every node of a
 *     network is given the same list. A node is an anchor if the list names it (with its own organisation).
 * @param channelOrganizations the organisations of the channel configuration; join and membership requests from
 *     any other organisation are refused and counted, even if this node's TLS and MSP trust it (it may serve another
 *     channel with it)
 * @param internalEndpoint {@code host:port} where peers of this peer's organisation reach it; told to peers of the
 *     organisation only
 * @param externalEndpoint {@code host:port} where other organisations reach it, or empty (the default, as in
 *     Fabric): then no other organisation learns this peer's endpoint, and it answers no other organisation's
 *     membership request
 * @param join anchors, joining and dual-homing (default {@link JoinConfig#defaults()})
 * @param routing routed delivery (default {@link RoutingConfig#defaults()}: 100 ms per hop, 600 ms per send)
 * @param integrity signature, rate and replay checks of overlay messages (default {@link IntegrityConfig#defaults()})
 * @param heldPerPeerMax messages to an anchor held while its connection is dialled; beyond it the oldest are dropped
 *     and counted. Default 64: a join, an attach, heartbeats and a few routes — what the cores send in the
 *     {@code connectWaitMillis} a dial takes.
 * @param connectWaitMillis how long held messages wait for a dialled connection before they are dropped (counted).
 *     Default 1,000 ms: a loopback or LAN dial with TLS and the handshake takes tens of ms; the cores' own timeouts
 *     (300 ms per join request) retry long before a message held this long would still help.
 */
public record OverlaySettings(List<AnchorSpec> anchors, SortedSet<String> channelOrganizations, String internalEndpoint,
        String externalEndpoint, JoinConfig join, RoutingConfig routing, IntegrityConfig integrity, int heldPerPeerMax,
        long connectWaitMillis) {
    public OverlaySettings {
        anchors = List.copyOf(anchors);
        channelOrganizations = Collections.unmodifiableSortedSet(new TreeSet<>(channelOrganizations));
        Objects.requireNonNull(internalEndpoint, "internalEndpoint");
        Objects.requireNonNull(externalEndpoint, "externalEndpoint");
        Objects.requireNonNull(join, "join");
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(integrity, "integrity");
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("the overlay needs the channel's anchors: name at least one per organisation");
        }
        if (channelOrganizations.isEmpty()) {
            throw new IllegalArgumentException("the overlay needs the channel's organisations");
        }
        if (internalEndpoint.isEmpty()) {
            throw new IllegalArgumentException("internalEndpoint is empty: give the host:port this peer's organisation reaches it at");
        }
        for (String endpoint : List.of(internalEndpoint, externalEndpoint)) {
            if (!OverlayWire.isEndpoint(endpoint)) {
                throw new IllegalArgumentException("endpoint '" + endpoint + "' is not host:port (port in [1, 65535])");
            }
        }
        if (heldPerPeerMax < 1 || connectWaitMillis < 1) {
            throw new IllegalArgumentException("heldPerPeerMax and connectWaitMillis must be positive, got " + heldPerPeerMax
                    + " and " + connectWaitMillis);
        }
    }

    /** LAN defaults, no external endpoint. */
    public static OverlaySettings lan(List<AnchorSpec> anchors, SortedSet<String> channelOrganizations, String internalEndpoint) {
        return new OverlaySettings(anchors, channelOrganizations, internalEndpoint, "", JoinConfig.defaults(),
                RoutingConfig.defaults(), IntegrityConfig.defaults(), 64, 1_000);
    }

    public OverlaySettings withExternalEndpoint(String endpoint) {
        return new OverlaySettings(anchors, channelOrganizations, internalEndpoint, endpoint, join, routing, integrity,
                heldPerPeerMax, connectWaitMillis);
    }

    public OverlaySettings withAnchors(List<AnchorSpec> list) {
        return new OverlaySettings(list, channelOrganizations, internalEndpoint, externalEndpoint, join, routing, integrity,
                heldPerPeerMax, connectWaitMillis);
    }

    public OverlaySettings withJoin(JoinConfig config) {
        return new OverlaySettings(anchors, channelOrganizations, internalEndpoint, externalEndpoint, config, routing,
                integrity, heldPerPeerMax, connectWaitMillis);
    }

    public OverlaySettings withRouting(RoutingConfig config) {
        return new OverlaySettings(anchors, channelOrganizations, internalEndpoint, externalEndpoint, join, config,
                integrity, heldPerPeerMax, connectWaitMillis);
    }
}
