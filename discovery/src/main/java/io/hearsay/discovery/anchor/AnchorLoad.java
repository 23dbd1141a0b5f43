package io.hearsay.discovery.anchor;

import io.hearsay.identity.PkiId;

/** One anchor as a join reply lists it: who, of which organisation, and how many peers are attached to it. */
public record AnchorLoad(PkiId anchor, String organization, int attachedPeers) {}
