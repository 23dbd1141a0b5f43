package io.hearsay.discovery.anchor;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.discovery.anchor.AnchorCounters.Rejection;
import io.hearsay.discovery.anchor.AnchorMessage.Announcement;
import io.hearsay.discovery.anchor.AnchorMessage.JoinReply;
import io.hearsay.discovery.anchor.AnchorMessage.JoinRequest;
import io.hearsay.discovery.routing.OverlayFixture;
import io.hearsay.discovery.routing.RoutingConfig;
import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Joining through anchors on virtual time: a joiner attaches to the two least loaded anchors, load spreads when
 * many join at once, a dead parent is replaced, a dead anchor does not stop joins, and false anchor claims,
 * stale announcements and join floods are refused and counted while honest peers keep joining.
 */
class AnchorJoinTest {
    private static final long SEED = 7;

    private static OverlayFixture overlay(int anchorsPerOrg) {
        OverlayFixture overlay = new OverlayFixture(SEED, JoinConfig.defaults(), RoutingConfig.defaults(), 0);
        overlay.nameAnchors("Org1MSP", anchorsPerOrg);
        overlay.nameAnchors("Org2MSP", anchorsPerOrg);
        overlay.startAnchors();
        overlay.advance(100);
        return overlay;
    }

    private static Map<PkiId, Integer> loads(OverlayFixture overlay) {
        Map<PkiId, Integer> loads = new TreeMap<>();
        overlay.anchorIds().forEach(anchor -> loads.put(anchor, overlay.anchor(anchor).load()));
        return loads;
    }

    @Test
    void joinerAttachesToTheTwoLeastLoaded() {
        OverlayFixture overlay = overlay(2);
        // One at a time, after the anchors have announced each new child: each picks the two least loaded.
        for (int i = 0; i < 8; i++) {
            overlay.addPeer();
            overlay.advance(1_000);
        }
        for (PkiId peer : overlay.peers()) {
            assertThat(overlay.attachment(peer).parents()).as("SEED=%d dual-homed %s", SEED, peer).hasSize(2);
        }
        assertThat(loads(overlay).values()).as("SEED=%d 16 attachments over 4 anchors, least loaded first", SEED)
                .containsOnly(4);
    }

    @Test
    void simultaneousJoinersSpreadOverEqualLoads() {
        OverlayFixture overlay = overlay(2);
        for (int i = 0; i < 200; i++) {
            overlay.addPeer();
        }
        overlay.advance(2_000);
        assertThat(overlay.peers()).allMatch(peer -> overlay.attachment(peer).parents().size() == 2);
        // All see loads 0 at once: without the random tie-break all 200 would pick the same two anchors.
        assertThat(loads(overlay).values()).as("SEED=%d 400 attachments, mean 100 per anchor: %s", SEED, loads(overlay))
                .allMatch(load -> load >= 70 && load <= 130);
    }

    @Test
    void aDeadParentIsReplaced() {
        OverlayFixture overlay = overlay(2);
        PkiId peer = overlay.addPeer();
        overlay.advance(1_000);
        PkiId dead = overlay.attachment(peer).parents().get(0);
        overlay.crash(dead);
        overlay.advance(JoinConfig.defaults().parentTimeoutMillis() + 2 * JoinConfig.defaults().heartbeatIntervalMillis()
                + 1_000);
        assertThat(overlay.attachment(peer).parents()).as("SEED=%d", SEED).hasSize(2).doesNotContain(dead);
        assertThat(overlay.attachment(peer).counters().get(AnchorCounters.Counter.PARENTS_LOST)).isEqualTo(1);
    }

