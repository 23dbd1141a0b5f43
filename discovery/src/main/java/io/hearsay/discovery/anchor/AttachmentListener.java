package io.hearsay.discovery.anchor;

import io.hearsay.identity.PkiId;
import java.util.List;

/** What an attached peer tells its runtime; called on the component's serial context. */
public interface AttachmentListener {
    /** The set of parents changed (one attached, one lost); {@code parents} in PKI-ID order. */
    default void onParentsChanged(List<PkiId> parents) {}

    /** Every anchor the peer knows was tried and none answered; it tries again after the rejoin backoff. */
    default void onJoinRoundFailed() {}

    /** A message from {@code from} was refused; {@code detail} says why, for the log. Also counted. */
    default void rejected(PkiId from, AnchorCounters.Rejection reason, String detail) {}

    AttachmentListener NONE = new AttachmentListener() {};
}
