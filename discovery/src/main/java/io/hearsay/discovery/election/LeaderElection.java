package io.hearsay.discovery.election;

import io.hearsay.discovery.runtime.MessageHandler;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Leader election within one organisation: which peer(s) take blocks from the orderer. Unlike Fabric's
 * lowest-PKI-ID rule, which lets a peer far behind lead peers far ahead (RFC 0011, "starvation"), candidates are
 * ranked by ledger height first, PKI-ID second:
 *
 * <pre>
 *   rank:      higher ledger height first; equal heights by lower PKI-ID
 *   eligible:  this peer + live peers of the org (view), minus peers presumed failed
 *
 *   follower ──(I am in the top k of eligible, and fewer than k leaders declare,
 *               or a declaring leader is strictly behind me)──────────────► leader
 *   leader   ──(k eligible peers strictly ahead of me, or more than k leaders
 *               declare and k of the others rank better)── resign ────────► follower
 *
 *   leader  ── declare(leading, height) every heartbeat ──► every live org peer
 *   follower: a leader silent for leaderTimeout, or declared dead by membership, is presumed failed;
 *             a vacancy no better candidate fills within leaderTimeout presumes that candidate failed too
 * </pre>
 *
 * An incumbent is not displaced by an equal-height peer with a lower PKI-ID, only by one strictly ahead, so
 * leadership does not flap as followers catch up. A peer presumed failed is eligible again once it is heard
 * from or membership reports it alive.
 *
 * <p>Single-threaded: every method runs on the peer's serial context; time, timers and randomness come from the
 * injected {@link PeerRuntime}.
 */
public final class LeaderElection implements MessageHandler<ElectionMessage> {
    /** The collaborators, grouped so the constructor stays short. */
    public record Collaborators(PeerRuntime runtime, Transport<ElectionMessage> transport, OrganizationView view,
            ElectionListener listener) {
        public Collaborators {
            Objects.requireNonNull(runtime, "runtime");
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(view, "view");
            Objects.requireNonNull(listener, "listener");
        }
    }

    private final ElectionConfig config;
    private final PkiId self;
    private final Collaborators collaborators;
    /** Other peers declaring leadership: when each was last heard. Sorted, so decisions iterate in one order. */
    private final TreeMap<PkiId, Long> leaderHeardMillis = new TreeMap<>();
    /** The last height each peer declared; merged with the view's, which may lag behind it. */
    private final TreeMap<PkiId, Long> declaredHeights = new TreeMap<>();
    private final TreeSet<PkiId> presumedFailed = new TreeSet<>();
    private boolean leading;
    private boolean running;
    private long startedAtMillis;
    private long vacantSinceMillis = -1;
    private Scheduler.Timer tickTimer;
    private Scheduler.Timer expiryTimer;
    private long ignoredMessages;

    public LeaderElection(ElectionConfig config, PkiId self, Collaborators collaborators) {
        this.config = Objects.requireNonNull(config, "config");
        this.self = Objects.requireNonNull(self, "self");
        this.collaborators = Objects.requireNonNull(collaborators, "collaborators");
    }

    /** Starts: a static leader leads at once; a dynamic peer ticks from a random phase so peers do not tick in step. */
    public void start() {
        if (running) {
            throw new IllegalStateException("already started");
        }
        running = true;
        startedAtMillis = now();
        if (config.isStatic()) {
            if (config.staticLeaders().contains(self)) {
                becomeLeader();
            }
            return;
        }
        long phase = collaborators.runtime().random().nextLong(0, config.heartbeatIntervalMillis());
        tickTimer = collaborators.runtime().scheduler().schedule(phase, this::tick);
    }

    /** Stops all timers; a leader stops leading without telling anyone (as a crash would). */
    public void stop() {
        running = false;
        cancel(tickTimer);
        cancel(expiryTimer);
        tickTimer = null;
        expiryTimer = null;
        if (leading) {
            leading = false;
            collaborators.listener().onLostLeadership();
        }
    }

