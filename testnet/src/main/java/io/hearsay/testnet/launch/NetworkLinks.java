package io.hearsay.testnet.launch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which peers keep gossip connections, following Fabric's anchor-peer rule: within an organisation every peer knows
 * every other (a full mesh); across organisations a peer knows only the other organisations' visible peers (anchors
 * and peers with an external endpoint). A link is symmetric: both ends are told of each other, so a visible peer
 * also knows the other organisations' ordinary peers that attach to it, and every peer has an endorser of each
 * other organisation to ask (the Gateway's endorsements travel over the same neighbour list).
 *
 * <pre>
 *   org1: p0* ── p1        * = visible (anchor)
 *          │ ╲ ╱ │
 *          │  ╳  │         p1.org1 ── p0.org2, p0.org1 ── p1.org2, p0.org1 ── p0.org2
 *          │ ╱ ╲ │
 *   org2: p0* ── p1
 * </pre>
 *
 * @param neighbours peer name → the names of its neighbours, sorted
 */
public record NetworkLinks(Map<String, List<String>> neighbours) {

    public static NetworkLinks of(List<PeerPlan> peers) {
        Map<String, TreeSet<String>> links = new TreeMap<>();
        peers.forEach(p -> links.put(p.name(), new TreeSet<>()));
        for (int i = 0; i < peers.size(); i++) {
            for (int j = i + 1; j < peers.size(); j++) {
                PeerPlan a = peers.get(i);
                PeerPlan b = peers.get(j);
                boolean sameOrganization = a.mspId().equals(b.mspId());
                if (sameOrganization || a.visible() || b.visible()) {
                    links.get(a.name()).add(b.name());
                    links.get(b.name()).add(a.name());
                }
            }
        }
        Map<String, List<String>> result = new TreeMap<>();
        links.forEach((name, set) -> result.put(name, List.copyOf(new ArrayList<>(set))));
        return new NetworkLinks(Collections.unmodifiableMap(result));
    }

    public List<String> of(String peer) {
        return neighbours.getOrDefault(peer, List.of());
    }
}
