package io.hearsay.discovery.swim;

import io.hearsay.discovery.auth.AuthenticationException;
import io.hearsay.discovery.auth.MessageAuthenticator;
import io.hearsay.discovery.membership.Membership;
import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.discovery.runtime.MessageHandler;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.discovery.runtime.SenderRateLimiter;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.discovery.swim.SwimCounters.Counter;
import io.hearsay.discovery.swim.SwimCounters.Rejection;
import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One member's view of the membership, kept by SWIM (Das, Gupta and Motivala 2002): failure detection by
 * direct and indirect probes, suspicion and refutation by incarnation, and infection-style dissemination of
 * membership updates piggybacked on the protocol's own messages; with Lifeguard's shrinking suspicion
 * timeout and "buddy" notices (Dadgar et al. 2018), and a last probe before any death.
 *
 * <pre>
 *   every probeInterval: ping the next member of a shuffled round-robin list
 *     ack ─────────────────────────────────────────────▶ fine
 *     nothing after probeTimeout: ping again + ping-req through k members
 *       an ack by the period's end ────────────────────▶ fine
 *       none ──▶ suspect it: sign Suspect(member, incarnation), spread it, tell the member
 *
 *   a member's status in this view, for one incarnation i:
 *
 *            Suspect(i)                 timeout (shrinks with confirmations) + unanswered last probe
 *   ALIVE(i) ──────────▶ SUSPECT(i) ───────────────────────────────────────────────▶ DEAD(i)
 *      ▲                    │ Alive(j &gt; i) from the member (it refutes)               │ Alive(j &gt; i)
 *      └────────────────────┘◀────────────────────────────────────────────────────────┘ (retried, or it rejoins)
 *                                                          DEAD for deadRetention (not an anchor): forgotten
 * </pre>
 *
 * A member accused of its own current incarnation refutes by signing a new alive record with a higher one.
 * Alive records are signed by their member and accusations by their accuser, so relays cannot forge either;
 * an update that fails its signature, names the wrong organisation, or is older than what is held is
 * refused, counted by reason and reported to the listener.
 *
 * <p>A deterministic state machine: it acts only in {@link #onMessage} and its timers, on one serial
 * context, through the injected runtime and transport. Tables are sorted by PKI-ID and random choices come
 * from the runtime's seeded source; hash maps are only looked up. Every queue is bounded.
 */
public final class SwimMembership implements Membership, MessageHandler<SwimMessage> {
    /**
     * This member as it describes itself in its alive record.
     *
     * @param firstIncarnation the incarnation of this run; it must exceed every incarnation an earlier run of
     *     the same peer used, or others take the restarted peer's records for replays until it refutes. The
     *     node passes its wall clock in milliseconds at start, the simulator its virtual time.
     */
    public record LocalMember(PkiId id, String organization, String internalEndpoint, String externalEndpoint,
            MemberMetadata metadata, long firstIncarnation) {
        public LocalMember {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(metadata, "metadata");
        }
    }

    /**
     * What the membership acts through.
     *
     * @param authenticator signs this member's records and accusations, verifies everyone else's
     * @param organizations the organisation (MSP id) a peer's identity belongs to, as its CA vouches; empty for a
     *     peer no organisation vouches for. A record claiming another organisation is refused.
     */
    public record Collaborators(PeerRuntime runtime, Transport<SwimMessage> transport, MessageAuthenticator authenticator,
            Function<PkiId, Optional<String>> organizations, MembershipListener listener) {
        public Collaborators {
            Objects.requireNonNull(runtime, "runtime");
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(authenticator, "authenticator");
            Objects.requireNonNull(organizations, "organizations");
            Objects.requireNonNull(listener, "listener");
        }
    }

    /** A member in this view. */
    private static final class Member {
        AliveRecord record;
        MemberStatus status = MemberStatus.ALIVE;
        /** The incarnation the status is about; above the record's if it was accused of a newer one. */
        long incarnation;
        /** The newest accusation held about it, while suspect or dead: what a ping to it carries. */
        Accusation accusation;
        Suspicion suspicion;
        Scheduler.Timer forgetTimer;

        Member(AliveRecord record) {
            this.record = record;
            this.incarnation = record.incarnation();
        }
    }

    /** A probe this member runs: a regular one of the period, or the last one before a death. */
    private static final class Probe {
        final long id;
        final PkiId target;
        /** Null for a regular probe; for a last probe, the suspicion it decides. */
        final Suspicion finalFor;
        Scheduler.Timer indirectTimer;
        Scheduler.Timer verdictTimer;

        Probe(long id, PkiId target, Suspicion finalFor) {
            this.id = id;
            this.target = target;
            this.finalFor = finalFor;
        }
    }

    /** An indirect probe run for {@code requester}: its ack goes back under the requester's probe id. */
    private record Relay(PkiId requester, long requesterProbeId, Scheduler.Timer expiry) {}

    /** A task repeated every {@code intervalMillis}, the next run scheduled before this one acts. */
    private final class Periodic implements Runnable {
        final long intervalMillis;
        final Runnable task;
        Scheduler.Timer timer;

        Periodic(long intervalMillis, Runnable task) {
            this.intervalMillis = intervalMillis;
            this.task = task;
        }

        @Override
        public void run() {
            timer = runtime.scheduler().schedule(intervalMillis, this);
            task.run();
        }
    }

    private final SwimConfig config;
    private final LocalMember local;
    private final PkiId self;
    private final PeerRuntime runtime;
    private final Transport<SwimMessage> transport;
    private final MessageAuthenticator authenticator;
    private final Function<PkiId, Optional<String>> organizations;
    private final MembershipListener listener;
    private final SwimCounters counters = new SwimCounters();
    private final TreeMap<PkiId, Member> members = new TreeMap<>();
    private final TreeSet<PkiId> dead = new TreeSet<>();
    private final UpdateQueue updates;
    /** Per-sender bound on answering table requests: one small request must not buy a whole table at will. */
    private final SenderRateLimiter syncReplies;
    /** Round-robin probe order: shuffled at each round's start, joiners inserted at random places. */
    private final List<PkiId> probeOrder = new ArrayList<>();
    private int probeCursor;
    private final Map<Long, Probe> probes = new HashMap<>();
    private final Map<Long, Relay> relays = new HashMap<>();
    private final List<Periodic> periodics = new ArrayList<>();
    private AliveRecord selfRecord;
    private long nextProbeId = 1;
    private PkiId lastDeadProbed;
    /** Live members (alive or suspect), self excluded; rebuilt lazily after the set changes. */
    private PeerSet liveView;
    private int liveCount;
    private boolean running;

    public SwimMembership(SwimConfig config, LocalMember local, Collaborators collaborators) {
        this.config = Objects.requireNonNull(config, "config");
        this.local = local;
        this.self = local.id();
        this.runtime = collaborators.runtime();
        this.transport = collaborators.transport();
        this.authenticator = collaborators.authenticator();
        this.organizations = collaborators.organizations();
        this.listener = collaborators.listener();
        this.updates = new UpdateQueue(config.updateQueueMax(), counters);
        this.syncReplies = new SenderRateLimiter(config.syncRepliesPerSecond(), config.syncReplyBurst(),
                config.syncRequestersMax());
        this.selfRecord = AliveRecord.sign(self, local.organization(), local.internalEndpoint(), local.externalEndpoint(),
                local.firstIncarnation(), 0, local.metadata(), authenticator);
    }

    // ---- lifecycle ----

    /** Starts probing, gossiping, retrying the dead and syncing, each at a random phase so members do not tick in step. */
    public void start() {
        if (running) {
            return;
        }
        running = true;
        periodic(config.probeIntervalMillis(), this::probeNext);
        periodic(config.gossipIntervalMillis(), this::gossipRound);
        periodic(config.deadProbeIntervalMillis(), this::probeDead);
        if (config.syncIntervalMillis() > 0) {
            periodic(config.syncIntervalMillis(), this::syncRound);
        }
    }

    /** Cancels every timer (the peer stops or crashed); messages are ignored from now on. */
    public void stop() {
        running = false;
        periodics.forEach(periodic -> periodic.timer.cancel());
        periodics.clear();
        for (Probe probe : probes.values()) {
            cancel(probe.indirectTimer);
            cancel(probe.verdictTimer);
        }
        probes.clear();
        relays.values().forEach(relay -> relay.expiry().cancel());
        relays.clear();
        for (Member member : members.values()) {
            if (member.suspicion != null) {
                member.suspicion.cancel();
            }
            cancel(member.forgetTimer);
        }
    }

    private void periodic(long intervalMillis, Runnable task) {
        Periodic periodic = new Periodic(intervalMillis, task);
        periodic.timer = runtime.scheduler().schedule(runtime.random().nextLong(0, intervalMillis), periodic);
        periodics.add(periodic);
    }

    /**
     * Learns {@code records} as a converged membership (a simulation's starting state, or a table restored at
     * start) without spreading them: each is checked and verified like any received record.
     *
     * @return how many were accepted
     */
    public int bootstrap(Collection<AliveRecord> records) {
        int before = members.size();
        int cursor = probeOrder.size();
        for (AliveRecord record : records) {
            onRecord(self, record, false, false);
        }
        // Joiners normally go to random places in the order; a batch is shuffled once instead (O(n), not O(n²)).
        shuffle(probeOrder, cursor);
        return members.size() - before;
    }

    /**
     * Introduces this member to {@code seeds} (anchors, or any members it knows of): each gets this member's
     * table, its own alive record first, and answers with its table; the seeds spread the new record.
     */
    public void join(Collection<PkiId> seeds) {
        updates.add(selfRecord);
        for (PkiId seed : seeds) {
            if (!seed.equals(self)) {
                transport.send(seed, new SwimMessage.Sync(table(), true));
                counters.increment(Counter.SYNCS_SENT);
            }
        }
    }

    /** Republishes this member's record with new metadata (the next sequence of this incarnation). */
    public void updateMetadata(MemberMetadata metadata) {
        selfRecord = AliveRecord.sign(self, local.organization(), local.internalEndpoint(), local.externalEndpoint(),
                selfRecord.incarnation(), selfRecord.sequence() + 1, metadata, authenticator);
        updates.add(selfRecord);
    }

    // ---- receiving ----

    @Override
    public void onMessage(PkiId from, SwimMessage message) {
        if (!running) {
            return;
        }
        for (MemberUpdate update : message.updates()) {
            if (update instanceof AliveRecord record) {
                onRecord(from, record, true, true);
            } else if (update instanceof Accusation accusation) {
                onAccusation(from, accusation);
            }
        }
        if (message instanceof SwimMessage.Ping ping) {
            transport.send(from, new SwimMessage.Ack(ping.probeId(), piggyback(from)));
        } else if (message instanceof SwimMessage.Ack ack) {
            onAck(ack);
        } else if (message instanceof SwimMessage.PingRequest request) {
            onPingRequest(from, request);
        } else if (message instanceof SwimMessage.Sync sync) {
            onSync(from, sync);
        }
    }

    /**
     * Applies an alive record if it is newer than what is held, well signed and of the right organisation.
     *
     * @param spread queue it for dissemination if it changed this view
     * @param randomPlace a newly learned member goes to a random place in this round's probe order (else last)
     */
    private void onRecord(PkiId from, AliveRecord record, boolean spread, boolean randomPlace) {
        if (record.peer().equals(self)) {
            if (record.isNewerThan(selfRecord) && verified(from, record)) {
                // A record of an earlier run of this peer, newer than this run's: out-number it.
                refute(record.incarnation());
            }
            return;
        }
        Member member = members.get(record.peer());
        if (member != null) {
            int byVersion = record.compareVersion(member.record);
            if (byVersion == 0) {
                counters.increment(Counter.DUPLICATE_UPDATES);
                return;
            }
            if (byVersion < 0 || (member.status == MemberStatus.DEAD && record.incarnation() <= member.incarnation)) {
                reject(from, Rejection.STALE, record + " is not newer than " + member.record + " (" + member.status + ")");
                return;
            }
        }
        Optional<String> organization = organizations.apply(record.peer());
        if (organization.isEmpty()) {
            reject(from, Rejection.UNKNOWN_PEER, record + ": no organisation vouches for " + record.peer());
            return;
        }
        if (!organization.get().equals(record.organization())) {
            reject(from, Rejection.WRONG_ORGANIZATION, record + " claims " + record.organization() + " but the peer belongs to "
                    + organization.get());
            return;
        }
        if (!verified(from, record)) {
            return;
        }
        if (member == null) {
            learn(record, randomPlace);
        } else if (member.status == MemberStatus.DEAD) {
            revive(member, record);
        } else if (member.status == MemberStatus.SUSPECT && record.incarnation() > member.incarnation) {
            refuted(member, record);
        } else {
            member.record = record;
            if (member.status == MemberStatus.ALIVE) {
                member.incarnation = record.incarnation();
            }
            listener.memberUpdated(record);
        }
        if (spread) {
            updates.add(record);
        }
    }

    private boolean verified(PkiId from, MemberUpdate update) {
        try {
            if (update instanceof AliveRecord record) {
                record.verify(authenticator);
            } else {
                ((Accusation) update).verify(authenticator);
            }
            return true;
        } catch (AuthenticationException e) {
            reject(from, Rejection.BAD_SIGNATURE, update + ": " + e.getMessage());
            return false;
        }
    }

    private void onAccusation(PkiId from, Accusation accusation) {
        if (accusation.subject().equals(self)) {
            if (accusation.incarnation() >= selfRecord.incarnation()) {
                if (verified(from, accusation)) {
                    refute(accusation.incarnation());
                }
            } else {
                // The accuser has not heard this member's newer record yet: spread it again.
                updates.add(selfRecord);
            }
            return;
        }
        Member member = members.get(accusation.subject());
        if (member == null) {
            reject(from, Rejection.UNKNOWN_SUBJECT, accusation + " is about a member this peer does not know");
            return;
        }
        if (accusation.incarnation() < member.incarnation) {
            reject(from, Rejection.STALE, accusation + " is older than incarnation " + member.incarnation);
            return;
        }
        switch (member.status) {
            case DEAD -> {
                if (!accusation.isDead() || accusation.incarnation() == member.incarnation) {
                    counters.increment(Counter.DUPLICATE_UPDATES);
                } else if (verified(from, accusation)) {
                    member.incarnation = accusation.incarnation();
                    member.accusation = accusation;
                    updates.add(accusation);
                }
            }
            case ALIVE -> {
                if (verified(from, accusation)) {
                    if (accusation.isDead()) {
                        counters.increment(Counter.DEATHS_LEARNED);
                        die(member, accusation);
                    } else {
                        suspect(member, accusation);
                    }
                }
            }
            case SUSPECT -> {
                if (accusation.isDead() || accusation.incarnation() > member.incarnation) {
                    if (verified(from, accusation)) {
                        if (accusation.isDead()) {
                            counters.increment(Counter.DEATHS_LEARNED);
                            die(member, accusation);
                        } else {
                            suspect(member, accusation);
                        }
                    }
                } else if (member.suspicion.isAccuser(accusation.accuser()) || member.suspicion.isFull()) {
                    counters.increment(Counter.DUPLICATE_UPDATES);
                } else if (verified(from, accusation)) {
                    // An independent confirmation: the timeout shrinks, and others should hear of it too.
                    member.suspicion.confirm(accusation.accuser());
                    member.accusation = accusation;
                    arm(member);
                    updates.add(accusation);
                }
            }
        }
    }

    private void onAck(SwimMessage.Ack ack) {
        Probe probe = probes.remove(ack.probeId());
        if (probe != null) {
            cancel(probe.indirectTimer);
            cancel(probe.verdictTimer);
            counters.increment(Counter.PROBES_ACKED);
            if (probe.finalFor != null) {
                counters.increment(Counter.FINAL_PROBES_ANSWERED);
                Member member = members.get(probe.target);
                if (member != null && member.suspicion == probe.finalFor) {
                    // It answers but has not refuted yet (it has just been told, by the ping): wait again.
                    member.suspicion.restart(now());
                    arm(member);
                }
            }
            return;
        }
        Relay relay = relays.remove(ack.probeId());
        if (relay != null) {
            relay.expiry().cancel();
            transport.send(relay.requester(), new SwimMessage.Ack(relay.requesterProbeId(), piggyback(relay.requester())));
        }
    }

    private void onPingRequest(PkiId from, SwimMessage.PingRequest request) {
        if (request.target().equals(self)) {
            transport.send(from, new SwimMessage.Ack(request.probeId(), piggyback(from)));
            return;
        }
        if (relays.size() >= config.relaysMax()) {
            counters.increment(Counter.RELAYS_REFUSED);
            return;
        }
        long id = nextProbeId++;
        Scheduler.Timer expiry = runtime.scheduler().schedule(config.probeIntervalMillis(), () -> relays.remove(id));
        relays.put(id, new Relay(from, request.probeId(), expiry));
        counters.increment(Counter.RELAYS);
        transport.send(request.target(), new SwimMessage.Ping(id, piggyback(request.target())));
    }

    /**
     * Merges a table. Records from a request (a joiner's introduction, a periodic push) are spread if they are
     * news here; those of a reply are not, since they come from a table others already share. A request is
     * answered with this member's table only within its sender's rate ({@code syncRepliesPerSecond}): beyond it
     * the records still count, the reply is refused (SYNC_FLOOD).
     */
    private void onSync(PkiId from, SwimMessage.Sync sync) {
        for (AliveRecord record : sync.records()) {
            onRecord(from, record, sync.replyWanted(), true);
        }
        if (!sync.replyWanted()) {
            return;
        }
        if (!syncReplies.tryAcquire(from, now())) {
            reject(from, Rejection.SYNC_FLOOD, "table request over " + config.syncRepliesPerSecond() + "/s, burst "
                    + config.syncReplyBurst() + ": not answered");
            return;
        }
        transport.send(from, new SwimMessage.Sync(table(), false));
        counters.increment(Counter.SYNCS_SENT);
    }

    // ---- probing ----

    private void probeNext() {
        PkiId target = nextProbeTarget();
        if (target != null) {
            counters.increment(Counter.PROBES);
            startProbe(target, null);
        }
    }

    /** The next live member of the round-robin order; at the end of a round, a fresh shuffle. */
    private PkiId nextProbeTarget() {
        for (int pass = 0; pass < 2; pass++) {
            while (probeCursor < probeOrder.size()) {
                PkiId candidate = probeOrder.get(probeCursor++);
                Member member = members.get(candidate);
                if (member != null && member.status.isLive()) {
                    return candidate;
                }
            }
            probeOrder.clear();
            for (Map.Entry<PkiId, Member> entry : members.entrySet()) {
                if (entry.getValue().status.isLive()) {
                    probeOrder.add(entry.getKey());
                }
            }
            shuffle(probeOrder, 0);
            probeCursor = 0;
        }
        return null;
    }

    private void startProbe(PkiId target, Suspicion finalFor) {
        Probe probe = new Probe(nextProbeId++, target, finalFor);
        probes.put(probe.id, probe);
        transport.send(target, new SwimMessage.Ping(probe.id, piggyback(target)));
        probe.indirectTimer = runtime.scheduler().schedule(config.probeTimeoutMillis(), () -> probeIndirectly(probe));
        probe.verdictTimer = runtime.scheduler().schedule(config.probeIntervalMillis(), () -> onProbeVerdict(probe));
    }

    /** No direct ack in time: ping once more, and ask k others to try (SWIM's ping-req). */
    private void probeIndirectly(Probe probe) {
        probe.indirectTimer = null;
        if (!probes.containsKey(probe.id)) {
            return;
        }
        transport.send(probe.target, new SwimMessage.Ping(probe.id, piggyback(probe.target)));
        for (PkiId relay : liveView().sample(runtime.random(), config.indirectProbes(), probe.target)) {
            counters.increment(Counter.INDIRECT_PROBES);
            transport.send(relay, new SwimMessage.PingRequest(probe.id, probe.target, piggyback(relay)));
        }
    }

    /** The period ended without an ack. */
    private void onProbeVerdict(Probe probe) {
        if (probes.remove(probe.id) == null) {
            return;
        }
        cancel(probe.indirectTimer);
        counters.increment(Counter.PROBES_FAILED);
        Member member = members.get(probe.target);
        if (member == null || member.status == MemberStatus.DEAD) {
            return;
        }
        if (probe.finalFor != null) {
            if (member.suspicion == probe.finalFor) {
                declareDead(member);
            }
        } else if (member.status == MemberStatus.ALIVE) {
            raiseSuspicion(member);
        } else {
            confirmSuspicion(member);
        }
    }

    private void raiseSuspicion(Member member) {
        Accusation accusation = Accusation.sign(Accusation.Charge.SUSPECT, member.record.peer(), member.incarnation, self,
                authenticator);
        counters.increment(Counter.SUSPICIONS_RAISED);
        suspect(member, accusation);
        // The buddy notice: the member hears of the suspicion at once (if it is alive) and can refute.
        transport.send(member.record.peer(), new SwimMessage.Gossip(List.of(accusation)));
    }

    /** This member's own probe of a suspect failed too: its accusation counts as an independent confirmation. */
    private void confirmSuspicion(Member member) {
        if (member.suspicion.isAccuser(self) || member.suspicion.isFull()) {
            return;
        }
        Accusation accusation = Accusation.sign(Accusation.Charge.SUSPECT, member.record.peer(), member.incarnation, self,
                authenticator);
        member.suspicion.confirm(self);
        member.accusation = accusation;
        counters.increment(Counter.CONFIRMATIONS_RAISED);
        arm(member);
        updates.add(accusation);
    }

    private void suspect(Member member, Accusation accusation) {
        if (member.suspicion != null) {
            member.suspicion.cancel();
        }
        member.status = MemberStatus.SUSPECT;
        member.incarnation = accusation.incarnation();
        member.accusation = accusation;
        member.suspicion = new Suspicion(accusation.incarnation(), accusation.accuser(), now(), config, liveCount + 1);
        arm(member);
        updates.add(accusation);
        listener.memberSuspected(accusation.subject(), accusation.incarnation(), accusation.accuser());
    }

    /** (Re)schedules the suspicion's timeout at its current deadline. */
    private void arm(Member member) {
        Suspicion suspicion = member.suspicion;
        cancel(suspicion.timer);
        PkiId id = member.record.peer();
        suspicion.timer = runtime.scheduler().schedule(Math.max(0, suspicion.deadlineMillis() - now()),
                () -> onSuspicionTimeout(id, suspicion));
    }

    private void onSuspicionTimeout(PkiId id, Suspicion suspicion) {
        Member member = members.get(id);
        if (member == null || member.suspicion != suspicion) {
            return;
        }
        suspicion.timer = null;
        // K independent accusers are decisive (each saw a direct and an indirect probe fail); fewer get a last probe.
        if (config.probeBeforeDeath() && !suspicion.finalProbeSent && !suspicion.isFull()) {
            suspicion.finalProbeSent = true;
            counters.increment(Counter.FINAL_PROBES);
            startProbe(id, suspicion);
            return;
        }
        declareDead(member);
    }

    private void declareDead(Member member) {
        counters.increment(Counter.DEATHS_DECLARED);
        die(member, Accusation.sign(Accusation.Charge.DEAD, member.record.peer(), member.incarnation, self, authenticator));
    }

    // ---- state changes ----

    private void learn(AliveRecord record, boolean randomPlace) {
        Member member = new Member(record);
        members.put(record.peer(), member);
        becameLive(record.peer(), randomPlace);
        counters.increment(Counter.MEMBERS_JOINED);
        listener.memberAlive(record);
    }

    private void revive(Member member, AliveRecord record) {
        dead.remove(record.peer());
        cancel(member.forgetTimer);
        member.forgetTimer = null;
        member.record = record;
        member.status = MemberStatus.ALIVE;
        member.incarnation = record.incarnation();
        member.accusation = null;
        becameLive(record.peer(), true);
        counters.increment(Counter.REVIVALS);
        listener.memberAlive(record);
    }

    /** A suspect member proved alive with a higher incarnation. */
    private void refuted(Member member, AliveRecord record) {
        if (member.suspicion.isAccuser(self)) {
            counters.increment(Counter.FALSE_SUSPICIONS);
        }
        member.suspicion.cancel();
        member.suspicion = null;
        member.record = record;
        member.status = MemberStatus.ALIVE;
        member.incarnation = record.incarnation();
        member.accusation = null;
        counters.increment(Counter.SUSPICIONS_REFUTED);
        listener.memberAlive(record);
    }

    private void die(Member member, Accusation accusation) {
        if (member.suspicion != null) {
            member.suspicion.cancel();
            member.suspicion = null;
        }
        PkiId id = member.record.peer();
        member.status = MemberStatus.DEAD;
        member.incarnation = accusation.incarnation();
        member.accusation = accusation;
        dead.add(id);
        liveCount--;
        liveView = null;
        if (!member.record.isAnchor()) {
            member.forgetTimer = runtime.scheduler().schedule(config.deadRetentionMillis(), () -> forget(id, member));
        }
        updates.add(accusation);
        listener.memberDead(id, accusation.incarnation(), accusation.accuser());
    }

    private void forget(PkiId id, Member member) {
        if (members.get(id) != member || member.status != MemberStatus.DEAD) {
            return;
        }
        members.remove(id);
        dead.remove(id);
        updates.remove(id);
        counters.increment(Counter.MEMBERS_FORGOTTEN);
        listener.memberForgotten(id);
    }

    private void becameLive(PkiId id, boolean randomPlace) {
        liveCount++;
        liveView = null;
        // Into the rest of this round at a random place (SWIM), so a joiner is probed within the round.
        int place = randomPlace ? probeCursor + runtime.random().nextInt(probeOrder.size() - probeCursor + 1)
                : probeOrder.size();
        probeOrder.add(place, id);
    }

    /** Answers an accusation of this member's incarnation (or a newer record of it) with a higher incarnation. */
    private void refute(long accusedIncarnation) {
        long incarnation = Math.max(selfRecord.incarnation(), accusedIncarnation) + 1;
        selfRecord = AliveRecord.sign(self, local.organization(), local.internalEndpoint(), local.externalEndpoint(),
                incarnation, 0, selfRecord.metadata(), authenticator);
        counters.increment(Counter.REFUTATIONS);
        updates.add(selfRecord);
    }

    // ---- dissemination ----

    /**
     * Updates to piggyback on a message to {@code to}: if {@code to} is suspect or dead here, first the
     * accusation itself (Lifeguard's buddy system: a member probed while suspected learns it and refutes),
     * then the queued updates sent fewest times.
     */
    private List<MemberUpdate> piggyback(PkiId to) {
        Member member = members.get(to);
        Accusation buddy = member != null && member.status != MemberStatus.ALIVE ? member.accusation : null;
        int limit = config.retransmitLimit(liveCount + 1);
        List<MemberUpdate> queued = updates.take(buddy == null ? config.piggybackUpdatesMax()
                : config.piggybackUpdatesMax() - 1, limit);
        List<MemberUpdate> result = queued;
        if (buddy != null) {
            result = new ArrayList<>(queued.size() + 1);
            result.add(buddy);
            for (MemberUpdate update : queued) {
                if (update != buddy) {
                    result.add(update);
                }
            }
        }
        counters.add(Counter.UPDATES_SENT, result.size());
        return result;
    }

    private void gossipRound() {
        if (updates.isEmpty()) {
            return;
        }
        for (PkiId target : liveView().sample(runtime.random(), config.gossipFanout(), null)) {
            List<MemberUpdate> batch = piggyback(target);
            if (batch.isEmpty()) {
                break;
            }
            transport.send(target, new SwimMessage.Gossip(batch));
        }
    }

    /** Pings the next dead member in turn, carrying its death notice, so a live one refutes and comes back. */
    private void probeDead() {
        if (dead.isEmpty()) {
            return;
        }
        PkiId next = lastDeadProbed == null ? null : dead.higher(lastDeadProbed);
        if (next == null) {
            next = dead.first();
        }
        lastDeadProbed = next;
        counters.increment(Counter.DEAD_PROBES);
        transport.send(next, new SwimMessage.Ping(nextProbeId++, piggyback(next)));
    }

    private void syncRound() {
        for (PkiId target : liveView().sample(runtime.random(), 1, null)) {
            counters.increment(Counter.SYNCS_SENT);
            transport.send(target, new SwimMessage.Sync(table(), true));
        }
    }

    /** This member's record and those of every live member it knows, in PKI-ID order. */
    private List<AliveRecord> table() {
        List<AliveRecord> table = new ArrayList<>(liveCount + 1);
        table.add(selfRecord);
        for (Member member : members.values()) {
            if (member.status.isLive()) {
                table.add(member.record);
            }
        }
        return table;
    }

    // ---- helpers ----

    private void reject(PkiId from, Rejection reason, String detail) {
        counters.reject(reason);
        listener.updateRejected(from, reason, detail);
    }

    private void shuffle(List<PkiId> list, int from) {
        for (int i = list.size() - 1; i > from; i--) {
            int j = from + runtime.random().nextInt(i - from + 1);
            PkiId swap = list.get(i);
            list.set(i, list.get(j));
            list.set(j, swap);
        }
    }

    private long now() {
        return runtime.clock().nowMillis();
    }

    private static void cancel(Scheduler.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    private PeerSet liveView() {
        if (liveView == null) {
            List<PkiId> live = new ArrayList<>(liveCount);
            for (Map.Entry<PkiId, Member> entry : members.entrySet()) {
                if (entry.getValue().status.isLive()) {
                    live.add(entry.getKey());
                }
            }
            liveView = PeerSet.of(live);
        }
        return liveView;
    }

    // ---- the view, for gossip and tests ----

    @Override
    public PkiId self() {
        return self;
    }

    /** Live members (alive or suspect), self excluded, in PKI-ID order. */
    @Override
    public PeerSet neighbours() {
        return liveView();
    }

    @Override
    public Optional<String> organization(PkiId peer) {
        if (peer.equals(self)) {
            return Optional.of(selfRecord.organization());
        }
        Member member = members.get(peer);
        return member == null ? Optional.empty() : Optional.of(member.record.organization());
    }

    /** The status of {@code peer} in this view; empty if it is unknown (or forgotten). */
    public Optional<MemberStatus> status(PkiId peer) {
        Member member = members.get(peer);
        return member == null ? Optional.empty() : Optional.of(member.status);
    }

    /** The newest alive record held for {@code peer} (this member's own for itself). */
    public Optional<AliveRecord> record(PkiId peer) {
        if (peer.equals(self)) {
            return Optional.of(selfRecord);
        }
        Member member = members.get(peer);
        return member == null ? Optional.empty() : Optional.of(member.record);
    }

    public AliveRecord selfRecord() {
        return selfRecord;
    }

    /** Live members known, self excluded. */
    public int liveMembers() {
        return liveCount;
    }

    /** Members known in any status, self excluded. */
    public int knownMembers() {
        return members.size();
    }

    /** Updates waiting to be piggybacked. */
    public int pendingUpdates() {
        return updates.size();
    }

    public SwimCounters counters() {
        return counters;
    }

    public SwimConfig config() {
        return config;
    }

    public boolean isRunning() {
        return running;
    }
}