    @Test
    void joinsSucceedWithAnAnchorDown() {
        OverlayFixture overlay = overlay(2);
        PkiId down = overlay.anchorIds().get(0);
        overlay.crash(down);
        overlay.advance(JoinConfig.defaults().anchorTimeoutMillis() + 100);
        List<PkiId> joiners = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            joiners.add(overlay.addPeer());
        }
        overlay.advance(3_000);
        for (PkiId peer : joiners) {
            assertThat(overlay.attachment(peer).parents()).as("SEED=%d %s", SEED, peer).hasSize(2).doesNotContain(down);
        }
    }

    @Test
    void falseAnchorClaimsAreRefusedAndCounted() {
        OverlayFixture overlay = overlay(1);
        PkiId org1Anchor = overlay.anchorIds().get(0);
        PkiId org2Anchor = overlay.anchorIds().get(1);
        PkiId impostor = OverlayFixture.id(999);
        // A peer the configuration does not name; a named anchor claiming the other org; one anchor speaking for another.
        overlay.inject(impostor, org1Anchor, new Announcement("Org1MSP", impostor, 1, 1_000, List.of()));
        overlay.inject(org2Anchor, org1Anchor, new Announcement("Org1MSP", org2Anchor, 1, 1_000, List.of()));
        overlay.inject(org2Anchor, org1Anchor, new Announcement("Org1MSP", org1Anchor, 1, 1_000, List.of()));
        overlay.advance(10);
        assertThat(overlay.anchor(org1Anchor).counters().rejected(Rejection.FALSE_ANCHOR_CLAIM)).isEqualTo(3);
        assertThat(overlay.anchor(org1Anchor).knownAnchors()).extracting(AnchorLoad::anchor)
                .containsExactly(org1Anchor, org2Anchor);

    }

    @Test
    void aJoinerRefusesAReplyListingAnAnchorTheConfigurationDoesNotName() {
        OverlayFixture overlay = new OverlayFixture(SEED, JoinConfig.defaults(), RoutingConfig.defaults(), 0);
        PkiId onlyAnchor = overlay.nameAnchors("Org1MSP", 1).get(0);
        overlay.startAnchors();
        overlay.advance(100);
        PkiId impostor = OverlayFixture.id(999);
        PkiId joiner = overlay.addPeer();
        // Arrives before the real reply: an impostor listed as the least loaded anchor.
        overlay.deliverNow(onlyAnchor, joiner, new JoinReply(List.of(new AnchorLoad(impostor, "Org1MSP", 0),
                new AnchorLoad(onlyAnchor, "Org1MSP", 5))));
        overlay.advance(2_000);
        AnchorAttachment attachment = overlay.attachment(joiner);
        assertThat(attachment.counters().rejected(Rejection.FALSE_ANCHOR_CLAIM)).isEqualTo(1);
        assertThat(attachment.parents()).containsExactly(onlyAnchor);
        assertThat(attachment.counters().get(AnchorCounters.Counter.ATTACHES_SENT)).as("never tried the impostor")
                .isEqualTo(1);
    }

    @Test
    void staleAnnouncementsAreRefused() {
        OverlayFixture overlay = overlay(1);
        PkiId org1Anchor = overlay.anchorIds().get(0);
        PkiId org2Anchor = overlay.anchorIds().get(1);
        overlay.advance(2_000);
        overlay.inject(org2Anchor, org1Anchor, new Announcement("Org2MSP", org2Anchor, 1, 1, List.of()));
        overlay.advance(10);
        assertThat(overlay.anchor(org1Anchor).counters().rejected(Rejection.STALE_ANNOUNCEMENT)).isEqualTo(1);
    }

    @Test
    void aRestartedAnchorIsHeardAgainThroughItsHigherIncarnation() {
        OverlayFixture overlay = overlay(1);
        PkiId org1Anchor = overlay.anchorIds().get(0);
        PkiId org2Anchor = overlay.anchorIds().get(1);
        overlay.advance(2_000);
        // The restarted org2 anchor counts its sequence from 1 again, in incarnation 2.
        overlay.inject(org2Anchor, org1Anchor, new Announcement("Org2MSP", org2Anchor, 2, 1, List.of(OverlayFixture.id(42))));
        overlay.advance(10);
        assertThat(overlay.anchor(org1Anchor).counters().rejected(Rejection.STALE_ANNOUNCEMENT)).isZero();
        assertThat(overlay.anchor(org1Anchor).anchorsOf(OverlayFixture.id(42))).containsExactly(org2Anchor);
    }

    @Test
    void rejectionsReachTheListenerWithAReason() {
        OverlayFixture overlay = new OverlayFixture(SEED, JoinConfig.defaults(), RoutingConfig.defaults(), 0);
        PkiId self = overlay.nameAnchors("Org1MSP", 1).get(0);
        List<String> log = new ArrayList<>();
        Anchor anchor = new Anchor(self, "Org1MSP", 1, overlay.roster(), JoinConfig.defaults(), new Anchor.Collaborators(
                new io.hearsay.discovery.runtime.PeerRuntime(overlay.time, overlay.time, overlay.random().fork()),
                (to, message) -> {}, (from, reason, detail) -> log.add(reason + ": " + detail)));
        anchor.start();
        anchor.onMessage(OverlayFixture.id(999), new Announcement("Org1MSP", OverlayFixture.id(999), 1, 1, List.of()));
        assertThat(log).singleElement().asString().startsWith("FALSE_ANCHOR_CLAIM")
                .contains("does not name it as an anchor of Org1MSP");
    }

    @Test
    void anAnchorTheConfigurationDoesNotNameCannotStart() {
        OverlayFixture overlay = new OverlayFixture(SEED, JoinConfig.defaults(), RoutingConfig.defaults(), 0);
        overlay.nameAnchors("Org1MSP", 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Anchor(OverlayFixture.id(999), "Org1MSP", 1,
                        overlay.roster(), JoinConfig.defaults(), new Anchor.Collaborators(null, (to, message) -> {})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not named as an anchor of Org1MSP");
    }

    @Test
    void aJoinFloodIsRefusedAndHonestPeersStillJoin() {
        OverlayFixture overlay = overlay(1);
        PkiId target = overlay.anchorIds().get(0);
        PkiId flooder = OverlayFixture.id(777);
        for (int i = 0; i < 1_000; i++) {
            overlay.inject(flooder, target, new JoinRequest());
        }
        overlay.advance(10);
        Anchor anchor = overlay.anchor(target);
        int burst = JoinConfig.defaults().joinBurst();
        assertThat(anchor.counters().rejected(Rejection.JOIN_FLOOD)).isEqualTo(1_000 - burst);
        assertThat(anchor.counters().get(AnchorCounters.Counter.JOIN_REQUESTS_SERVED)).isEqualTo(burst);
        PkiId honest = overlay.addPeer();
        overlay.advance(2_000);
        assertThat(overlay.attachment(honest).parents()).hasSize(2);
    }
}
