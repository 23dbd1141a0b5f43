package io.hearsay.testnet.launch;

import io.hearsay.discovery.view.ViewConfig;
import io.hearsay.peer.config.ConfigTree.HostPort;
import io.hearsay.peer.index.IndexServerSettings;
import io.hearsay.peer.node.DiscoveryConfig;
import io.hearsay.peer.node.OrdererProcessConfig;
import io.hearsay.peer.node.OverlayConfig;
import io.hearsay.peer.node.PeerConfig;
import io.hearsay.testnet.spec.NetworkModel;
import io.hearsay.testnet.spec.NetworkSpec;
import io.hearsay.testnet.spec.OrganizationSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every node's configuration for a spec on known ports: what both launchers start, in one JVM or one per node. The
 * network model decides how peers find their organisation's neighbours (DESIGN.md, "The classic story"):
 *
 * <pre>
 *   model    orderer            each peer                                           across organisations
 *   central  serves the index   discovery: index at the orderer                     configured links to visible peers
 *   gossip   —                  discovery: SWIM membership, seeds = org's anchors    configured links to visible peers
 *   hybrid   —                  as gossip, plus the anchor overlay (attach, route)   the same, and anchors to anchors
 * </pre>
 *
 * @param orderer the orderer's configuration
 * @param peers each peer's configuration, in spec order
 * @param links the configured links and the connections discovery adds
 */
record NodeConfigs(OrdererProcessConfig orderer, Map<String, PeerConfig> peers, NetworkLinks links) {
    /** Neighbours each peer's discovery keeps: the views' default, as the simulator's. */
    static final ViewConfig VIEW = ViewConfig.defaults();

    /**
     * @param ports the orderer's port, then each peer's gossip and operations ports in spec order
     *     ({@link ProcessLauncher#ports})
     */
    static NodeConfigs of(NetworkSpec spec, NetworkLayout layout, NetworkMaterial material, List<PeerPlan> plans,
            int[] ports) {
        String host = spec.ports().host();
        HostPort ordererAddress = new HostPort(host, ports[0]);
        OrdererProcessConfig orderer = NetworkLauncher.ordererConfig(spec, layout, material, ports[0]);
        if (spec.model() == NetworkModel.CENTRAL) {
            orderer = orderer.withIndex(IndexServerSettings.defaults());
        }
        NetworkLinks links = NetworkLinks.of(plans, VIEW.minDegree());
        Map<String, HostPort> endpoints = new LinkedHashMap<>();
        Map<String, PeerConfig.Neighbour> neighbours = new LinkedHashMap<>();
        for (PeerPlan plan : plans) {
            int port = ports[1 + 2 * plan.networkIndex()];
            endpoints.put(plan.name(), new HostPort(host, port));
            neighbours.put(plan.name(), NetworkLauncher.neighbour(spec, material, plan, port));
        }
        Optional<OverlayConfig> overlay = spec.model() == NetworkModel.HYBRID
                ? Optional.of(OverlayConfig.of(anchors(spec, plans, neighbours))) : Optional.empty();
        Map<String, PeerConfig> peers = new LinkedHashMap<>();
        for (PeerPlan plan : plans) {
            List<PeerConfig.Neighbour> mine = links.of(plan.name()).stream().map(neighbours::get).toList();
            PeerConfig config = NetworkLauncher.peerConfig(spec, layout, material, plan, endpoints.get(plan.name()).port(),
                    ports[2 + 2 * plan.networkIndex()], ordererAddress, mine)
                    .withDiscovery(discovery(spec, plans, plan, neighbours, ordererAddress));
            if (overlay.isPresent()) {
                config = config.withOverlay(withExternalEndpoint(overlay.get(), spec, plan, endpoints.get(plan.name())));
            }
            peers.put(plan.name(), config);
        }
        return new NodeConfigs(orderer, Collections.unmodifiableMap(peers), links);
    }

    private static DiscoveryConfig discovery(NetworkSpec spec, List<PeerPlan> plans, PeerPlan plan,
            Map<String, PeerConfig.Neighbour> neighbours, HostPort orderer) {
        if (spec.model() == NetworkModel.CENTRAL) {
            return DiscoveryConfig.index(orderer, VIEW);
        }
        return DiscoveryConfig.membership(seeds(plans, plan).stream().map(p -> {
            PeerConfig.Neighbour seed = neighbours.get(p.name());
            return new DiscoveryConfig.Seed(seed.endpoint(), seed.certificate(), seed.serverName());
        }).toList(), VIEW);
    }

    /**
     * Whom {@code plan} joins its organisation's membership through: the organisation's visible peers (its anchors), or
     * its first peer if none is visible; never itself. The seeds themselves join through each other, and are found by
     * everyone who seeds from them.
     */
    static List<PeerPlan> seeds(List<PeerPlan> plans, PeerPlan plan) {
        List<PeerPlan> organization = plans.stream().filter(p -> p.mspId().equals(plan.mspId())).toList();
        List<PeerPlan> visible = organization.stream().filter(PeerPlan::visible).toList();
        List<PeerPlan> seeds = new ArrayList<>(visible.isEmpty() ? organization.subList(0, 1) : visible);
        seeds.removeIf(p -> p.name().equals(plan.name()));
        return List.copyOf(seeds);
    }

    /** Every organisation's anchors, as each peer's overlay section lists them. */
    private static List<OverlayConfig.Anchor> anchors(NetworkSpec spec, List<PeerPlan> plans,
            Map<String, PeerConfig.Neighbour> neighbours) {
        List<OverlayConfig.Anchor> anchors = new ArrayList<>();
        for (OrganizationSpec organization : spec.organizations()) {
            for (int index : organization.anchors()) {
                PeerConfig.Neighbour anchor = neighbours.get(organization.peerName(index));
                anchors.add(new OverlayConfig.Anchor(organization.mspId(), anchor.certificate(), anchor.endpoint()));
            }
        }
        return anchors;
    }

    /** The overlay section for {@code plan}: with its external endpoint if the spec gives it one. */
    private static OverlayConfig withExternalEndpoint(OverlayConfig overlay, NetworkSpec spec, PeerPlan plan, HostPort listen) {
        OrganizationSpec organization = spec.organizations().stream().filter(o -> o.mspId().equals(plan.mspId()))
                .findFirst().orElseThrow();
        String external = organization.externalEndpoints().get(plan.organizationIndex());
        if (external == null) {
            return overlay;
        }
        HostPort endpoint = external.equals(OrganizationSpec.AUTO_ENDPOINT) ? listen
                : HostPort.parse(external, io.hearsay.peer.config.ConfigException::new);
        return new OverlayConfig(overlay.internalEndpoint(), Optional.of(endpoint), overlay.anchors(), overlay.join(),
                overlay.routing());
    }
}
