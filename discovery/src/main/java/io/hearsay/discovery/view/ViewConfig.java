package io.hearsay.discovery.view;

/**
 * How many neighbours a peer keeps (DESIGN.md, "Views"). Relations between the fields are checked at
 * construction.
 *
 * @param minDegree neighbours a peer picks itself, at random from the live members it knows, and keeps: a
 *     neighbour that dies or leaves is replaced at once, so the view is back at {@code minDegree} as soon as
 *     the membership says so. Default 4, because (a) it is the LAN block push fanout, so a peer can push to
 *     that many distinct neighbours; (b) a random graph in which every peer picks k ≥ 2 others is connected
 *     with high probability (Fenner and Frieze 1982, random k-out graphs), and k = 4 leaves margin for the
 *     window before replacement: with a fraction f of peers dead and not yet replaced, a survivor keeps
 *     about 4(1 − f) of its own picks plus as many inbound ones: measured by the simulator's
 *     {@code ViewConnectivity} at 10,000 peers, half of them killed at once leaves 99% of the survivors in
 *     one component even before any replacement (minDegree 2: 85%), and 100% once lost neighbours are
 *     replaced; (c) each neighbour costs a link and its heartbeats, so more is not free.
 * @param maxDegree the bound on the view: {@link NeighbourView#accept} adds a peer that picked this one only
 *     while the view is smaller. Default 8 = 2 × minDegree: in the undirected graph of all views a peer's
 *     mean degree is 2 × minDegree (its own picks and as many inbound ones), so the mean fits and only
 *     popular peers refuse, which bounds every peer's links and heartbeat traffic. At least minDegree.
 */
public record ViewConfig(int minDegree, int maxDegree) {
    /** A degree beyond this is a misconfiguration: views are meant to be small against the membership. */
    public static final int DEGREE_MAX = 1_024;

    public ViewConfig {
        if (minDegree < 1 || minDegree > DEGREE_MAX) {
            throw new IllegalArgumentException("minDegree must be in [1, " + DEGREE_MAX + "], got " + minDegree);
        }
        if (maxDegree < minDegree || maxDegree > DEGREE_MAX) {
            throw new IllegalArgumentException(
                    "maxDegree must be in [minDegree=" + minDegree + ", " + DEGREE_MAX + "], got " + maxDegree);
        }
    }

    /** minDegree 4, maxDegree 8: see the record's documentation for why. */
    public static ViewConfig defaults() {
        return new ViewConfig(4, 8);
    }

    /** This minimum with {@code maxDegree = 2 × minDegree}, as the defaults. */
    public static ViewConfig withMinDegree(int minDegree) {
        return new ViewConfig(minDegree, 2 * minDegree);
    }
}
