package io.hearsay.discovery.swim;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.swim.SwimCounters.Counter;
import io.hearsay.discovery.swim.SwimCounters.Rejection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SWIM's rules on eight members with perfect 1 ms links: a crashed member is suspected, then declared dead by
 * all; a member cut off briefly refutes and is never declared dead; a wrongly dead member is retried and comes
 * back; the dead are forgotten after the bound, anchors never; bad records are refused by reason; a flood of
 * table requests is answered only within its sender's rate; the periodic table exchange repairs what lost
 * piggybacking never delivered.
 */
class SwimMembershipTest {
    private static final long SEED = 7;
    /** LAN timings, with dead members forgotten after 20 s so the test can watch it happen. */
    private static final SwimConfig CONFIG = new SwimConfig(100, 40, 3, 4, 6, 3, true, 100, 3, 4, 16, 4_096, 256,
            1_000, 20_000, 30_000, 0.2, 4, 10_000);
    /** The same without the periodic table exchange. */
    private static final SwimConfig NO_SYNC = new SwimConfig(100, 40, 3, 4, 6, 3, true, 100, 3, 4, 16, 4_096, 256,
            1_000, 20_000, 0, 0.2, 4, 10_000);

    @Test
    void crashedMemberIsDeclaredDeadByAll() {
        Cluster cluster = new Cluster(8, CONFIG, SEED);
        cluster.start();
        cluster.loop.advance(1_000);
        cluster.members.get(3).stop();
        cluster.cutOff.add(3);
        cluster.loop.advance(10_000);
        assertThat(cluster.allSee(3, MemberStatus.DEAD)).as("SEED=%d", SEED).isTrue();
        assertThat(cluster.members.get(0).neighbours().contains(cluster.ids.get(3))).isFalse();
        assertThat(cluster.deaths).as("SEED=%d only the crashed member died", SEED)
                .allMatch(death -> death.member().equals(cluster.ids.get(3)));
        long declared = cluster.members.stream().mapToLong(m -> m.counters().get(Counter.DEATHS_DECLARED)).sum();
        assertThat(declared).as("SEED=%d someone declared it; the rest learned it", SEED).isPositive();
    }

    @Test
    void briefIsolationIsRefutedWithAHigherIncarnation() {
        Cluster cluster = new Cluster(8, CONFIG, SEED);
        cluster.start();
        cluster.loop.advance(1_000);
        cluster.cutOff.add(5);
        // Cut off until a probe of it fails, then back: it is suspected, and must refute in time.
        long suspecting = 0;
        for (int step = 0; step < 200 && suspecting == 0; step++) {
            cluster.loop.advance(10);
            suspecting = cluster.members.stream()
                    .filter(m -> m.status(cluster.ids.get(5)).orElse(null) == MemberStatus.SUSPECT).count();
        }
        assertThat(suspecting).as("SEED=%d probes of the cut-off member failed", SEED).isPositive();
        cluster.cutOff.clear();
        cluster.loop.advance(10_000);
        assertThat(cluster.deaths).as("SEED=%d", SEED).isEmpty();
        assertThat(cluster.members.get(5).counters().get(Counter.REFUTATIONS)).isPositive();
        assertThat(cluster.members.get(5).selfRecord().incarnation()).isGreaterThan(1);
        assertThat(cluster.allSee(5, MemberStatus.ALIVE)).isTrue();
        assertThat(cluster.members.get(0).record(cluster.ids.get(5)).orElseThrow().incarnation())
                .isEqualTo(cluster.members.get(5).selfRecord().incarnation());
    }

    @Test
    void wronglyDeadMemberIsRetriedAndComesBack() {
        Cluster cluster = new Cluster(8, CONFIG, SEED);
        cluster.start();
        cluster.cutOff.add(4);
        cluster.loop.advance(15_000);
        assertThat(cluster.allSee(4, MemberStatus.DEAD)).as("SEED=%d a long partition looks like a crash", SEED).isTrue();
        cluster.cutOff.clear();
        cluster.loop.advance(5_000);
        assertThat(cluster.allSee(4, MemberStatus.ALIVE)).as("SEED=%d dead-member probes let it refute", SEED).isTrue();
        assertThat(cluster.members.get(4).selfRecord().incarnation()).isGreaterThan(1);
        assertThat(cluster.members.stream().mapToLong(m -> m.counters().get(Counter.REVIVALS)).sum()).isPositive();
    }

