package io.hearsay.discovery.anchor;

import io.hearsay.identity.PkiId;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The anchors the channel configuration names, as (anchor PKI-ID → organisation). It is the only authority on
 * who is an anchor: an announcement or a join reply that names a peer not in it, or names it for another
 * organisation, is a false anchor claim and is refused. Sorted, so every iteration is a function of the ids.
 */
public record AnchorRoster(SortedMap<PkiId, String> organizationByAnchor) {
    public AnchorRoster {
        if (organizationByAnchor.isEmpty()) {
            throw new IllegalArgumentException("the channel configuration names no anchor: name at least one per organisation");
        }
        organizationByAnchor = Collections.unmodifiableSortedMap(new TreeMap<>(organizationByAnchor));
    }

    public static AnchorRoster of(Map<PkiId, String> organizationByAnchor) {
        return new AnchorRoster(new TreeMap<>(organizationByAnchor));
    }

    /** Whether the configuration names {@code peer} as an anchor of {@code organization}. */
    public boolean isAnchorOf(String organization, PkiId peer) {
        return organization.equals(organizationByAnchor.get(peer));
    }

    public boolean isAnchor(PkiId peer) {
        return organizationByAnchor.containsKey(peer);
    }

    /** Every anchor, in PKI-ID order. */
    public List<PkiId> anchors() {
        return List.copyOf(organizationByAnchor.keySet());
    }

    public int size() {
        return organizationByAnchor.size();
    }
}
