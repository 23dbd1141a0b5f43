package io.hearsay.peer.overlay;

import static org.awaitility.Awaitility.await;

import io.hearsay.discovery.routing.RoutedDelivery;
import io.hearsay.discovery.routing.RoutingConfig;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.PkiId;
import io.hearsay.peer.GossipPeer;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.transport.TlsCredentials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Real nodes on loopback for the overlay tests: {@link GossipPeer}s with mutual TLS and no channel, each running a
 * {@link PeerOverlay}. Two organisations of {@value #ANCHORS_PER_ORGANIZATION} anchors (peers 0 and 1) and {@value
 * #ORDINARY_PER_ORGANIZATION} ordinary peers (peers 2 and 3); peer 3 of each organisation has an external endpoint,
 * peer 2 has none. More nodes (a rogue, an outsider) can be started with settings of their own. Closes everything.
 */
final class OverlayNetwork implements AutoCloseable {
    static final int ANCHORS_PER_ORGANIZATION = 2;
    static final int ORDINARY_PER_ORGANIZATION = 2;
    static final List<String> ORGANIZATIONS = List.of("Org1MSP", "Org2MSP");
    /** Per-hop acknowledgement timeout: loopback answers in ms, but a loaded build machine may pause for tens of ms. */
    static final RoutingConfig ROUTING = RoutingConfig.defaults().withAckTimeout(200);
    static final Duration JOINED = Duration.ofSeconds(12);

    final OverlayCrypto crypto;
    private final NodeResources resources = new NodeResources(4);
    private final Map<String, GossipPeer> peers = new LinkedHashMap<>();
    private final Map<PkiId, Queue<RoutedDelivery.Received>> inboxes = new ConcurrentHashMap<>();
    final List<AnchorSpec> anchors = new ArrayList<>();

    OverlayNetwork(OverlayCrypto crypto) {
        this.crypto = crypto;
        // Listen first: the anchors' endpoints (their ports) are part of every node's configuration.
        for (String mspId : ORGANIZATIONS) {
            for (int i = 0; i < ANCHORS_PER_ORGANIZATION + ORDINARY_PER_ORGANIZATION; i++) {
                CryptoMaterial.Member member = crypto.peer(mspId, i);
                GossipPeer peer = listen(name(mspId, i), member);
                if (i < ANCHORS_PER_ORGANIZATION) {
                    anchors.add(spec(mspId, member, peer));
                }
            }
        }
        for (String mspId : ORGANIZATIONS) {
            for (int i = 0; i < ANCHORS_PER_ORGANIZATION + ORDINARY_PER_ORGANIZATION; i++) {
                GossipPeer peer = peer(mspId, i);
                OverlaySettings settings = settings(peer, anchors);
                if (i == 3) {
                    settings = settings.withExternalEndpoint(externalEndpoint(mspId, i));
                }
                startOverlay(peer, settings);
            }
        }
    }

    static String name(String mspId, int index) {
        return mspId.replace("MSP", "").toLowerCase() + (index < ANCHORS_PER_ORGANIZATION ? "-anchor" : "-peer") + index;
    }

    /** The (fictitious, but well-formed) external endpoint of peer {@code index} of {@code mspId}. */
    static String externalEndpoint(String mspId, int index) {
        return "peer" + index + "." + mspId.replace("MSP", "").toLowerCase() + ".example.com:7051";
    }

    static String internalEndpoint(GossipPeer peer) {
        return "127.0.0.1:" + peer.port();
    }

    static AnchorSpec spec(String mspId, CryptoMaterial.Member member, GossipPeer peer) {
        return new AnchorSpec(mspId, member.signingIdentity().identity().certificate(), "127.0.0.1", peer.port());
    }

    static OverlaySettings settings(GossipPeer peer, List<AnchorSpec> anchors) {
        return OverlaySettings.lan(anchors, OverlayCrypto.CHANNEL_ORGANIZATIONS, internalEndpoint(peer)).withRouting(ROUTING);
    }

    /** Starts a node's server (no overlay yet) with TLS and MSPs trusting all three organisations. */
    GossipPeer listen(String name, CryptoMaterial.Member member) {
        GossipPeer peer = GossipPeer.start(GossipPeer.Settings.lan(name), member.signingIdentity(),
                TlsCredentials.of(member, crypto.trusted), crypto.organizations, resources, List.of(), 4 * 1024 * 1024);
        peers.put(name, peer);
        return peer;
    }

    PeerOverlay startOverlay(GossipPeer peer, OverlaySettings settings) {
        Queue<RoutedDelivery.Received> inbox = inboxes.computeIfAbsent(peer.id(), id -> new ConcurrentLinkedQueue<>());
        return peer.startOverlay(settings, inbox::add);
    }

    GossipPeer peer(String mspId, int index) {
        GossipPeer peer = peers.get(name(mspId, index));
        if (peer == null) {
            throw new IllegalArgumentException(name(mspId, index) + " is not running");
        }
        return peer;
    }

    static PeerOverlay overlay(GossipPeer peer) {
        return peer.overlay().orElseThrow();
    }

    Queue<RoutedDelivery.Received> inbox(GossipPeer peer) {
        return inboxes.get(peer.id());
    }

    List<GossipPeer> anchorsOf(String mspId) {
        List<GossipPeer> of = new ArrayList<>();
        for (int i = 0; i < ANCHORS_PER_ORGANIZATION; i++) {
            running(name(mspId, i)).ifPresent(of::add);
        }
        return of;
    }

    List<GossipPeer> ordinaryOf(String mspId) {
        List<GossipPeer> of = new ArrayList<>();
        for (int i = ANCHORS_PER_ORGANIZATION; i < ANCHORS_PER_ORGANIZATION + ORDINARY_PER_ORGANIZATION; i++) {
            running(name(mspId, i)).ifPresent(of::add);
        }
        return of;
    }

    List<GossipPeer> ordinary() {
        List<GossipPeer> all = new ArrayList<>();
        ORGANIZATIONS.forEach(mspId -> all.addAll(ordinaryOf(mspId)));
        return all;
    }

    private java.util.Optional<GossipPeer> running(String name) {
        return java.util.Optional.ofNullable(peers.get(name));
    }

    /** The running anchor whose PKI-ID is {@code id}. */
    GossipPeer byId(PkiId id) {
        return peers.values().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    /** Waits until every ordinary peer of the two organisations has two parents. */
    void awaitJoined() {
        await().atMost(JOINED).until(() -> ordinary().stream().allMatch(p -> overlay(p).state().parents().size() == 2));
    }

    /** Stops {@code peer} as a crash would: its overlay says nothing, its connections drop. */
    void stop(GossipPeer peer) {
        peers.values().remove(peer);
        peer.close();
    }

    SortedSet<String> heard(GossipPeer peer) {
        return overlay(peer).state().endpointsHeard();
    }

    @Override
    public void close() {
        peers.values().forEach(GossipPeer::close);
        peers.clear();
        resources.close();
    }
}
