package io.hearsay.peer.wire;

import io.hearsay.discovery.anchor.AnchorMessage;
import io.hearsay.discovery.routing.RouteMessage;
import java.util.List;
import java.util.Objects;

/**
 * A node-level overlay message as it travels: one of the anchor layer's messages (joining, attaching, heartbeats,
 * announcements between anchors) with the endpoints the sender lets the receiver see, or one of routed delivery's.
 */
public sealed interface OverlayMessage {
    /**
     * @param endpoints on an {@link AnchorMessage.Attach}: at most one entry, the sender's own; on an {@link
     *     AnchorMessage.Announcement}: entries for some of its children; on anything else: none
     */
    record Anchoring(AnchorMessage message, List<PeerEndpoints> endpoints) implements OverlayMessage {
        public Anchoring {
            Objects.requireNonNull(message, "message");
            endpoints = List.copyOf(endpoints);
        }

        public Anchoring(AnchorMessage message) {
            this(message, List.of());
        }
    }

    record Routing(RouteMessage message) implements OverlayMessage {
        public Routing {
            Objects.requireNonNull(message, "message");
        }
    }
}
