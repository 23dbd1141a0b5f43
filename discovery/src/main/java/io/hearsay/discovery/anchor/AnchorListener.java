package io.hearsay.discovery.anchor;

import io.hearsay.identity.PkiId;

/** Told what an anchor refused, on its serial context, for the log; must not block. */
@FunctionalInterface
public interface AnchorListener {
    AnchorListener NONE = (from, reason, detail) -> {};

    /** A message from {@code from} was refused; {@code detail} says why. Also counted in {@link AnchorCounters}. */
    void rejected(PkiId from, AnchorCounters.Rejection reason, String detail);
}
