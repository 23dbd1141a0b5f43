package io.hearsay.peer.overlay;

import static io.hearsay.peer.overlay.OverlayNetwork.overlay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearsay.discovery.anchor.AnchorCounters;
import io.hearsay.discovery.routing.DeliveryOutcome;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.PkiId;
import io.hearsay.peer.GossipPeer;
import io.hearsay.peer.overlay.OverlayCounters.Refusal;
import io.hearsay.peer.transport.LinkFaults;
import io.hearsay.peer.transport.TransportCounters;
import io.hearsay.peer.wire.PeerEndpoints;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overlay on real nodes: two organisations of two anchors and two ordinary peers each, over loopback gRPC with
 * mutual TLS and signed messages. Proves that ordinary peers join through an anchor and attach to two; that a routed
 * send across organisations is delivered and acknowledged; that a dead target gives Failed at hop 3 within the
 * deadline and a dead first parent is routed around; that an ordinary peer's internal endpoint never reaches the other
 * organisation; and that a false anchor claim and a join from an organisation the channel does not know are refused
 * and counted while the overlay keeps serving.
 */
@Timeout(value = 15, unit = TimeUnit.SECONDS)
class OverlayNetworkTest {
    /** What a routed send may take beyond its deadline here: the future completes on another thread. */
    private static final long SLACK_MILLIS = 400;

    @TempDir
    static Path directory;
    private static OverlayCrypto crypto;
    private OverlayNetwork network;

    @BeforeAll
    static void generateCrypto() {
        crypto = new OverlayCrypto(directory);
    }

    @BeforeEach
    void startNetwork() {
        network = new OverlayNetwork(crypto);
    }

    @AfterEach
    void closeNetwork() {
        network.close();
    }

    @Test
    void everyOrdinaryPeerAttachesToTwoAnchorsThatHoldItAsAChild() {
        network.awaitJoined();

        for (GossipPeer peer : network.ordinary()) {
            List<PkiId> parents = overlay(peer).state().parents();
            assertThat(parents).hasSize(2);
            for (PkiId parent : parents) {
                assertThat(overlay(network.byId(parent)).isAnchor()).isTrue();
                await().atMost(Duration.ofSeconds(5)).until(() -> overlay(network.byId(parent)).state().children().contains(peer.id()));
            }
        }
        for (String mspId : OverlayNetwork.ORGANIZATIONS) {
            for (GossipPeer anchor : network.anchorsOf(mspId)) {
                // Every anchor hears every other: four live anchors, whichever organisation.
                await().atMost(Duration.ofSeconds(5)).until(() -> overlay(anchor).state().knownAnchors().size() == 4);
            }
        }
    }

