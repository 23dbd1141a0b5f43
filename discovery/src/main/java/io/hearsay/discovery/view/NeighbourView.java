package io.hearsay.discovery.view;

import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A peer's neighbours: between {@link ViewConfig#minDegree} and {@link ViewConfig#maxDegree} live members,
 * drawn at random from the members it knows (DESIGN.md, "Views"). A deterministic state machine: no timers,
 * no clock; it changes only when told the live membership changed, and its random picks come from the
 * seeded {@link RandomSource} it is given (fork one per peer), so a view is a function of the seed and the
 * sequence of live sets it was shown.
 *
 * <pre>
 *   membership says                          view does
 *   ───────────────                          ─────────
 *   refresh(live)  ──▶ drop neighbours not in live (dead, left, forgotten)
 *                  ──▶ fewer than minDegree? pick replacements from live at once (uniformly, not self,
 *                      not already a neighbour)                             ──▶ ViewChange(removed, added)
 *   accept(peer)   ──▶ peer picked us: add it while size &lt; maxDegree, else refuse
 * </pre>
 *
 * <p>The caller wires {@code refresh} to its membership's events: with SWIM, on {@code memberDead},
 * {@code memberAlive} (while below minDegree) and {@code memberForgotten}, passing the current live set; the
 * simulator passes a shared {@link PeerSet}. Membership checks are binary searches, so a refresh costs
 * O(degree × log n) plus the draws.
 *
 * <p><b>Not symmetric.</b> That A picked B does not put A in B's view; a runtime that wants links both ways
 * calls {@code accept} on B when A opens its link, and B refuses once at maxDegree (A keeps B: its own picks
 * are never dropped while live). The overlay gossip uses is therefore the undirected union of the views,
 * in which a peer's mean degree is about 2 × minDegree. Neighbours accepted beyond minDegree are never
 * replaced when they die; only the peer's own count matters.
 *
 * <p>Not thread-safe: one serial context, like the rest of discovery.
 */
public final class NeighbourView {
    /** What one call changed: neighbours to close links to and neighbours to open links to, in PKI-ID order. */
    public record ViewChange(List<PkiId> removed, List<PkiId> added) {
        public static final ViewChange NONE = new ViewChange(List.of(), List.of());

        public boolean isEmpty() {
            return removed.isEmpty() && added.isEmpty();
        }
    }

    private final PkiId self;
    private final ViewConfig config;
    private final RandomSource random;
    /** Sorted, so every iteration (removal order, the returned lists) is a function of the ids alone. */
    private final TreeSet<PkiId> neighbours = new TreeSet<>();
    private PeerSet snapshot = PeerSet.empty();
    private long replacements;

    public NeighbourView(PkiId self, ViewConfig config, RandomSource random) {
        this.self = self;
        this.config = config;
        this.random = random;
    }

    /**
     * Reconciles the view with the live membership: neighbours no longer in {@code live} are dropped, and if
     * fewer than minDegree remain, new ones are drawn from {@code live} at once (as many as it allows).
     */
    public ViewChange refresh(PeerSet live) {
        List<PkiId> removed = new ArrayList<>();
        for (PkiId neighbour : neighbours) {
            if (!live.contains(neighbour)) {
                removed.add(neighbour);
            }
        }
        removed.forEach(neighbours::remove);
        List<PkiId> added = fill(live);
        if (!removed.isEmpty()) {
            replacements += Math.min(removed.size(), added.size());
        }
        if (removed.isEmpty() && added.isEmpty()) {
            return ViewChange.NONE;
        }
        snapshot = PeerSet.of(neighbours);
        assert neighbours.size() <= config.maxDegree() : "view over maxDegree: " + neighbours.size();
        return new ViewChange(List.copyOf(removed), sorted(added));
    }

    /**
     * A peer that picked this one asks to be a neighbour (a link opened to us). Accepted while the view is
     * below maxDegree; {@code false} if refused or already a neighbour.
     */
    public boolean accept(PkiId peer) {
        if (peer.equals(self) || neighbours.contains(peer) || neighbours.size() >= config.maxDegree()) {
            return false;
        }
        neighbours.add(peer);
        snapshot = PeerSet.of(neighbours);
        return true;
    }

    /** The current neighbours, in PKI-ID order; an immutable snapshot. */
    public PeerSet neighbours() {
        return snapshot;
    }

    public PkiId self() {
        return self;
    }

    public ViewConfig config() {
        return config;
    }

    /** Lost neighbours replaced so far (a counter for the log and the simulator). */
    public long replacements() {
        return replacements;
    }

    private List<PkiId> fill(PeerSet live) {
        int missing = config.minDegree() - neighbours.size();
        if (missing <= 0) {
            return List.of();
        }
        // Draw enough distinct members that, even if every current neighbour is among them, `missing` new
        // ones remain; the draws are the same for the same seed, live set and view.
        List<PkiId> drawn = live.sample(random, missing + neighbours.size(), self);
        List<PkiId> added = new ArrayList<>(missing);
        for (PkiId candidate : drawn) {
            if (added.size() == missing) {
                break;
            }
            if (neighbours.add(candidate)) {
                added.add(candidate);
            }
        }
        return added;
    }

    private static List<PkiId> sorted(List<PkiId> peers) {
        List<PkiId> copy = new ArrayList<>(peers);
        copy.sort(null);
        return List.copyOf(copy);
    }
}
