package io.hearsay.peer.node;

import io.hearsay.identity.PkiId;
import io.hearsay.peer.overlay.PeerOverlay;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the operations endpoint shows of the node's overlay: {@code /status}'s {@code overlay} object and the values
 * of the overlay metrics, from a {@link StateCache} of the overlay's state.
 */
final class OverlayReport {
    private final PeerOverlay overlay;
    private final Function<PkiId, Optional<String>> names;
    private final RoutedInbox inbox;
    private final StateCache<PeerOverlay.State> state;

    /**
     * @param names a peer's name where the node knows it (the common name its certificate proved, or its anchor entry)
     */
    OverlayReport(PeerOverlay overlay, Function<PkiId, Optional<String>> names, RoutedInbox inbox) {
        this.overlay = overlay;
        this.names = names;
        this.inbox = inbox;
        this.state = new StateCache<>(overlay::state);
    }

    PeerOverlay overlay() {
        return overlay;
    }

    RoutedInbox inbox() {
        return inbox;
    }

    /** The overlay's state, at most {@link StateCache#REUSE_NANOS} old. */
    PeerOverlay.State state() {
        return state.get();
    }

    /** {@code /status}'s {@code overlay}: whether this node is an anchor, its parents and children by name. */
    Map<String, Object> status() {
        PeerOverlay.State now = overlay.state(); // fresh: a person reading the status expects what is true now
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("anchor", now.anchor());
        status.put("parents", named(now.parents()));
        status.put("children", named(now.children()));
        status.put("anchorsKnown", now.knownAnchors().size());
        Map<String, Object> routed = new LinkedHashMap<>();
        routed.put("received", inbox.received());
        routed.put("dropped", inbox.dropped());
        status.put("routedInbox", routed);
        return status;
    }

    /** Names where known, else the PKI-ID's first hex digits; sorted so the status reads the same every time. */
    private List<String> named(List<PkiId> peers) {
        return peers.stream().map(peer -> names.apply(peer).orElse(peer.toString())).sorted().toList();
    }
}
