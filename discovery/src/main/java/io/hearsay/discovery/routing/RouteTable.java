package io.hearsay.discovery.routing;

import io.hearsay.identity.PkiId;
import java.util.List;

/** What routed delivery needs to know of the overlay at one peer; answered by the anchor layer. */
public interface RouteTable {
    /** Whether this peer is an anchor, which relays routes for others. */
    boolean isAnchor();

    /** An ordinary peer's parent anchors, in the order to try them; empty for an anchor. */
    List<PkiId> parents();

    /** Anchor role: whether {@code peer} is attached to this anchor now. */
    boolean isChild(PkiId peer);

    /** Anchor role: whether {@code peer} is itself a live anchor (reachable in one hop). */
    boolean isLiveAnchor(PkiId peer);

    /** Anchor role: the live anchors other than this one {@code target} is attached to, in the order to try them. */
    List<PkiId> anchorsOf(PkiId target);
}