    @Test
    void deadMembersAreForgottenAfterTheBoundButAnchorsNever() {
        Cluster cluster = new Cluster(8, CONFIG, SEED);
        cluster.start();
        cluster.members.get(0).stop();
        cluster.members.get(6).stop();
        cluster.cutOff.add(0);
        cluster.cutOff.add(6);
        cluster.loop.advance(10_000);
        assertThat(cluster.allSee(6, MemberStatus.DEAD)).isTrue();
        assertThat(cluster.allSee(0, MemberStatus.DEAD)).isTrue();
        cluster.loop.advance(CONFIG.deadRetentionMillis());
        SwimMembership observer = cluster.members.get(2);
        assertThat(observer.status(cluster.ids.get(6))).as("SEED=%d forgotten", SEED).isEmpty();
        assertThat(observer.status(cluster.ids.get(0))).as("SEED=%d the anchor is kept", SEED).contains(MemberStatus.DEAD);
        assertThat(observer.counters().get(Counter.MEMBERS_FORGOTTEN)).isEqualTo(1);
        long deadProbesBefore = observer.counters().get(Counter.DEAD_PROBES);
        cluster.loop.advance(5_000);
        assertThat(observer.counters().get(Counter.DEAD_PROBES)).as("the anchor is still retried").isGreaterThan(deadProbesBefore);
    }

    @Test
    void forgedStaleAndMisattributedRecordsAreRefusedByReason() {
        Cluster cluster = new Cluster(8, CONFIG, SEED);
        cluster.start();
        SwimMembership observer = cluster.members.get(1);
        AliveRecord held = observer.record(cluster.ids.get(2)).orElseThrow();

        // Peer 7 forges a newer record of peer 2 (signed with its own key).
        AliveRecord forged = AliveRecord.sign(cluster.ids.get(2), "Org1MSP", "evil:1", "", 9, 0,
                MemberMetadata.of(MemberRole.PEER), cluster.keysOf(7));
        observer.onMessage(cluster.ids.get(7), new SwimMessage.Gossip(List.of(forged)));
        // A genuine newer record, then a replay of the older one.
        AliveRecord newer = AliveRecord.sign(cluster.ids.get(2), "Org1MSP", "peer2:7051", "", 1, 5,
                new MemberMetadata(42, ByteString.copyFromUtf8("head"), MemberRole.PEER), cluster.keysOf(2));
        observer.onMessage(cluster.ids.get(7), new SwimMessage.Gossip(List.of(newer)));
        observer.onMessage(cluster.ids.get(7), new SwimMessage.Gossip(List.of(held)));
        // Peer 3 signs a record claiming another organisation.
        AliveRecord wrongOrg = AliveRecord.sign(cluster.ids.get(3), "Org9MSP", "peer3:7051", "", 2, 0,
                MemberMetadata.of(MemberRole.ANCHOR), cluster.keysOf(3));
        observer.onMessage(cluster.ids.get(3), new SwimMessage.Gossip(List.of(wrongOrg)));
        // Peer 7 forges peer 4's accusation of peer 5.
        Accusation forgedAccusation = Accusation.sign(Accusation.Charge.DEAD, cluster.ids.get(5), 1, cluster.ids.get(4),
                cluster.keysOf(7));
        observer.onMessage(cluster.ids.get(7), new SwimMessage.Gossip(List.of(forgedAccusation)));

        SwimCounters counters = observer.counters();
        assertThat(counters.rejected(Rejection.BAD_SIGNATURE)).isEqualTo(2);
        assertThat(counters.rejected(Rejection.STALE)).isEqualTo(1);
        assertThat(counters.rejected(Rejection.WRONG_ORGANIZATION)).isEqualTo(1);
        assertThat(observer.record(cluster.ids.get(2)).orElseThrow()).isEqualTo(newer);
        assertThat(observer.record(cluster.ids.get(3)).orElseThrow().organization()).isEqualTo("Org1MSP");
        assertThat(observer.status(cluster.ids.get(5))).contains(MemberStatus.ALIVE);
        assertThat(cluster.rejections).hasSize(4);
    }

