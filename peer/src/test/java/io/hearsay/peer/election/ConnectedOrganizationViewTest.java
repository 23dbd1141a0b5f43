package io.hearsay.peer.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.discovery.election.ElectionConfig;
import io.hearsay.discovery.election.ElectionListener;
import io.hearsay.discovery.election.ElectionMessage;
import io.hearsay.discovery.election.LeaderElection;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * The node's organisation view, in virtual time with the real election attached: only connected peers that proved
 * this organisation count, heights only rise and only for live peers, and a lost connection reaches the election at
 * once — a leader whose connection drops is replaced without waiting for its timeout.
 */
class ConnectedOrganizationViewTest {
    private static final PkiId SELF = id(5);
    private static final PkiId ALICE = id(1); // same organisation, ranks before SELF at equal heights
    private static final PkiId BOB = id(7); // same organisation, ranks after SELF
    private static final PkiId MALLORY = id(0); // another organisation, would rank first
    private static final PkiId STRANGER = id(2); // connected but no completed handshake

    private final List<PkiId> connected = new ArrayList<>();
    private final Map<PkiId, String> organizations = new HashMap<>(Map.of(SELF, "Org1MSP", ALICE, "Org1MSP",
            BOB, "Org1MSP", MALLORY, "Org2MSP"));
    private final ConnectedOrganizationView view = new ConnectedOrganizationView(SELF, "Org1MSP",
            new ConnectedOrganizationView.Neighbours() {
                @Override
                public List<PkiId> connected() {
                    return List.copyOf(connected);
                }

                @Override
                public Optional<String> organization(PkiId peer) {
                    return Optional.ofNullable(organizations.get(peer));
                }
            }, () -> 10);

    @Test
    void onlyConnectedPeersOfThisOrganisationAreLive() {
        connected.addAll(List.of(ALICE, BOB, MALLORY, STRANGER));
        view.refresh();
        assertThat(view.livePeerHeights()).containsOnlyKeys(ALICE, BOB);

        connected.remove(BOB);
        view.refresh();
        assertThat(view.livePeerHeights()).containsOnlyKeys(ALICE);
        assertThat(view.localHeight()).isEqualTo(10);
    }

    @Test
    void heightsRiseOnlyAndOnlyForLivePeers() {
        connected.addAll(List.of(ALICE, MALLORY));
        view.refresh();
        view.onHeightObserved(ALICE, 4);
        view.onHeightObserved(ALICE, 3);
        view.onHeightObserved(MALLORY, 99);
        view.onHeightObserved(BOB, 99);
        assertThat(view.livePeerHeights()).containsExactlyEntriesOf(Map.of(ALICE, 4L));

        // A peer that went and came back starts over: its new incarnation reports its own height.
        connected.remove(ALICE);
        view.refresh();
        connected.add(ALICE);
        view.refresh();
        assertThat(view.livePeerHeights()).containsExactlyEntriesOf(Map.of(ALICE, 0L));
    }

    @Test
    void aLeaderWhoseConnectionDropsIsReplacedAtOnceNotAfterItsTimeout() {
        ElectionConfig config = ElectionConfig.lan();
        VirtualTime time = new VirtualTime();
        List<String> events = new ArrayList<>();
        LeaderElection election = new LeaderElection(config, SELF, new LeaderElection.Collaborators(
                new PeerRuntime(time::now, time, RandomSource.seeded(7)), (to, message) -> { }, view,
                new ElectionListener() {
                    @Override
                    public void onBecameLeader() {
                        events.add("leader at " + time.now());
                    }

                    @Override
                    public void onLostLeadership() {
                        events.add("follower at " + time.now());
                    }
                }));
        view.attach(election);
        connected.addAll(List.of(ALICE, BOB, MALLORY));
        view.refresh();
        election.start();

        // Alice (same height, lower PKI-ID) leads; Mallory's claim of a far higher height is not counted.
        for (long at = 0; at <= 3 * config.leaderTimeoutMillis(); at += config.heartbeatIntervalMillis()) {
            time.runUntil(at);
            election.onMessage(ALICE, new ElectionMessage(true, 10));
            election.onMessage(MALLORY, new ElectionMessage(true, 1_000));
        }
        assertThat(election.isLeader()).isFalse();
        assertThat(election.leaders()).containsExactly(ALICE);
        assertThat(election.ignoredMessages()).isPositive();

        long droppedAt = time.now() + 1;
        time.runUntil(droppedAt);
        connected.remove(ALICE);
        view.refresh();

        assertThat(election.isLeader()).isTrue();
        assertThat(events).containsExactly("leader at " + droppedAt);
    }

    private static PkiId id(int first) {
        byte[] bytes = new byte[PkiId.LENGTH_BYTES];
        Arrays.fill(bytes, (byte) 0x11);
        bytes[0] = (byte) first;
        return PkiId.fromBytes(bytes);
    }

    /** Timers in virtual milliseconds, run in deadline order by {@link #runUntil}. */
    private static final class VirtualTime implements Scheduler {
        private record Pending(long at, long order, Runnable task, boolean[] cancelled) {}

        private final PriorityQueue<Pending> queue = new PriorityQueue<>((a, b) ->
                a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
        private long now;
        private long scheduled;

        long now() {
            return now;
        }

        @Override
        public Timer schedule(long delayMillis, Runnable task) {
            boolean[] cancelled = {false};
            queue.add(new Pending(now + delayMillis, scheduled++, task, cancelled));
            return () -> cancelled[0] = true;
        }

        void runUntil(long millis) {
            while (!queue.isEmpty() && queue.peek().at <= millis) {
                Pending next = queue.poll();
                now = next.at;
                if (!next.cancelled[0]) {
                    next.task.run();
                }
            }
            now = millis;
        }
    }
}