    public boolean isLeader() {
        return leading;
    }

    /** The leaders this peer believes in now: itself if leading, and every other peer whose declaration is fresh. */
    public SortedSet<PkiId> leaders() {
        if (config.isStatic()) {
            return config.staticLeaders();
        }
        TreeSet<PkiId> leaders = new TreeSet<>(leaderHeardMillis.keySet());
        if (leading) {
            leaders.add(self);
        }
        return Collections.unmodifiableSortedSet(leaders);
    }

    /** Declarations ignored because the sender is not a live peer of this organisation in the view. */
    public long ignoredMessages() {
        return ignoredMessages;
    }

    @Override
    public void onMessage(PkiId from, ElectionMessage message) {
        if (!running || config.isStatic() || from.equals(self)) {
            return;
        }
        if (!collaborators.view().livePeerHeights().containsKey(from)) {
            // Another org's peer, or one membership holds dead: it does not lead us.
            ignoredMessages++;
            return;
        }
        presumedFailed.remove(from);
        declaredHeights.merge(from, message.ledgerHeight(), Math::max);
        if (message.leading()) {
            leaderHeardMillis.put(from, now());
            scheduleExpiry();
        } else {
            leaderHeardMillis.remove(from);
        }
        evaluate();
    }

    /** Membership declared {@code peer} dead: stop waiting for its declarations. */
    public void onPeerDead(PkiId peer) {
        if (!running || peer.equals(self)) {
            return;
        }
        leaderHeardMillis.remove(peer);
        presumedFailed.add(peer);
        evaluate();
    }

    /** Membership holds {@code peer} alive (again): it is a candidate. */
    public void onPeerAlive(PkiId peer) {
        presumedFailed.remove(peer);
        if (running) {
            evaluate();
        }
    }

    /** This peer's or a peer's ledger height changed: apply the rule now rather than at the next tick. */
    public void onHeightsChanged() {
        if (running) {
            evaluate();
        }
    }

    private void tick() {
        if (!running) {
            return;
        }
        evaluate();
        if (leading) {
            declare(true);
        }
        tickTimer = collaborators.runtime().scheduler().schedule(config.heartbeatIntervalMillis(), this::tick);
    }

    /** The rule; see the class comment. */
    private void evaluate() {
        if (config.isStatic() || !running) {
            return;
        }
        long now = now();
        expireSilentLeaders(now);
        TreeMap<PkiId, Long> eligible = eligibleHeights();
        long myHeight = collaborators.view().localHeight();
        int k = config.leadersPerOrganization();
        if (leading) {
            int ahead = 0;
            for (long height : eligible.values()) {
                if (height > myHeight) {
                    ahead++;
                }
            }
            int betterLeaders = 0;
            for (PkiId leader : leaderHeardMillis.keySet()) {
                if (ranksBefore(leader, heightOf(leader, eligible), self, myHeight)) {
                    betterLeaders++;
                }
            }
            if (ahead >= k || (leaderHeardMillis.size() + 1 > k && betterLeaders >= k)) {
                stepDown();
            }
        } else if (now - startedAtMillis >= config.startupGraceMillis()) {
            List<PkiId> better = new ArrayList<>();
            for (Map.Entry<PkiId, Long> entry : eligible.entrySet()) {
                if (ranksBefore(entry.getKey(), entry.getValue(), self, myHeight)) {
                    better.add(entry.getKey());
                }
            }
            boolean vacancy = leaderHeardMillis.size() < k;
            if (better.size() < k) {
                boolean leaderBehindMe = false;
                for (PkiId leader : leaderHeardMillis.keySet()) {
                    leaderBehindMe |= heightOf(leader, eligible) < myHeight;
                }
                if (vacancy || leaderBehindMe) {
                    becomeLeader();
                }
            } else if (vacancy) {
                presumeSilentCandidatesFailed(now, better, eligible);
            }
        }
        if ((leading ? leaderHeardMillis.size() + 1 : leaderHeardMillis.size()) >= k) {
            vacantSinceMillis = -1;
        }
    }

