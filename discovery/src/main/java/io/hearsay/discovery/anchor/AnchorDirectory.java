package io.hearsay.discovery.anchor;

import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one anchor knows of all anchors: each one's organisation, latest announcement sequence, children and
 * when it was last heard, plus the reverse index (peer → anchors it is attached to) that routing needs to find
 * a target's anchor. Entries are sorted by PKI-ID; the reverse index is a lookup table only.
 */
final class AnchorDirectory {
    private record Entry(String organization, long incarnation, long sequence, List<PkiId> children, long heardAtMillis) {}

    private final TreeMap<PkiId, Entry> entries = new TreeMap<>();
    /** Lookups only (target → its anchors, sorted), never iterated in a decision. */
    private final Map<PkiId, TreeSet<PkiId>> anchorsByChild = new HashMap<>();

    /** Whether (incarnation, sequence) is newer than what is held for {@code anchor} (anything is, if nothing is). */
    boolean isNewer(PkiId anchor, long incarnation, long sequence) {
        Entry entry = entries.get(anchor);
        return entry == null || incarnation > entry.incarnation()
                || incarnation == entry.incarnation() && sequence > entry.sequence();
    }

    void update(PkiId anchor, String organization, long incarnation, long sequence, List<PkiId> children,
            long nowMillis) {
        Entry previous = entries.put(anchor, new Entry(organization, incarnation, sequence, children, nowMillis));
        if (previous != null) {
            for (PkiId child : previous.children()) {
                TreeSet<PkiId> anchors = anchorsByChild.get(child);
                if (anchors != null) {
                    anchors.remove(anchor);
                    if (anchors.isEmpty()) {
                        anchorsByChild.remove(child);
                    }
                }
            }
        }
        for (PkiId child : children) {
            anchorsByChild.computeIfAbsent(child, c -> new TreeSet<>()).add(anchor);
        }
    }

    private boolean live(Entry entry, long nowMillis, long timeoutMillis) {
        return nowMillis - entry.heardAtMillis() <= timeoutMillis;
    }

    /** Anchors heard within {@code timeoutMillis}, with their loads, in PKI-ID order. */
    List<AnchorLoad> liveAnchors(long nowMillis, long timeoutMillis) {
        List<AnchorLoad> live = new ArrayList<>();
        entries.forEach((anchor, entry) -> {
            if (live(entry, nowMillis, timeoutMillis)) {
                live.add(new AnchorLoad(anchor, entry.organization(), entry.children().size()));
            }
        });
        return live;
    }

    /** The live anchors {@code peer} is attached to, in PKI-ID order. */
    List<PkiId> anchorsOf(PkiId peer, long nowMillis, long timeoutMillis) {
        TreeSet<PkiId> anchors = anchorsByChild.get(peer);
        if (anchors == null) {
            return List.of();
        }
        List<PkiId> live = new ArrayList<>(anchors.size());
        for (PkiId anchor : anchors) {
            if (live(entries.get(anchor), nowMillis, timeoutMillis)) {
                live.add(anchor);
            }
        }
        return live;
    }

    boolean isLiveAnchor(PkiId peer, long nowMillis, long timeoutMillis) {
        Entry entry = entries.get(peer);
        return entry != null && live(entry, nowMillis, timeoutMillis);
    }
}
