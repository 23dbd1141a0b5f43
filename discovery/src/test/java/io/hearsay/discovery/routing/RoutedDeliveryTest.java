package io.hearsay.discovery.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.discovery.anchor.JoinConfig;
import io.hearsay.discovery.routing.DeliveryOutcome.Delivered;
import io.hearsay.discovery.routing.DeliveryOutcome.Failed;
import io.hearsay.identity.PkiId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Routed delivery over a small hybrid overlay on virtual time: sender → parent anchor → target's anchor →
 * target, each hop acknowledged. Proves delivery, failover to the second parent when the first is dead, a
 * definite failure at the right hop for a dead target, an unknown target and a partition — each within
 * hops × per-hop timeout — and, across many seeds under heavy loss and crashes, exactly one outcome per send.
 */
class RoutedDeliveryTest {
    private static final long SEED = 11;
    private static final RoutingConfig ROUTING = RoutingConfig.defaults();
    private static final byte[] PAYLOAD = "hello".getBytes(StandardCharsets.UTF_8);

    /** 2 orgs × 2 anchors; 12 peers, settled so every peer has two parents and every anchor has heard the rest. */
    private static OverlayFixture settled(long seed, double loss) {
        OverlayFixture overlay = new OverlayFixture(seed, JoinConfig.defaults(), ROUTING, loss);
        overlay.nameAnchors("Org1MSP", 2);
        overlay.nameAnchors("Org2MSP", 2);
        overlay.startAnchors();
        for (int i = 0; i < 12; i++) {
            overlay.addPeer();
        }
        overlay.advance(3_000);
        return overlay;
    }

    /** A sender and a target that share no parent, so the route crosses all three hops. */
    private static PkiId[] disjointPair(OverlayFixture overlay) {
        for (PkiId a : overlay.peers()) {
            for (PkiId b : overlay.peers()) {
                List<PkiId> shared = new ArrayList<>(overlay.attachment(a).parents());
                shared.retainAll(overlay.attachment(b).parents());
                if (!a.equals(b) && shared.isEmpty()) {
                    return new PkiId[] {a, b};
                }
            }
        }
        throw new AssertionError("SEED=" + SEED + ": no two peers with disjoint parents");
    }

    private static void assertOneOutcomeWithinDeadline(OverlayFixture.Send send) {
        assertThat(send.outcomes).as("SEED=%d exactly one outcome", SEED).hasSize(1);
        assertThat(send.outcomeAfterMillis.get(0)).as("SEED=%d within hops × per-hop timeout", SEED)
                .isLessThanOrEqualTo(ROUTING.deadlineMillis());
    }

    @Test
    void deliversThroughBothAnchors() {
        OverlayFixture overlay = settled(SEED, 0);
        PkiId[] pair = disjointPair(overlay);
        OverlayFixture.Send send = overlay.send(pair[0], pair[1], PAYLOAD);
        overlay.advance(1_000);
        assertOneOutcomeWithinDeadline(send);
        assertThat(send.outcome()).isInstanceOf(Delivered.class);
        assertThat(overlay.inbox(pair[1])).singleElement().satisfies(received -> {
            assertThat(received.origin()).isEqualTo(pair[0]);
            assertThat(received.payload()).isEqualTo(PAYLOAD);
        });
    }

    @Test
    void deadTargetFailsAtTheLastHop() {
        OverlayFixture overlay = settled(SEED, 0);
        PkiId[] pair = disjointPair(overlay);
        overlay.crash(pair[1]);
        OverlayFixture.Send send = overlay.send(pair[0], pair[1], PAYLOAD);
        overlay.advance(1_000);
        assertOneOutcomeWithinDeadline(send);
        assertThat(send.outcome()).isInstanceOfSatisfying(Failed.class, failed -> {
            assertThat(failed.hop()).isEqualTo(3);
            assertThat(failed.reason()).contains("target unreachable");
        });
    }

    @Test
    void deadFirstParentFailsOverToTheSecond() {
        OverlayFixture overlay = settled(SEED, 0);
        PkiId[] pair = disjointPair(overlay);
        PkiId firstParent = overlay.attachment(pair[0]).parents().get(0);
        // Crashed just now: heartbeats have not noticed, so the route itself must fail over.
        overlay.crash(firstParent);
        OverlayFixture.Send send = overlay.send(pair[0], pair[1], PAYLOAD);
        overlay.advance(1_000);
        assertOneOutcomeWithinDeadline(send);
        assertThat(send.outcome()).isInstanceOf(Delivered.class);
        assertThat(send.outcomeAfterMillis.get(0)).as("waited one ack timeout on the dead parent")
                .isGreaterThanOrEqualTo(ROUTING.ackTimeoutMillis());
        assertThat(overlay.inbox(pair[1])).hasSize(1);
    }

    @Test
    void deadTargetAnchorFailsOverToTheTargetsSecondAnchor() {
        OverlayFixture overlay = settled(SEED, 0);
        PkiId[] pair = disjointPair(overlay);
        overlay.crash(overlay.attachment(pair[1]).parents().get(0));
        OverlayFixture.Send send = overlay.send(pair[0], pair[1], PAYLOAD);
        overlay.advance(1_000);
        assertOneOutcomeWithinDeadline(send);
        assertThat(send.outcome()).isInstanceOf(Delivered.class);
    }

