package io.hearsay.peer.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearsay.discovery.routing.DeliveryOutcome;
import io.hearsay.discovery.routing.RoutedDelivery;
import io.hearsay.discovery.routing.RoutingConfig;
import io.hearsay.identity.PkiId;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.overlay.PeerOverlay;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that a node started from a config with an {@code overlay:} section runs the anchor overlay: on a real
 * loopback network (the orderer, two organisations of two peers, peer 0 of each its anchor, neighbours within an
 * organisation only, Org2 without a leader) ordinary peers attach to both anchors, routed sends cross organisations
 * with a definite outcome, the status and metrics show it, and blocks reach Org2 only through the anchors.
 */
class OverlayNodeTest {
    private static final Duration JOINED = Duration.ofSeconds(15);
    /** Scheduling slack over the routing deadline on a loaded two-core machine. */
    private static final long SLACK_MILLIS = 1_000;
    private static final String ORG1_ANCHOR = "peer0.org1.example.com";
    private static final String ORG2_ANCHOR = "peer0.org2.example.com";

    @TempDir
    Path directory;

    private NodeNetwork network;

    @BeforeEach
    void start() throws Exception {
        network = new NodeNetwork(directory, 2, NodeNetwork.Layout.anchored(Set.of("Org2MSP")));
    }

    @AfterEach
    void stop() {
        network.close();
    }

    @Test
    void ordinaryPeersAttachToBothAnchorsAndTheStatusNamesThem() {
        PeerNode org1Peer = network.peer("Org1MSP", 1);
        PeerNode org2Peer = network.peer("Org2MSP", 1);
        awaitDualHomed(org1Peer, org2Peer);

        assertThat(overlayStatus(org1Peer)).containsEntry("anchor", false)
                .containsEntry("parents", List.of(ORG1_ANCHOR, ORG2_ANCHOR)).containsEntry("children", List.of());
        PeerNode org1Anchor = network.peer("Org1MSP", 0);
        await().atMost(JOINED).until(() -> overlay(org1Anchor).state().children().size() == 2);
        assertThat(overlayStatus(org1Anchor)).containsEntry("anchor", true).containsEntry("parents", List.of())
                .containsEntry("children", List.of(org1Peer.name(), org2Peer.name()));
    }

    @Test
    void aRoutedSendCrossesOrganisationsAndFailsDefinitelyOnceTheTargetIsGone() throws Exception {
        PeerNode sender = network.peer("Org1MSP", 1);
        PeerNode target = network.peer("Org2MSP", 1);
        awaitDualHomed(sender, target);
        LinkedBlockingQueue<RoutedDelivery.Received> inbox = new LinkedBlockingQueue<>();
        target.onRouted(inbox::add);
        awaitRoutable(target);

        DeliveryOutcome delivered = send(sender, target.id(), "hello from org1");

        assertThat(delivered).isInstanceOfSatisfying(DeliveryOutcome.Delivered.class,
                outcome -> assertThat(outcome.target()).isEqualTo(target.id()));
        RoutedDelivery.Received received = inbox.poll(5, TimeUnit.SECONDS);
        assertThat(received).isNotNull();
        assertThat(received.origin()).isEqualTo(sender.id());
        assertThat(new String(received.payload(), StandardCharsets.UTF_8)).isEqualTo("hello from org1");
        assertThat(metrics(target)).contains("overlay_routed_inbox_total{result=\"received\"} 1.0")
                .contains("overlay_parents 2.0");

        network.stop(target);
        long started = System.nanoTime();
        DeliveryOutcome failed = send(sender, target.id(), "anyone there?");
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(failed).isInstanceOf(DeliveryOutcome.Failed.class);
        System.out.printf("routed across organisations: delivered in %d ms; to a closed target failed after %d ms (%s)%n",
                ((DeliveryOutcome.Delivered) delivered).elapsedMillis(), elapsedMillis, failed);
        assertThat(elapsedMillis).isLessThanOrEqualTo(RoutingConfig.defaults().deadlineMillis() + SLACK_MILLIS);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(metrics(sender))
                .contains("overlay_routed_sent_total 2.0")
                .contains("overlay_routed_delivered_total 1.0")
                .contains("overlay_routed_failed_total 1.0")
                .contains("overlay_anchor 0.0"));
        String org1Anchor = metrics(network.peer("Org1MSP", 0));
        assertThat(org1Anchor).contains("overlay_anchor 1.0").containsPattern("overlay_attaches_accepted_total [1-9]")
                .contains("overlay_refused_total{reason=\"foreign_organization\"} 0.0");
        // Each ordinary peer asked one anchor or the other to join, then attached to both.
        assertThat(value(org1Anchor, "overlay_join_requests_served_total")
                + value(metrics(network.peer("Org2MSP", 0)), "overlay_join_requests_served_total")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void blocksCrossOrganisationsThroughTheAnchors() {
        PeerNode org1Peer = network.peer("Org1MSP", 1);
        PeerNode org2Anchor = network.peer("Org2MSP", 0);
        PeerNode org2Peer = network.peer("Org2MSP", 1);
        // Org2's peers link within Org2 only; its anchor gossips blocks with Org1's anchor, from the overlay config.
        await().atMost(JOINED).until(() -> org2Anchor.gossip().network().connectedPeers()
                .contains(network.peer("Org1MSP", 0).id()));
        assertThat(org2Peer.leads(SampleChannel.CHANNEL)).isFalse();

        // The block enters at an ordinary peer of Org1, as if its leader had it from the orderer.
        org1Peer.gossip().channel(SampleChannel.CHANNEL).orElseThrow()
                .onOrdererBlock(network.channel.next(network.channel.genesis, network.channel.put("k", "v")));

        await().atMost(JOINED).until(() -> org2Anchor.ledger(SampleChannel.CHANNEL).height() == 2
                && org2Peer.ledger(SampleChannel.CHANNEL).height() == 2);
        assertThat(org2Peer.ledger(SampleChannel.CHANNEL).headHash())
                .isEqualTo(org1Peer.ledger(SampleChannel.CHANNEL).headHash());
    }

    // ---- helpers ----

    private static PeerOverlay overlay(PeerNode node) {
        return node.overlay().orElseThrow();
    }

    private static void awaitDualHomed(PeerNode... peers) {
        await().atMost(JOINED).until(() -> List.of(peers).stream().allMatch(p -> overlay(p).state().parents().size() == 2));
    }

    /** Waits until both anchors know {@code target} attached to each of its parents: announcements have spread. */
    private void awaitRoutable(PeerNode target) {
        List<PkiId> parents = overlay(target).state().parents();
        await().atMost(JOINED).until(() -> NodeNetwork.ORGANIZATIONS.stream()
                .map(mspId -> network.peer(mspId, 0))
                .allMatch(anchor -> overlay(anchor).anchorsOf(target.id()).containsAll(parents)));
    }

    private static DeliveryOutcome send(PeerNode from, PkiId to, String payload) throws Exception {
        return overlay(from).send(to, payload.getBytes(StandardCharsets.UTF_8))
                .get(RoutingConfig.defaults().deadlineMillis() + 5_000, TimeUnit.MILLISECONDS);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> overlayStatus(PeerNode node) {
        return (Map<String, Object>) node.status().get("overlay");
    }

    /** A series' value in a Prometheus scrape. */
    private static double value(String scrape, String series) {
        return scrape.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1))).orElseThrow();
    }

    private static String metrics(PeerNode node) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.operationsPort() + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
