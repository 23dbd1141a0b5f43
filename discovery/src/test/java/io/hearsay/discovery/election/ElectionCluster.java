package io.hearsay.discovery.election;

import io.hearsay.discovery.runtime.Clock;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.identity.PkiId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One organisation of election peers on virtual time with 1 ms links: heights and liveness are set by the
 * test, and every peer's view is the true set of live peers (membership is not under test here).
 */
final class ElectionCluster implements Clock, Scheduler {
    private record Task(long atMillis, long order, Runnable action, boolean[] cancelled) implements Timer {
        @Override
        public void cancel() {
            cancelled[0] = true;
        }
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>(
            Comparator.comparingLong(Task::atMillis).thenComparingLong(Task::order));
    private long nowMillis;
    private long order;
    final List<PkiId> ids = new ArrayList<>();
    final long[] heights;
    final boolean[] crashed;
    final LeaderElection[] elections;
    /** Times each peer became leader, in order, as (peer index). */
    final List<Integer> becameLeader = new ArrayList<>();
    /** False: views keep crashed peers, as if membership had not noticed (the election must cope alone). */
    boolean viewHidesCrashed = true;

    ElectionCluster(int peers, ElectionConfig config, long seed) {
        heights = new long[peers];
        crashed = new boolean[peers];
        elections = new LeaderElection[peers];
        RandomSource random = RandomSource.seeded(seed);
        for (int i = 0; i < peers; i++) {
            ids.add(id(i));
        }
        for (int i = 0; i < peers; i++) {
            int peer = i;
            OrganizationView view = new OrganizationView() {
                @Override
                public SortedMap<PkiId, Long> livePeerHeights() {
                    TreeMap<PkiId, Long> live = new TreeMap<>();
                    for (int j = 0; j < peers; j++) {
                        if (j != peer && !(viewHidesCrashed && crashed[j])) {
                            live.put(ids.get(j), heights[j]);
                        }
                    }
                    return live;
                }

                @Override
                public long localHeight() {
                    return heights[peer];
                }
            };
            ElectionListener listener = new ElectionListener() {
                @Override
                public void onBecameLeader() {
                    becameLeader.add(peer);
                }
            };
            elections[i] = new LeaderElection(config, ids.get(i), new LeaderElection.Collaborators(
                    new PeerRuntime(this, this, random.fork()), (to, message) -> send(peer, to, message), view, listener));
        }
    }

    static PkiId id(int index) {
        return PkiId.fromBytes(ByteBuffer.allocate(PkiId.LENGTH_BYTES).putInt(index).array());
    }

    void start() {
        for (LeaderElection election : elections) {
            election.start();
        }
    }

    void crash(int peer) {
        crashed[peer] = true;
        elections[peer].stop();
    }

    private void send(int from, PkiId to, ElectionMessage message) {
        int target = ids.indexOf(to);
        schedule(1, () -> {
            if (!crashed[from] && !crashed[target]) {
                elections[target].onMessage(ids.get(from), message);
            }
        });
    }

    /** Indexes of the peers that believe they lead. */
    TreeSet<Integer> leaders() {
        TreeSet<Integer> leaders = new TreeSet<>();
        for (int i = 0; i < elections.length; i++) {
            if (!crashed[i] && elections[i].isLeader()) {
                leaders.add(i);
            }
        }
        return leaders;
    }

    @Override
    public long nowMillis() {
        return nowMillis;
    }

    @Override
    public Timer schedule(long delayMillis, Runnable task) {
        Task scheduled = new Task(nowMillis + delayMillis, order++, task, new boolean[1]);
        queue.add(scheduled);
        return scheduled;
    }

    /** Runs every task due up to {@code millis} from now, checking {@code invariant} after each. */
    void advance(long millis, Runnable invariant) {
        long until = nowMillis + millis;
        while (!queue.isEmpty() && queue.peek().atMillis() <= until) {
            Task task = queue.poll();
            nowMillis = task.atMillis();
            if (!task.cancelled()[0]) {
                task.action().run();
                invariant.run();
            }
        }
        nowMillis = until;
    }

    void advance(long millis) {
        advance(millis, () -> { });
    }
}