    @Test
    void partitionedSenderFailsAtTheFirstHopWithinTheBound() {
        OverlayFixture overlay = settled(SEED, 0);
        PkiId[] pair = disjointPair(overlay);
        overlay.partition(List.of(pair[0]), 1);
        OverlayFixture.Send send = overlay.send(pair[0], pair[1], PAYLOAD);
        overlay.advance(1_000);
        assertOneOutcomeWithinDeadline(send);
        assertThat(send.outcome()).isInstanceOfSatisfying(Failed.class, failed -> assertThat(failed.hop()).isEqualTo(1));
    }

    @Test
    void partitionBetweenAnchorsFailsAtTheSecondHopWithinTheBound() {
        OverlayFixture overlay = settled(SEED, 0);
        PkiId[] pair = disjointPair(overlay);
        List<PkiId> side = new ArrayList<>(overlay.attachment(pair[1]).parents());
        side.add(pair[1]);
        overlay.partition(side, 1);
        OverlayFixture.Send send = overlay.send(pair[0], pair[1], PAYLOAD);
        overlay.advance(1_000);
        assertOneOutcomeWithinDeadline(send);
        assertThat(send.outcome()).isInstanceOfSatisfying(Failed.class, failed -> assertThat(failed.hop()).isEqualTo(2));
        assertThat(overlay.inbox(pair[1])).isEmpty();
    }

    @Test
    void unknownTargetFailsAtTheSecondHop() {
        OverlayFixture overlay = settled(SEED, 0);
        OverlayFixture.Send send = overlay.send(overlay.peers().get(0), OverlayFixture.id(5_000), PAYLOAD);
        overlay.advance(1_000);
        assertOneOutcomeWithinDeadline(send);
        assertThat(send.outcome()).isInstanceOfSatisfying(Failed.class, failed -> {
            assertThat(failed.hop()).isEqualTo(2);
            assertThat(failed.reason()).contains("unknown");
        });
    }

    @Test
    void oversizedPayloadIsRefusedBeforeLeaving() {
        OverlayFixture overlay = settled(SEED, 0);
        OverlayFixture.Send send = overlay.send(overlay.peers().get(0), overlay.peers().get(1),
                new byte[ROUTING.payloadBytesMax() + 1]);
        assertThat(send.outcome()).isInstanceOfSatisfying(Failed.class, failed -> {
            assertThat(failed.hop()).isZero();
            assertThat(failed.reason()).contains("payloadBytesMax");
        });
    }

    @Test
    void forgedAndMalformedRoutesAreRefusedAndTheAnchorKeepsRouting() {
        OverlayFixture overlay = settled(SEED, 0);
        PkiId[] pair = disjointPair(overlay);
        PkiId anchor = overlay.attachment(pair[0]).parents().get(0);
        PkiId forger = overlay.peers().stream().filter(p -> !p.equals(pair[0]) && !p.equals(pair[1])).findFirst()
                .orElseThrow();
        // A peer sending in another's name; a second hop from a peer that is not an anchor; a hop out of range.
        overlay.inject(forger, anchor, new RouteMessage.Route(pair[0], 1, pair[1], PAYLOAD, 1, 600));
        overlay.inject(forger, anchor, new RouteMessage.Route(forger, 2, pair[1], PAYLOAD, 2, 600));
        overlay.inject(forger, anchor, new RouteMessage.Route(forger, 3, pair[1], PAYLOAD, 9, 600));
        overlay.advance(100);
        assertThat(overlay.delivery(anchor).get(RoutedDelivery.Counter.REFUSED_INVALID)).isEqualTo(3);
        assertThat(overlay.inbox(pair[1])).as("nothing forged was delivered").isEmpty();
        OverlayFixture.Send send = overlay.send(pair[0], pair[1], PAYLOAD);
        overlay.advance(1_000);
        assertThat(send.outcome()).isInstanceOf(Delivered.class);
    }

    @Test
    void everySendGetsExactlyOneOutcomeUnderLossAndCrashes() {
        for (long seed = 1; seed <= 30; seed++) {
            OverlayFixture overlay = settled(seed, 0.15);
            List<PkiId> peers = overlay.peers();
            // Kill one anchor and two peers now, unannounced.
            overlay.crash(overlay.anchorIds().get((int) (seed % 4)));
            overlay.crash(peers.get((int) (seed % peers.size())));
            overlay.crash(peers.get((int) ((seed * 7 + 3) % peers.size())));
            List<OverlayFixture.Send> sends = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                PkiId from = peers.get(overlay.random().nextInt(peers.size()));
                PkiId to = peers.get(overlay.random().nextInt(peers.size()));
                if (!overlay.isCrashed(from)) {
                    sends.add(overlay.send(from, to, PAYLOAD));
                }
                overlay.advance(overlay.random().nextInt(20));
            }
            overlay.advance(ROUTING.deadlineMillis() + 1);
            int delivered = 0;
            for (OverlayFixture.Send send : sends) {
                assertThat(send.outcomes).as("Failed on seed %d: %s → %s", seed, send.from, send.to).hasSize(1);
                assertThat(send.outcomeAfterMillis.get(0)).as("Failed on seed %d", seed)
                        .isLessThanOrEqualTo(ROUTING.deadlineMillis());
                if (send.outcome() instanceof Delivered) {
                    delivered++;
                    assertThat(overlay.isCrashed(send.to)).as("Failed on seed %d: delivered to a dead peer", seed).isFalse();
                }
            }
            assertThat(delivered).as("Failed on seed %d: most sends still arrive at 15%% loss", seed)
                    .isGreaterThan(sends.size() / 3);
            overlay.advance(5_000);
            for (PkiId peer : peers) {
                assertThat(overlay.delivery(peer).inflight()).as("Failed on seed %d: state released", seed).isZero();
            }
        }
    }
}
