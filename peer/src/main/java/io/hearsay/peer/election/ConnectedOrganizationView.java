package io.hearsay.peer.election;

import io.hearsay.discovery.election.LeaderElection;
import io.hearsay.discovery.election.OrganizationView;
import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The election's view of its organisation on a node, before discovery runs there: the neighbours with an open gossip
 * connection whose handshake proved them members of this peer's organisation. A peer of another organisation never
 * enters it, so it can neither lead this organisation nor keep it from electing.
 *
 * <p>The network has no connection events, so {@link #refresh} polls it (the node calls it on a timer and before
 * each election message) and tells the election of each peer that came ({@code onPeerAlive}) or went
 * ({@code onPeerDead}): a leader whose connections all drop is replaced at once, not after the leader timeout.
 * Heights come from block gossip's heartbeats, pushes and announcements ({@link #onHeightObserved}); the election
 * merges them with the heights its declarations carry. Only live peers' heights are kept, so the table is bounded by
 * the connections.
 *
 * <p>Single-threaded: every method runs on the channel's serial executor.
 */
public final class ConnectedOrganizationView implements OrganizationView {
    /** The network as this view sees it. */
    public interface Neighbours {
        /** Peers with an open gossip connection now. */
        List<PkiId> connected();

        /** The organisation (MSP id) a peer proved in its handshake; empty if it never completed one. */
        Optional<String> organization(PkiId peer);
    }

    private final PkiId self;
    private final String organization;
    private final Neighbours neighbours;
    private final LongSupplier localHeight;
    /** Live peers of this organisation and the highest height heard from each since it came. Sorted: deterministic. */
    private final TreeMap<PkiId, Long> live = new TreeMap<>();
    private LeaderElection election;

    public ConnectedOrganizationView(PkiId self, String organization, Neighbours neighbours, LongSupplier localHeight) {
        this.self = Objects.requireNonNull(self, "self");
        this.organization = Objects.requireNonNull(organization, "organization");
        this.neighbours = Objects.requireNonNull(neighbours, "neighbours");
        this.localHeight = Objects.requireNonNull(localHeight, "localHeight");
    }

    /** The election told of arrivals, departures and heights; it needs this view first, hence not a constructor argument. */
    public void attach(LeaderElection leaderElection) {
        this.election = Objects.requireNonNull(leaderElection, "leaderElection");
    }

    /** Compares the open connections with the live set, and tells the election what changed. */
    public void refresh() {
        TreeMap<PkiId, Long> now = new TreeMap<>();
        for (PkiId peer : neighbours.connected()) {
            if (!peer.equals(self) && neighbours.organization(peer).filter(organization::equals).isPresent()) {
                now.put(peer, live.getOrDefault(peer, 0L));
            }
        }
        List<PkiId> gone = new ArrayList<>();
        for (PkiId peer : live.keySet()) {
            if (!now.containsKey(peer)) {
                gone.add(peer);
            }
        }
        List<PkiId> came = new ArrayList<>();
        for (PkiId peer : now.keySet()) {
            if (!live.containsKey(peer)) {
                came.add(peer);
            }
        }
        live.clear();
        live.putAll(now);
        if (election != null) {
            gone.forEach(election::onPeerDead);
            came.forEach(election::onPeerAlive);
        }
    }

    /** A live peer of this organisation showed its ledger height is at least {@code height} (in a block-gossip message). */
    public void onHeightObserved(PkiId peer, long height) {
        Long known = live.get(peer);
        if (known != null && height > known) {
            live.put(peer, height);
            if (election != null) {
                election.onHeightsChanged();
            }
        }
    }

    @Override
    public SortedMap<PkiId, Long> livePeerHeights() {
        return Collections.unmodifiableSortedMap(live);
    }

    @Override
    public long localHeight() {
        return localHeight.getAsLong();
    }
}