    @Test
    void aRoutedSendAcrossOrganisationsIsDeliveredOnceAndAcknowledged() throws Exception {
        network.awaitJoined();
        GossipPeer sender = network.peer("Org1MSP", 2);
        GossipPeer target = network.peer("Org2MSP", 3);
        awaitRoutable(target);

        DeliveryOutcome outcome = send(sender, target, "hello from org1");

        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Delivered.class,
                delivered -> assertThat(delivered.target()).isEqualTo(target.id()));
        assertThat(network.inbox(target)).singleElement().satisfies(received -> {
            assertThat(received.origin()).isEqualTo(sender.id());
            assertThat(new String(received.payload(), StandardCharsets.UTF_8)).isEqualTo("hello from org1");
        });
        // And back the other way, from a peer with an external endpoint to one without.
        assertThat(send(target, sender, "hello from org2")).isInstanceOf(DeliveryOutcome.Delivered.class);
        assertThat(network.inbox(sender)).hasSize(1);
    }

    @Test
    void aStoppedTargetFailsAtHopThreeWithinTheDeadline() throws Exception {
        network.awaitJoined();
        GossipPeer sender = network.peer("Org1MSP", 2);
        GossipPeer target = network.peer("Org2MSP", 2);
        awaitRoutable(target);

        network.stop(target);
        long started = System.nanoTime();
        DeliveryOutcome outcome = send(sender, target.id(), "anyone there?");
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Failed.class,
                failed -> assertThat(failed.hop()).as("failed hop, reason: %s", failed.reason()).isEqualTo(3));
        assertThat(elapsedMillis).isLessThanOrEqualTo(OverlayNetwork.ROUTING.deadlineMillis() + SLACK_MILLIS);
    }

    @Test
    void aStoppedFirstParentIsRoutedAroundThroughTheSecond() throws Exception {
        network.awaitJoined();
        GossipPeer sender = network.peer("Org1MSP", 2);
        GossipPeer target = network.peer("Org2MSP", 3);
        awaitRoutable(target);
        List<PkiId> parents = overlay(sender).state().parents();
        GossipPeer first = network.byId(parents.get(0));
        GossipPeer second = network.byId(parents.get(1));
        long relayedBefore = overlay(second).state().routing().get(io.hearsay.discovery.routing.RoutedDelivery.Counter.RELAYED);

        network.stop(first);
        DeliveryOutcome outcome = send(sender, target, "around the dead anchor");

        assertThat(outcome).isInstanceOf(DeliveryOutcome.Delivered.class);
        assertThat(network.inbox(target)).hasSize(1);
        assertThat(overlay(second).state().routing().get(io.hearsay.discovery.routing.RoutedDelivery.Counter.RELAYED))
                .as("the second parent relayed it").isGreaterThan(relayedBefore);
    }

    @Test
    void aPartitionFromTheFirstParentIsRoutedAroundThroughTheSecond() throws Exception {
        network.awaitJoined();
        GossipPeer sender = network.peer("Org2MSP", 2);
        GossipPeer target = network.peer("Org1MSP", 2);
        awaitRoutable(target);
        GossipPeer first = network.byId(overlay(sender).state().parents().get(0));
        // Both directions of the link cut, the connection itself left open: only acknowledgements can tell.
        LinkFaults senderFaults = new LinkFaults(1);
        LinkFaults parentFaults = new LinkFaults(2);
        sender.network().faults(senderFaults);
        first.network().faults(parentFaults);
        senderFaults.block(LinkFaults.Link.to(first.id()));
        parentFaults.block(LinkFaults.Link.to(sender.id()));

        DeliveryOutcome outcome = send(sender, target, "across the partition");

        assertThat(outcome).isInstanceOf(DeliveryOutcome.Delivered.class);
        assertThat(network.inbox(target)).hasSize(1);
        assertThat(sender.transportCounters().get(TransportCounters.Counter.FAULT_DROPPED)).isPositive();
    }

    @Test
    void anOrdinaryPeersInternalEndpointNeverReachesTheOtherOrganisation() {
        network.awaitJoined();
        // Each anchor learns its organisation's ordinary peers' internal endpoints (from its children, or from the
        // other anchor of the organisation), and the other organisation's external ones only.
        for (String mspId : OverlayNetwork.ORGANIZATIONS) {
            String other = mspId.equals("Org1MSP") ? "Org2MSP" : "Org1MSP";
            GossipPeer visible = network.peer(mspId, 3);
            for (GossipPeer anchor : network.anchorsOf(other)) {
                await().atMost(Duration.ofSeconds(8)).until(() -> {
                    PeerEndpoints known = overlay(anchor).state().learnedEndpoints().get(visible.id());
                    return known != null && known.externalEndpoint().equals(OverlayNetwork.externalEndpoint(mspId, 3));
                });
            }
            for (GossipPeer peer : network.ordinaryOf(mspId)) {
                for (GossipPeer anchor : network.anchorsOf(mspId)) {
                    if (hasParentIn(peer, mspId)) {
                        await().atMost(Duration.ofSeconds(8)).until(() -> {
                            PeerEndpoints known = overlay(anchor).state().learnedEndpoints().get(peer.id());
                            return known != null && known.internalEndpoint().equals(OverlayNetwork.internalEndpoint(peer));
                        });
                    }
                }
            }
        }
        for (String mspId : OverlayNetwork.ORGANIZATIONS) {
            String other = mspId.equals("Org1MSP") ? "Org2MSP" : "Org1MSP";
            List<String> internal = network.ordinaryOf(mspId).stream().map(OverlayNetwork::internalEndpoint).toList();
            List<GossipPeer> otherOrganisation = new ArrayList<>(network.anchorsOf(other));
            otherOrganisation.addAll(network.ordinaryOf(other));
            for (GossipPeer peer : otherOrganisation) {
                PeerOverlay.State state = overlay(peer).state();
                assertThat(state.endpointsHeard()).as("endpoints %s heard", peer.name()).doesNotContainAnyElementsOf(internal);
                state.learnedEndpoints().values().stream().filter(e -> e.organization().equals(mspId))
                        .forEach(e -> assertThat(e.internalEndpoint()).isEmpty());
                // The peer with no external endpoint is not described to the other organisation at all.
                assertThat(state.learnedEndpoints()).doesNotContainKey(network.peer(mspId, 2).id());
                assertThat(state.refusals().get(Refusal.FOREIGN_INTERNAL_ENDPOINT)).isZero();
            }
        }
    }

    @Test
    void aFalseAnchorClaimIsRefusedAndCountedAndTheOverlayKeepsServing() throws Exception {
        network.awaitJoined();
        // Peer 4 of Org1 claims to be an anchor: its own configuration names it so, the channel's does not.
        CryptoMaterial.Member rogueMember = crypto.peer("Org1MSP", 4);
        GossipPeer rogue = network.listen("org1-rogue4", rogueMember);
        List<AnchorSpec> claimed = new ArrayList<>(network.anchors);
        claimed.add(OverlayNetwork.spec("Org1MSP", rogueMember, rogue));
        PeerOverlay rogueOverlay = network.startOverlay(rogue, OverlayNetwork.settings(rogue, claimed));
        assertThat(rogueOverlay.isAnchor()).isTrue();

        for (GossipPeer anchor : network.anchorsOf("Org1MSP")) {
            await().atMost(Duration.ofSeconds(8)).until(() ->
                    overlay(anchor).state().anchorRejections().get(AnchorCounters.Rejection.FALSE_ANCHOR_CLAIM) > 0);
            assertThat(overlay(anchor).state().knownAnchors()).noneMatch(load -> load.anchor().equals(rogue.id()));
        }
        GossipPeer target = network.peer("Org2MSP", 3);
        awaitRoutable(target);
        assertThat(send(network.peer("Org1MSP", 2), target, "still serving")).isInstanceOf(DeliveryOutcome.Delivered.class);
    }

    @Test
    void aSpecWhoseCertificateIsOfAnotherOrganisationIsRefusedAsAnAnchor() {
        // Org1's peer 4 listed as an anchor of Org2: its certificate says Org1, so no node takes it as Org2's anchor.
        CryptoMaterial.Member member = crypto.peer("Org1MSP", 4);
        GossipPeer pretender = network.listen("org1-pretender4", member);
        List<AnchorSpec> specs = new ArrayList<>(network.anchors);
        specs.add(OverlayNetwork.spec("Org2MSP", member, pretender));
        GossipPeer newcomer = network.listen("org2-newcomer4", crypto.peer("Org2MSP", 4));

        PeerOverlay overlay = network.startOverlay(newcomer, OverlayNetwork.settings(newcomer, specs));

        assertThat(overlay.counters().refused(Refusal.ANCHOR_SPEC_REFUSED)).isEqualTo(1);
        assertThat(overlay.roster().roster().isAnchor(new AnchorSpec("Org2MSP",
                member.signingIdentity().identity().certificate(), "127.0.0.1", pretender.port()).pkiId())).isFalse();
        assertThat(overlay.roster().refusals()).singleElement().asString().contains("not a valid member of Org2MSP");
        // The newcomer still joins through the real anchors.
        await().atMost(OverlayNetwork.JOINED).until(() -> overlay.state().parents().size() == 2);
    }

    @Test
    void aJoinFromAnOrganisationTheChannelDoesNotKnowIsRefusedAndCounted() throws Exception {
        network.awaitJoined();
        CryptoMaterial.Member outsider = crypto.foreignPeer();
        GossipPeer foreign = network.listen("org3-peer0", outsider);
        // The outsider believes in the channel's anchors; its TLS and MSP are trusted by every node (another channel).
        PeerOverlay foreignOverlay = network.startOverlay(foreign, OverlayNetwork.settings(foreign, network.anchors));

        await().atMost(Duration.ofSeconds(8)).until(() -> network.anchorsOf("Org1MSP").stream()
                .anyMatch(anchor -> overlay(anchor).counters().refused(Refusal.FOREIGN_ORGANIZATION) > 0)
                || network.anchorsOf("Org2MSP").stream()
                        .anyMatch(anchor -> overlay(anchor).counters().refused(Refusal.FOREIGN_ORGANIZATION) > 0));
        assertThat(foreignOverlay.state().parents()).isEmpty();
        for (String mspId : OverlayNetwork.ORGANIZATIONS) {
            for (GossipPeer anchor : network.anchorsOf(mspId)) {
                assertThat(overlay(anchor).state().children()).doesNotContain(foreign.id());
            }
        }
        GossipPeer target = network.peer("Org2MSP", 3);
        awaitRoutable(target);
        assertThat(send(network.peer("Org1MSP", 3), target, "still serving")).isInstanceOf(DeliveryOutcome.Delivered.class);
    }

    // ---- helpers ----

    private boolean hasParentIn(GossipPeer peer, String mspId) {
        return overlay(peer).state().parents().stream().anyMatch(parent -> overlay(network.byId(parent)).roster()
                .organization(parent).orElseThrow().equals(mspId));
    }

    /** Waits until every anchor knows {@code target} attached to each of its parents: announcements have spread. */
    private void awaitRoutable(GossipPeer target) {
        List<PkiId> parents = overlay(target).state().parents();
        await().atMost(Duration.ofSeconds(8)).until(() -> OverlayNetwork.ORGANIZATIONS.stream()
                .flatMap(mspId -> network.anchorsOf(mspId).stream())
                .allMatch(anchor -> overlay(anchor).anchorsOf(target.id()).containsAll(parents)));
    }

    private DeliveryOutcome send(GossipPeer from, GossipPeer to, String payload) throws Exception {
        return send(from, to.id(), payload);
    }

    private DeliveryOutcome send(GossipPeer from, PkiId to, String payload) throws Exception {
        return overlay(from).send(to, payload.getBytes(StandardCharsets.UTF_8))
                .get(OverlayNetwork.ROUTING.deadlineMillis() + 2_000, TimeUnit.MILLISECONDS);
    }
}
