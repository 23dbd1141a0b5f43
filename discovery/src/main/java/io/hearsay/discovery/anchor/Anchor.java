package io.hearsay.discovery.anchor;

import io.hearsay.discovery.anchor.AnchorCounters.Counter;
import io.hearsay.discovery.anchor.AnchorCounters.Rejection;
import io.hearsay.discovery.anchor.AnchorMessage.Announcement;
import io.hearsay.discovery.anchor.AnchorMessage.Attach;
import io.hearsay.discovery.anchor.AnchorMessage.AttachReply;
import io.hearsay.discovery.anchor.AnchorMessage.Detach;
import io.hearsay.discovery.anchor.AnchorMessage.Heartbeat;
import io.hearsay.discovery.anchor.AnchorMessage.HeartbeatAck;
import io.hearsay.discovery.anchor.AnchorMessage.JoinReply;
import io.hearsay.discovery.anchor.AnchorMessage.JoinRequest;
import io.hearsay.discovery.runtime.MessageHandler;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.discovery.runtime.SenderRateLimiter;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * An anchor (super-node): the peers of the network attach to it, and it keeps, with every other anchor, the
 * list of anchors with their loads and children. A deterministic state machine driven by messages and its
 * announce timer.
 *
 * <pre>
 *   joiner                 anchor A                       other anchors
 *     │ JoinRequest ──────▶ │ (token bucket per sender)
 *     │ ◀────── JoinReply   │ live anchors + loads
 *     │ Attach ───────────▶ │ children += joiner
 *     │ ◀── AttachReply ok  │
 *     │ Heartbeat ────────▶ │ (every heartbeatInterval)   every announceInterval:
 *     │ ◀─── HeartbeatAck   │ ─── Announcement(org, A, incarnation, seq, children) ──▶ every roster anchor
 *                                   (and early, when the load moved by announceLoadChange)
 * </pre>
 *
 * An announcement is accepted only from the anchor it describes and only if the roster (the channel
 * configuration) names that anchor for that organisation; anything else is a false anchor claim, refused,
 * counted and reported to the {@link AnchorListener}. Anchors are few (a handful per organisation), so each tells
 * every other directly rather than through relays, which would need every announcement signed by its subject.
 * Children not heard from for {@code childTimeoutMillis} are dropped, so loads stay true.
 *
 * <p>Not thread-safe: one serial context.
 */
public final class Anchor implements MessageHandler<AnchorMessage> {
    /** What an anchor acts through. */
    public record Collaborators(PeerRuntime runtime, Transport<AnchorMessage> transport, AnchorListener listener) {
        public Collaborators(PeerRuntime runtime, Transport<AnchorMessage> transport) {
            this(runtime, transport, AnchorListener.NONE);
        }
    }

    private final PkiId self;
    private final String organization;
    private final AnchorRoster roster;
    private final JoinConfig config;
    private final PeerRuntime runtime;
    private final Transport<AnchorMessage> transport;
    private final AnchorListener listener;
    private final long incarnation;
    private final SenderRateLimiter rateLimiter;
    private final AnchorDirectory directory = new AnchorDirectory();
    private final AnchorCounters counters = new AnchorCounters();
    /** Child → when it was last heard; sorted, so the announced list and expiry are in PKI-ID order. */
    private final TreeMap<PkiId, Long> children = new TreeMap<>();
    private long sequence;
    private Scheduler.Timer announceTimer;
    private Scheduler.Timer earlyAnnounceTimer;
    private long lastAnnouncedAtMillis = Long.MIN_VALUE / 2;
    private int lastAnnouncedLoad;
    private boolean running;

    /**
     * @param incarnation grows with every start of this anchor (the node passes its start time, in ms since the
     *     epoch), so other anchors take a restarted anchor's announcements, whose sequence starts again at 1
     */
    public Anchor(PkiId self, String organization, long incarnation, AnchorRoster roster, JoinConfig config,
            Collaborators collaborators) {
        if (!roster.isAnchorOf(organization, self)) {
            throw new IllegalArgumentException("peer " + self + " is not named as an anchor of " + organization
                    + " in the channel configuration; add it to the organisation's anchor peers or run it as an"
                    + " ordinary peer");
        }
        this.self = self;
        this.organization = organization;
        this.roster = roster;
        this.config = config;
        this.runtime = collaborators.runtime();
        this.transport = collaborators.transport();
        this.listener = collaborators.listener();
        this.incarnation = incarnation;
        this.rateLimiter = new SenderRateLimiter(config.joinRequestsPerSecond(), config.joinBurst(),
                config.rateLimitedSendersMax());
    }