    /**
     * A vacancy that the candidates ranked above this peer have not filled within a timeout: presume the best of
     * them that do not lead failed (they may have crashed before ever declaring), so the rule moves on.
     */
    private void presumeSilentCandidatesFailed(long now, List<PkiId> better, Map<PkiId, Long> eligible) {
        if (vacantSinceMillis < 0) {
            vacantSinceMillis = now;
            return;
        }
        if (now - vacantSinceMillis < config.leaderTimeoutMillis()) {
            return;
        }
        better.sort((a, b) -> ranksBefore(a, eligible.get(a), b, eligible.get(b)) ? -1 : a.equals(b) ? 0 : 1);
        int missing = config.leadersPerOrganization() - leaderHeardMillis.size();
        for (PkiId candidate : better) {
            if (missing == 0) {
                break;
            }
            if (!leaderHeardMillis.containsKey(candidate)) {
                presumedFailed.add(candidate);
                missing--;
            }
        }
        vacantSinceMillis = now;
        evaluate();
    }

    /** Live peers of the org not presumed failed, each at the higher of its view height and declared height. */
    private TreeMap<PkiId, Long> eligibleHeights() {
        TreeMap<PkiId, Long> eligible = new TreeMap<>();
        for (Map.Entry<PkiId, Long> entry : collaborators.view().livePeerHeights().entrySet()) {
            PkiId peer = entry.getKey();
            if (!peer.equals(self) && !presumedFailed.contains(peer)) {
                eligible.put(peer, Math.max(entry.getValue(), declaredHeights.getOrDefault(peer, 0L)));
            }
        }
        return eligible;
    }

    private long heightOf(PkiId peer, Map<PkiId, Long> eligible) {
        Long height = eligible.get(peer);
        return height != null ? height : declaredHeights.getOrDefault(peer, 0L);
    }

    /** Whether {@code a} ranks before {@code b}: higher height, then lower PKI-ID. */
    static boolean ranksBefore(PkiId a, long heightA, PkiId b, long heightB) {
        return heightA != heightB ? heightA > heightB : a.compareTo(b) < 0;
    }

    private void expireSilentLeaders(long now) {
        List<PkiId> silent = new ArrayList<>();
        for (Map.Entry<PkiId, Long> entry : leaderHeardMillis.entrySet()) {
            if (now - entry.getValue() >= config.leaderTimeoutMillis()) {
                silent.add(entry.getKey());
            }
        }
        for (PkiId leader : silent) {
            leaderHeardMillis.remove(leader);
            presumedFailed.add(leader);
        }
    }

    /** One timer for the earliest leader deadline; when it fires it expires and re-arms for the next. */
    private void scheduleExpiry() {
        if (expiryTimer != null || leaderHeardMillis.isEmpty()) {
            return;
        }
        long earliest = Collections.min(leaderHeardMillis.values());
        long delay = Math.max(0, earliest + config.leaderTimeoutMillis() - now());
        expiryTimer = collaborators.runtime().scheduler().schedule(delay, () -> {
            expiryTimer = null;
            if (running) {
                evaluate();
                scheduleExpiry();
            }
        });
    }

    private void becomeLeader() {
        leading = true;
        vacantSinceMillis = -1;
        collaborators.listener().onBecameLeader();
        if (!config.isStatic()) {
            declare(true);
        }
    }

    private void stepDown() {
        leading = false;
        collaborators.listener().onLostLeadership();
        declare(false);
    }

    private void declare(boolean leadingNow) {
        ElectionMessage message = new ElectionMessage(leadingNow, collaborators.view().localHeight());
        for (PkiId peer : collaborators.view().livePeerHeights().keySet()) {
            if (!peer.equals(self)) {
                collaborators.transport().send(peer, message);
            }
        }
    }

    private long now() {
        return collaborators.runtime().clock().nowMillis();
    }

    private static void cancel(Scheduler.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }
}
