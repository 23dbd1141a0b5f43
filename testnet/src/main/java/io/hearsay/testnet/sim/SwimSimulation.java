package io.hearsay.testnet.sim;

import io.hearsay.discovery.auth.AuthenticatedChannel;
import io.hearsay.discovery.auth.IntegrityConfig;
import io.hearsay.discovery.auth.KeyedHashAuthenticator;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.discovery.membership.StaticMembership;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.discovery.swim.AliveRecord;
import io.hearsay.discovery.swim.MemberMetadata;
import io.hearsay.discovery.swim.MemberRole;
import io.hearsay.discovery.swim.MembershipListener;
import io.hearsay.discovery.swim.SwimCodec;
import io.hearsay.discovery.swim.SwimConfig;
import io.hearsay.discovery.swim.SwimCounters;
import io.hearsay.discovery.swim.SwimCounters.Counter;
import io.hearsay.discovery.swim.SwimCounters.Rejection;
import io.hearsay.discovery.swim.SwimMembership;
import io.hearsay.discovery.swim.SwimMessage;
import io.hearsay.identity.PkiId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * SWIM membership on simulated peers: every peer runs the real {@link SwimMembership} behind its
 * {@link AuthenticatedChannel} (keyed-hash signatures), on simulated links and virtual time. Peers start
 * with a converged membership (every peer's signed record at incarnation 1); the first {@code anchors}
 * peers are anchors, through which a restarted peer rejoins. Organisations alternate Org1MSP, Org2MSP.
 *
 * <p>Measures, from every member's listener: for each crashed peer, the time until every live peer holds it
 * dead (its detection time); false deaths (any incarnation of a live peer's running process declared dead by
 * anyone, including one it has already refuted) and false suspicions (raised by a prober against a live
 * peer); messages and bytes per peer per second.
 */
public final class SwimSimulation {
    /** What to simulate. */
    public record Scenario(int peers, int anchors, SwimConfig config, LinkModel link, long seed) {
        public Scenario {
            if (peers < 2) {
                throw new IllegalArgumentException("peers must be at least 2, got " + peers);
            }
            if (anchors < 1 || anchors > peers) {
                throw new IllegalArgumentException("anchors must be between 1 and peers, got " + anchors);
            }
        }
    }

    /** An incarnation of a live peer's running process declared dead by {@code observer}. */
    public record FalseDeath(int observer, int subject, long incarnation, long atMillis) {}

    /**
     * One run's figures.
     *
     * @param detectionMillis over crashed peers: time from the crash until every live peer held it dead
     * @param undetected crashed peers that some live peer did not yet hold dead at the end
     * @param falseSuspicions suspicions raised by a prober against a live peer (each later refuted, or a false death)
     * @param messagesPerPeerPerSecond messages sent per peer per virtual second, over the whole run
     */
    public record Result(Percentiles detectionMillis, int crashed, int undetected, long falseDeaths, long falseSuspicions,
            long refutations, double messagesPerPeerPerSecond, double bytesPerPeerPerSecond, long virtualMillis,
            long events, long traceHash, Map<Rejection, Long> rejections, Map<Counter, Long> counters) {}

    /**
     * Signed envelopes need a replay window per sender; at 1,000 peers every peer hears from every other, so
     * 1,000,000 windows. 64 messages (the smallest allowed) covers any reordering of jittered LAN or WAN links
     * at SWIM's few messages per pair per second, for an eighth of the default's memory.
     */
    private static final IntegrityConfig INTEGRITY = new IntegrityConfig(64, 5_000, 1_000);

    private final Scenario scenario;
    private final EventLoop loop;
    private final RandomSource random;
    private final SimulatedNetwork<SignedMessage<SwimMessage>> network;
    private final List<PkiId> ids = new ArrayList<>();
    private final Map<PkiId, Integer> indexes = new HashMap<>();
    private final Map<PkiId, String> directory = new HashMap<>();
    private final KeyedHashAuthenticator.Secrets secrets;
    private final SwimMembership[] members;
    private final AuthenticatedChannel<SwimMessage>[] channels;
    private final boolean[] crashed;
    private final long[] crashedAtMicros;
    /** Each peer's first incarnation in its current run: any incarnation from there on is of a live process. */
    private final long[] runFirstIncarnation;
    /** Per crashed peer: when each observer first held it dead (-1: not, or not any more). Sorted by peer. */
    private final TreeMap<Integer, long[]> deadSeenMicros = new TreeMap<>();
    private final List<FalseDeath> falseDeaths = new ArrayList<>();
    private long falseSuspicions;
    private final long[] retiredCounters = new long[Counter.values().length];
    private final long[] retiredRejections = new long[Rejection.values().length];
    private boolean started;

    public SwimSimulation(Scenario scenario) {
        this.scenario = scenario;
        this.loop = new EventLoop(4_000_000_000L);
        this.random = RandomSource.seeded(scenario.seed());
        this.network = new SimulatedNetwork<>(loop, random.fork(), scenario.link(), signed -> signed.message().sizeBytes());
        int n = scenario.peers();
        network.reserve(n);
        RandomSource secretRandom = random.fork();
        Map<PkiId, Long> secretsById = new HashMap<>();
        for (int i = 0; i < n; i++) {
            PkiId id = PkiId.fromBytes(ByteBuffer.allocate(PkiId.LENGTH_BYTES).putInt(i).array());
            ids.add(id);
            indexes.put(id, i);
            directory.put(id, organizationOf(i));
            secretsById.put(id, secretRandom.nextLong());
            network.add(id, null);
        }
        secrets = KeyedHashAuthenticator.Secrets.of(secretsById);
        members = new SwimMembership[n];
        @SuppressWarnings("unchecked")
        AuthenticatedChannel<SwimMessage>[] channelArray = new AuthenticatedChannel[n];
        channels = channelArray;
        crashed = new boolean[n];
        crashedAtMicros = new long[n];
        Arrays.fill(crashedAtMicros, -1);
        runFirstIncarnation = new long[n];
        List<AliveRecord> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            runFirstIncarnation[i] = 1;
            members[i] = newMember(i, 1);
            records.add(members[i].selfRecord());
        }
        for (SwimMembership member : members) {
            member.bootstrap(records);
        }
    }

    private static String organizationOf(int peer) {
        return peer % 2 == 0 ? "Org1MSP" : "Org2MSP";
    }

    private boolean isAnchor(int peer) {
        return peer < scenario.anchors();
    }

    /** A peer's membership behind its authenticated channel; a restart makes both afresh, as a process restart would. */
    private SwimMembership newMember(int peer, long incarnation) {
        PkiId id = ids.get(peer);
        KeyedHashAuthenticator authenticator = new KeyedHashAuthenticator(id, secrets);
        StaticMembership pki = new StaticMembership(id, PeerSet.empty(), directory);
        SwimMembership[] holder = new SwimMembership[1];
        channels[peer] = new AuthenticatedChannel<>(id, authenticator, SwimCodec.MESSAGES, pki, loop, INTEGRITY,
                network.transportOf(id), (from, message) -> holder[0].onMessage(from, message), (from, reason) -> { },
                loop.nowMicros());
        network.setHandler(id, channels[peer]);
        SwimMembership.LocalMember local = new SwimMembership.LocalMember(id, organizationOf(peer),
                "peer" + peer + ".internal:7051", isAnchor(peer) ? "peer" + peer + ".example.com:7051" : "",
                MemberMetadata.of(isAnchor(peer) ? MemberRole.ANCHOR : MemberRole.PEER), incarnation);
        holder[0] = new SwimMembership(scenario.config(), local, new SwimMembership.Collaborators(
                new PeerRuntime(loop, loop, random.fork()), channels[peer].transport(), authenticator,
                peerId -> Optional.ofNullable(directory.get(peerId)), listener(peer)));
        return holder[0];
    }

    private MembershipListener listener(int observer) {
        return new MembershipListener() {
            @Override
            public void memberSuspected(PkiId member, long incarnation, PkiId accuser) {
                int subject = indexes.get(member);
                if (accuser.equals(ids.get(observer)) && isIncarnationOfLivePeer(subject, incarnation)) {
                    falseSuspicions++;
                }
            }

            @Override
            public void memberDead(PkiId member, long incarnation, PkiId accuser) {
                int subject = indexes.get(member);
                if (isIncarnationOfLivePeer(subject, incarnation)) {
                    falseDeaths.add(new FalseDeath(observer, subject, incarnation, loop.nowMillis()));
                }
                long[] seen = deadSeenMicros.get(subject);
                if (seen != null && crashed[subject] && seen[observer] < 0) {
                    seen[observer] = loop.nowMicros();
                }
            }

            @Override
            public void memberAlive(AliveRecord record) {
                long[] seen = deadSeenMicros.get(indexes.get(record.peer()));
                if (seen != null) {
                    seen[observer] = -1;
                }
            }
        };
    }

    /**
     * Whether {@code incarnation} belongs to the running process of {@code subject}: a death of it is false even if
     * the peer has since refuted to a higher incarnation the accuser had not heard of. (A death of an earlier
     * run's incarnation, after a restart, is not.)
     */
    private boolean isIncarnationOfLivePeer(int subject, long incarnation) {
        return !crashed[subject] && incarnation >= runFirstIncarnation[subject];
    }

    /** Starts every live peer's protocol timers; {@link #advance} and {@link #runUntil} start it if nobody has. */
    public void start() {
        if (started) {
            return;
        }
        started = true;
        for (int i = 0; i < members.length; i++) {
            if (!crashed[i]) {
                members[i].start();
            }
        }
    }

    /** Runs {@code millis} of virtual time. */
    public void advance(long millis) {
        start();
        loop.runUntil(loop.nowMicros() + millis * 1000);
    }

    /** Runs until {@code condition} holds (checked before every event) or {@code maxMillis} pass; returns whether it holds. */
    public boolean runUntil(BooleanSupplier condition, long maxMillis) {
        start();
        return loop.runWhile(() -> !condition.getAsBoolean(), loop.nowMicros() + maxMillis * 1000);
    }

    /** Crashes {@code peer}: its process stops (timers and all) and the network drops its traffic. */
    public void crash(int peer) {
        if (crashed[peer]) {
            return;
        }
        retire(members[peer]);
        members[peer].stop();
        network.crash(ids.get(peer));
        crashed[peer] = true;
        crashedAtMicros[peer] = loop.nowMicros();
        long[] seen = new long[members.length];
        Arrays.fill(seen, -1);
        deadSeenMicros.put(peer, seen);
    }

    /**
     * Restarts a crashed peer as a new process: empty membership, an incarnation from the virtual clock (above
     * any its earlier run used), joining through the anchors.
     */
    public void restart(int peer) {
        if (!crashed[peer]) {
            return;
        }
        network.restart(ids.get(peer));
        crashed[peer] = false;
        deadSeenMicros.remove(peer);
        runFirstIncarnation[peer] = loop.nowMillis() + 1;
        members[peer] = newMember(peer, runFirstIncarnation[peer]);
        if (started) {
            members[peer].start();
        }
        List<PkiId> anchors = new ArrayList<>();
        for (int a = 0; a < scenario.anchors(); a++) {
            if (a != peer) {
                anchors.add(ids.get(a));
            }
        }
        members[peer].join(anchors);
    }

    /** Keeps a stopped member's counters in the totals. */
    private void retire(SwimMembership member) {
        SwimCounters counters = member.counters();
        for (Counter counter : Counter.values()) {
            retiredCounters[counter.ordinal()] += counters.get(counter);
        }
        for (Rejection reason : Rejection.values()) {
            retiredRejections[reason.ordinal()] += counters.rejected(reason);
        }
    }

    /**
     * Whether every live peer holds every crashed peer dead. O(crashed × peers): call it between steps, not as a
     * per-event condition at scale.
     */
    public boolean allCrashedDetected() {
        for (Map.Entry<Integer, long[]> entry : deadSeenMicros.entrySet()) {
            if (detectionMicros(entry.getKey(), entry.getValue()) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Microseconds from the crash until every live peer held {@code subject} dead; -1 if some does not yet. */
    private long detectionMicros(int subject, long[] seen) {
        long last = crashedAtMicros[subject];
        for (int observer = 0; observer < members.length; observer++) {
            if (observer == subject || crashed[observer]) {
                continue;
            }
            if (seen[observer] < 0) {
                return -1;
            }
            last = Math.max(last, seen[observer]);
        }
        return last - crashedAtMicros[subject];
    }

    /** Crashes {@code count} random non-anchor live peers, one every {@code spacingMillis}; returns them. */
    public List<Integer> crashRandom(int count, long spacingMillis) {
        List<Integer> victims = new ArrayList<>();
        RandomSource picker = random.fork();
        int attempts = 0;
        while (victims.size() < count && attempts++ < 100 * count) {
            int peer = scenario.anchors() + picker.nextInt(members.length - scenario.anchors());
            if (!crashed[peer] && !victims.contains(peer)) {
                victims.add(peer);
                crash(peer);
                if (spacingMillis > 0) {
                    advance(spacingMillis);
                }
            }
        }
        return victims;
    }

    public Result result() {
        List<Double> detections = new ArrayList<>();
        int undetected = 0;
        for (Map.Entry<Integer, long[]> entry : deadSeenMicros.entrySet()) {
            long micros = detectionMicros(entry.getKey(), entry.getValue());
            if (micros < 0) {
                undetected++;
            } else {
                detections.add(micros / 1000.0);
            }
        }
        long[] counterTotals = retiredCounters.clone();
        long[] rejectionTotals = retiredRejections.clone();
        for (int i = 0; i < members.length; i++) {
            if (!crashed[i]) {
                SwimCounters counters = members[i].counters();
                for (Counter counter : Counter.values()) {
                    counterTotals[counter.ordinal()] += counters.get(counter);
                }
                for (Rejection reason : Rejection.values()) {
                    rejectionTotals[reason.ordinal()] += counters.rejected(reason);
                }
            }
        }
        Map<Counter, Long> counters = new EnumMap<>(Counter.class);
        for (Counter counter : Counter.values()) {
            counters.put(counter, counterTotals[counter.ordinal()]);
        }
        Map<Rejection, Long> rejections = new EnumMap<>(Rejection.class);
        for (Rejection reason : Rejection.values()) {
            rejections.put(reason, rejectionTotals[reason.ordinal()]);
        }
        double seconds = Math.max(1, loop.nowMicros()) / 1e6;
        int n = members.length;
        return new Result(Percentiles.of(detections), deadSeenMicros.size(), undetected, falseDeaths.size(),
                falseSuspicions, counters.get(Counter.REFUTATIONS), network.totalMessagesSent() / (double) n / seconds,
                network.totalBytesSent() / (double) n / seconds, loop.nowMillis(), loop.executedEvents(),
                network.traceHash(), rejections, counters);
    }

    public List<FalseDeath> falseDeaths() {
        return List.copyOf(falseDeaths);
    }

    public SwimMembership member(int peer) {
        return members[peer];
    }

    public AuthenticatedChannel<SwimMessage> channel(int peer) {
        return channels[peer];
    }

    public PkiId id(int peer) {
        return ids.get(peer);
    }

    public int indexOf(PkiId peer) {
        return indexes.get(peer);
    }

    public boolean isCrashed(int peer) {
        return crashed[peer];
    }

    public int peers() {
        return members.length;
    }

    /** The secret of {@code peer}'s keyed-hash signatures: for tests that sign as that peer (or forge). */
    public KeyedHashAuthenticator authenticatorOf(int peer) {
        return new KeyedHashAuthenticator(ids.get(peer), secrets);
    }

    public SimulatedNetwork<SignedMessage<SwimMessage>> network() {
        return network;
    }

    public EventLoop loop() {
        return loop;
    }

    public long nowMillis() {
        return loop.nowMillis();
    }

    public void partition(List<Integer> side) {
        network.partition(side.stream().map(ids::get).toList(), 1);
    }

    public void heal() {
        network.heal();
    }

    public void setLink(LinkModel link) {
        network.setLink(link);
    }
}