    /** Starts announcing; the first announcement goes out at once, so other anchors learn of this one. */
    public void start() {
        running = true;
        announce();
    }

    /** Stops the timers (a crash in the simulator, a shutdown in the node). */
    public void stop() {
        running = false;
        if (announceTimer != null) {
            announceTimer.cancel();
        }
        if (earlyAnnounceTimer != null) {
            earlyAnnounceTimer.cancel();
        }
    }

    @Override
    public void onMessage(PkiId from, AnchorMessage message) {
        if (!running) {
            return;
        }
        if (message instanceof JoinRequest) {
            onJoinRequest(from);
        } else if (message instanceof Attach) {
            onAttach(from);
        } else if (message instanceof Detach) {
            onDetach(from);
        } else if (message instanceof Heartbeat) {
            onHeartbeat(from);
        } else if (message instanceof Announcement announcement) {
            onAnnouncement(from, announcement);
        } else {
            // Replies are for ordinary peers; an anchor never asked.
            reject(from, Rejection.UNEXPECTED_PEER, "an anchor takes no " + message.getClass().getSimpleName());
        }
    }

    private void onJoinRequest(PkiId from) {
        if (!rateLimiter.tryAcquire(from, runtime.clock().nowMillis())) {
            reject(from, Rejection.JOIN_FLOOD, "join request over " + config.joinRequestsPerSecond() + "/s, burst "
                    + config.joinBurst());
            return;
        }
        counters.increment(Counter.JOIN_REQUESTS_SERVED);
        transport.send(from, new JoinReply(liveAnchors()));
    }

    private void onAttach(PkiId from) {
        if (children.containsKey(from)) {
            // A retried attach whose reply was lost: answer again, no new token needed.
            children.put(from, runtime.clock().nowMillis());
            transport.send(from, new AttachReply(true, ""));
            return;
        }
        if (!rateLimiter.tryAcquire(from, runtime.clock().nowMillis())) {
            reject(from, Rejection.JOIN_FLOOD, "attach over " + config.joinRequestsPerSecond() + "/s, burst "
                    + config.joinBurst());
            return;
        }
        if (children.size() >= config.childrenMax()) {
            reject(from, Rejection.ANCHOR_FULL, config.childrenMax() + " peers attached (childrenMax)");
            transport.send(from, new AttachReply(false, "anchor full: " + config.childrenMax() + " peers attached"));
            return;
        }
        children.put(from, runtime.clock().nowMillis());
        counters.increment(Counter.ATTACHES_ACCEPTED);
        publishSelf();
        transport.send(from, new AttachReply(true, ""));
        loadChanged();
    }

    private void onDetach(PkiId from) {
        if (children.remove(from) == null) {
            reject(from, Rejection.UNEXPECTED_PEER, "detach from a peer that is not attached");
            return;
        }
        publishSelf();
        loadChanged();
    }

    private void onHeartbeat(PkiId from) {
        boolean attached = children.containsKey(from);
        if (attached) {
            children.put(from, runtime.clock().nowMillis());
        } else {
            reject(from, Rejection.UNEXPECTED_PEER, "heartbeat from a peer that is not attached; told to re-attach");
        }
        transport.send(from, new HeartbeatAck(attached));
    }