    @Test
    void tableRequestFloodIsRefusedAndCountedWhileHonestMembersAreAnsweredAndCrashesDetected() {
        Cluster cluster = new Cluster(8, CONFIG, SEED);
        cluster.start();
        cluster.loop.advance(1_000);
        int victim = 1;
        int flooder = 7;
        SwimMembership target = cluster.members.get(victim);
        // Peer 7, a member in good standing, asks for peer 1's whole table every 10 ms for 10 s, with one record.
        int requests = 1_000;
        long floodMillis = 10L * requests;
        SwimMessage.Sync request = new SwimMessage.Sync(List.of(cluster.members.get(flooder).selfRecord()), true);
        for (int i = 0; i < requests; i++) {
            cluster.loop.schedule(10L * i, () -> target.onMessage(cluster.ids.get(flooder), request));
        }
        // Meanwhile a member crashes, and an honest member (re)joins through the flooded one.
        cluster.loop.schedule(2_000, () -> {
            cluster.members.get(3).stop();
            cluster.cutOff.add(3);
        });
        cluster.loop.schedule(5_000, () -> cluster.members.get(2).join(List.of(cluster.ids.get(victim))));
        long probesAckedBefore = target.counters().get(Counter.PROBES_ACKED);
        cluster.loop.advance(floodMillis);

        // At most the burst plus what the rate refilled over the flood (the flooder's own periodic sync included).
        long answerable = CONFIG.syncReplyBurst() + (long) Math.ceil(CONFIG.syncRepliesPerSecond() * floodMillis / 1_000);
        long refused = target.counters().rejected(Rejection.SYNC_FLOOD);
        assertThat(cluster.tableRepliesFrom(victim, flooder)).as("SEED=%d tables sent to the flooder", SEED)
                .isBetween(CONFIG.syncReplyBurst(), (int) answerable);
        assertThat(refused).as("SEED=%d every request beyond the bound refused and counted", SEED)
                .isGreaterThanOrEqualTo(requests - answerable);
        assertThat(cluster.rejections.stream().filter(line -> line.startsWith("SYNC_FLOOD")))
                .as("each refusal reported to the listener (the node logs it, rate-limited), all about the flooder")
                .hasSize((int) refused)
                .allMatch(line -> line.startsWith("SYNC_FLOOD from peer " + flooder + ":"));
        assertThat(cluster.tableRepliesFrom(victim, 2)).as("SEED=%d the honest joiner got the table", SEED).isPositive();
        assertThat(target.counters().get(Counter.PROBES_ACKED)).as("the flooded member kept probing")
                .isGreaterThan(probesAckedBefore);
        assertThat(cluster.allSee(3, MemberStatus.DEAD)).as("SEED=%d the crash was detected by all", SEED).isTrue();
        assertThat(cluster.deaths).as("SEED=%d and nobody else died", SEED)
                .allMatch(death -> death.member().equals(cluster.ids.get(3)));
        assertThat(target.liveMembers()).as("SEED=%d the flooded member's view: everyone but itself and the crashed", SEED)
                .isEqualTo(6);
    }

    @Test
    void periodicTableSyncRepairsARecordWhosePiggybackedUpdatesWereLost() {
        assertThat(recordAfterLostPiggyback(CONFIG).sequence()).as("SEED=%d repaired by the table exchange", SEED)
                .isEqualTo(1);
        assertThat(recordAfterLostPiggyback(NO_SYNC).sequence())
                .as("SEED=%d without the exchange the record never arrives: nothing else repaired it", SEED).isZero();
    }

    /**
     * Peer 5 publishes new metadata while every piggybacked update to peer 2 is lost, long enough for every
     * member to spend the update's retransmit budget; then two sync intervals pass with no loss. Returns the
     * record peer 2 then holds for peer 5.
     */
    private static AliveRecord recordAfterLostPiggyback(SwimConfig config) {
        Cluster cluster = new Cluster(8, config, SEED);
        cluster.start();
        cluster.loop.advance(1_000);
        cluster.piggybackLostTo.add(2);
        cluster.members.get(5).updateMetadata(new MemberMetadata(42, ByteString.copyFromUtf8("head"), MemberRole.PEER));
        cluster.loop.advance(5_000);
        assertThat(cluster.members).as("SEED=%d no queue holds the update any more: piggybacking is over", SEED)
                .allMatch(member -> member.pendingUpdates() == 0);
        cluster.piggybackLostTo.clear();
        cluster.loop.advance(2 * CONFIG.syncIntervalMillis());
        assertThat(cluster.deaths).as("SEED=%d", SEED).isEmpty();
        assertThat(cluster.members.get(0).record(cluster.ids.get(5)).orElseThrow().sequence())
                .as("SEED=%d the others got it by piggybacking", SEED).isEqualTo(1);
        return cluster.members.get(2).record(cluster.ids.get(5)).orElseThrow();
    }
}
