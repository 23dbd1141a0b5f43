package io.hearsay.testnet.launch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which gossip connections the launcher configures, following Fabric's anchor-peer rule: across organisations a peer
 * knows only the other organisations' visible peers (anchors and peers with an external endpoint). A link is
 * symmetric: both ends are told of each other, so a visible peer also knows the other organisations' ordinary peers
 * that attach to it, and every peer has an endorser of each other organisation to ask (the Gateway's endorsements
 * travel over the same neighbour list).
 *
 * <p>Within an organisation the launcher links nobody: the network model's discovery does (SWIM membership, the central
 * index, or membership plus anchors), each peer keeping {@code minDegree} neighbours of its own choosing, or all of
 * its organisation when it is smaller. {@link #expected} counts both.
 *
 * <pre>
 *   org1: p0* · p1         * = visible (anchor);  ── configured link;  · found by discovery
 *          │ ╲ ╱ │
 *          │  ╳  │         p1.org1 ── p0.org2, p0.org1 ── p1.org2, p0.org1 ── p0.org2
 *          │ ╱ ╲ │
 *   org2: p0* · p1
 * </pre>
 *
 * @param neighbours peer name → the names of its configured neighbours (other organisations'), sorted
 * @param discovered peer name → how many of its own organisation's peers its discovery keeps as neighbours at least
 */
public record NetworkLinks(Map<String, List<String>> neighbours, Map<String, Integer> discovered) {

    /**
     * @param minDegree the neighbours discovery keeps per peer ({@code ViewConfig.minDegree}), or all of its
     *     organisation's other peers when fewer
     */
    public static NetworkLinks of(List<PeerPlan> peers, int minDegree) {
        Map<String, TreeSet<String>> links = new TreeMap<>();
        Map<String, Integer> organizationSizes = new TreeMap<>();
        peers.forEach(p -> {
            links.put(p.name(), new TreeSet<>());
            organizationSizes.merge(p.mspId(), 1, Integer::sum);
        });
        for (int i = 0; i < peers.size(); i++) {
            for (int j = i + 1; j < peers.size(); j++) {
                PeerPlan a = peers.get(i);
                PeerPlan b = peers.get(j);
                if (!a.mspId().equals(b.mspId()) && (a.visible() || b.visible())) {
                    links.get(a.name()).add(b.name());
                    links.get(b.name()).add(a.name());
                }
            }
        }
        Map<String, List<String>> result = new TreeMap<>();
        links.forEach((name, set) -> result.put(name, List.copyOf(new ArrayList<>(set))));
        Map<String, Integer> discovered = new TreeMap<>();
        peers.forEach(p -> discovered.put(p.name(), Math.min(minDegree, organizationSizes.get(p.mspId()) - 1)));
        return new NetworkLinks(Collections.unmodifiableMap(result), Collections.unmodifiableMap(discovered));
    }

    /** {@code peer}'s configured neighbours (of other organisations). */
    public List<String> of(String peer) {
        return neighbours.getOrDefault(peer, List.of());
    }

    /** The connections {@code peer} has at least once linked: its configured neighbours and those discovery keeps. */
    public int expected(String peer) {
        return of(peer).size() + discovered.getOrDefault(peer, 0);
    }
}