    private void onAnnouncement(PkiId from, Announcement announcement) {
        if (!from.equals(announcement.anchor())) {
            reject(from, Rejection.FALSE_ANCHOR_CLAIM, "announcement for anchor " + announcement.anchor()
                    + " sent by another peer");
            return;
        }
        if (!roster.isAnchorOf(announcement.organization(), from)) {
            reject(from, Rejection.FALSE_ANCHOR_CLAIM, "the channel configuration does not name it as an anchor of "
                    + announcement.organization());
            return;
        }
        if (!directory.isNewer(from, announcement.incarnation(), announcement.sequence())) {
            reject(from, Rejection.STALE_ANNOUNCEMENT, "announcement " + announcement.incarnation() + "/"
                    + announcement.sequence() + " is not newer than the one held");
            return;
        }
        counters.increment(Counter.ANNOUNCEMENTS_ACCEPTED);
        directory.update(from, announcement.organization(), announcement.incarnation(), announcement.sequence(),
                announcement.children(), runtime.clock().nowMillis());
    }

    /** Drops expired children, refreshes its own entry and tells every other anchor of the roster. */
    private void announce() {
        if (!running) {
            return;
        }
        expireChildren();
        sendAnnouncement();
        announceTimer = runtime.scheduler().schedule(config.announceIntervalMillis(), this::announce);
    }

    /** Announces early when the load moved by announceLoadChange, so joiners do not herd on stale loads. */
    private void loadChanged() {
        if (earlyAnnounceTimer != null || Math.abs(children.size() - lastAnnouncedLoad) < config.announceLoadChange()) {
            return;
        }
        long wait = Math.max(0, lastAnnouncedAtMillis + config.announceMinIntervalMillis() - runtime.clock().nowMillis());
        earlyAnnounceTimer = runtime.scheduler().schedule(wait, () -> {
            earlyAnnounceTimer = null;
            if (running) {
                sendAnnouncement();
            }
        });
    }

    private void sendAnnouncement() {
        publishSelf();
        lastAnnouncedAtMillis = runtime.clock().nowMillis();
        lastAnnouncedLoad = children.size();
        Announcement announcement = new Announcement(organization, self, incarnation, sequence,
                List.copyOf(children.keySet()));
        for (PkiId anchor : roster.anchors()) {
            if (!anchor.equals(self)) {
                transport.send(anchor, announcement);
                counters.increment(Counter.ANNOUNCEMENTS_SENT);
            }
        }
    }

    private void expireChildren() {
        long now = runtime.clock().nowMillis();
        List<PkiId> expired = new ArrayList<>();
        children.forEach((child, heard) -> {
            if (now - heard > config.childTimeoutMillis()) {
                expired.add(child);
            }
        });
        for (PkiId child : expired) {
            children.remove(child);
            counters.increment(Counter.CHILDREN_EXPIRED);
        }
    }

    /** Its own entry in its directory is always current: a join reply carries this anchor's true load. */
    private void publishSelf() {
        sequence++;
        directory.update(self, organization, incarnation, sequence, List.copyOf(children.keySet()),
                runtime.clock().nowMillis());
    }

    private List<AnchorLoad> liveAnchors() {
        return directory.liveAnchors(runtime.clock().nowMillis(), config.anchorTimeoutMillis());
    }

    private void reject(PkiId from, Rejection reason, String detail) {
        counters.reject(reason);
        listener.rejected(from, reason, detail);
    }

    /** Whether {@code peer} is attached to this anchor now. */
    public boolean isChild(PkiId peer) {
        return children.containsKey(peer);
    }

    /** The live anchors other than this one that {@code peer} is attached to, in PKI-ID order. */
    public List<PkiId> anchorsOf(PkiId peer) {
        List<PkiId> anchors = new ArrayList<>(directory.anchorsOf(peer, runtime.clock().nowMillis(),
                config.anchorTimeoutMillis()));
        anchors.remove(self);
        return anchors;
    }

    /** Whether {@code peer} is an anchor this one has heard from recently. */
    public boolean isLiveAnchor(PkiId peer) {
        return directory.isLiveAnchor(peer, runtime.clock().nowMillis(), config.anchorTimeoutMillis());
    }

    /** The peers attached now, in PKI-ID order. */
    public List<PkiId> children() {
        return List.copyOf(children.keySet());
    }

    public int load() {
        return children.size();
    }

    public List<AnchorLoad> knownAnchors() {
        return liveAnchors();
    }

    public PkiId self() {
        return self;
    }

    public AnchorCounters counters() {
        return counters;
    }
}
