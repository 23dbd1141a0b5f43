package io.hearsay.discovery.routing;

import io.hearsay.discovery.anchor.Anchor;
import io.hearsay.discovery.anchor.AnchorAttachment;
import io.hearsay.identity.PkiId;
import java.util.List;

/** The {@link RouteTable} of an anchor and of an attached peer, read from the anchor layer's live state. */
public final class AnchorRoutes {
    private AnchorRoutes() {}

    public static RouteTable of(Anchor anchor) {
        return new RouteTable() {
            @Override
            public boolean isAnchor() {
                return true;
            }

            @Override
            public List<PkiId> parents() {
                return List.of();
            }

            @Override
            public boolean isChild(PkiId peer) {
                return anchor.isChild(peer);
            }

            @Override
            public boolean isLiveAnchor(PkiId peer) {
                return anchor.isLiveAnchor(peer);
            }

            @Override
            public List<PkiId> anchorsOf(PkiId target) {
                return anchor.anchorsOf(target);
            }
        };
    }

    public static RouteTable of(AnchorAttachment attachment) {
        return new RouteTable() {
            @Override
            public boolean isAnchor() {
                return false;
            }

            @Override
            public List<PkiId> parents() {
                return attachment.parents();
            }

            @Override
            public boolean isChild(PkiId peer) {
                return false;
            }

            @Override
            public boolean isLiveAnchor(PkiId peer) {
                return false;
            }

            @Override
            public List<PkiId> anchorsOf(PkiId target) {
                return List.of();
            }
        };
    }
}
