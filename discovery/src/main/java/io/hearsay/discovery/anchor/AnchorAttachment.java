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
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.identity.PkiId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * An ordinary peer's side of joining: it asks any anchor it knows for the anchor list, attaches to the
 * {@code parents} least loaded (ties broken by its seeded random source, so joiners that see the same loads
 * spread out), heartbeats each parent, and replaces a parent whose acknowledgements stop.
 *
 * <pre>
 *   start / parent lost / below target
 *        │
 *        ▼
 *   ask anchors ── JoinRequest to a parent first, then the roster's anchors in random order ──┐
 *        │ JoinReply (entries the roster does not name are refused: false anchor claims)     │ no answer in
 *        ▼                                                                                   │ requestTimeout:
 *   attach to least loaded ── Attach; refused or no answer → next candidate                  │ next anchor;
 *        │ AttachReply ok                                                                    │ all tried →
 *        ▼                                                                                   │ wait rejoinBackoff
 *   attached ── Heartbeat every heartbeatInterval; no ack for parentTimeout → parent lost ───┘
 * </pre>
 *
 * <p>Not thread-safe: one serial context.
 */
public final class AnchorAttachment implements MessageHandler<AnchorMessage> {
    /** What an attached peer acts through. */
    public record Collaborators(PeerRuntime runtime, Transport<AnchorMessage> transport, AttachmentListener listener) {}

    private final PkiId self;
    private final AnchorRoster roster;
    private final JoinConfig config;
    private final PeerRuntime runtime;
    private final Transport<AnchorMessage> transport;
    private final AttachmentListener listener;
    private final AnchorCounters counters = new AnchorCounters();
    /** Parent → when it last acknowledged. */
    private final TreeMap<PkiId, Long> parents = new TreeMap<>();
    private final TreeMap<PkiId, Scheduler.Timer> pendingAttaches = new TreeMap<>();
    private final ArrayDeque<PkiId> candidates = new ArrayDeque<>();
    private final ArrayDeque<PkiId> contacts = new ArrayDeque<>();
    private PkiId contact;
    private Scheduler.Timer contactTimer;
    private Scheduler.Timer heartbeatTimer;
    private Scheduler.Timer retryTimer;
    private long lastRequestMillis = Long.MIN_VALUE / 2;
    private boolean running;

    public AnchorAttachment(PkiId self, AnchorRoster roster, JoinConfig config, Collaborators collaborators) {
        this.self = self;
        this.roster = roster;
        this.config = config;
        this.runtime = collaborators.runtime();
        this.transport = collaborators.transport();
        this.listener = collaborators.listener();
    }

    /** Joins: asks an anchor for the list and starts heartbeating. */
    public void start() {
        running = true;
        requestAnchors();
        heartbeatTimer = runtime.scheduler().schedule(config.heartbeatIntervalMillis(), this::tick);
    }

    /** Leaves: tells each parent, and stops every timer. */
    public void stop() {
        for (PkiId parent : parents.keySet()) {
            transport.send(parent, new Detach());
        }
        halt();
    }

    /** Stops every timer without a word to anyone (a crash). */
    public void halt() {
        running = false;
        cancel(contactTimer);
        cancel(heartbeatTimer);
        cancel(retryTimer);
        pendingAttaches.values().forEach(Scheduler.Timer::cancel);
    }

    @Override
    public void onMessage(PkiId from, AnchorMessage message) {
        if (!running) {
            return;
        }
        if (message instanceof JoinReply reply) {
            onJoinReply(from, reply);
        } else if (message instanceof AttachReply reply) {
            onAttachReply(from, reply);
        } else if (message instanceof HeartbeatAck ack) {
            onHeartbeatAck(from, ack);
        } else if (message instanceof Announcement) {
            // Only anchors take announcements; one sent to an ordinary peer claims an anchor's role.
            reject(from, Rejection.FALSE_ANCHOR_CLAIM, "announcement sent to an ordinary peer");
        } else {
            reject(from, Rejection.UNEXPECTED_PEER, "an ordinary peer takes no " + message.getClass().getSimpleName());
        }
    }

    // ---- asking for the anchor list ----

    private void requestAnchors() {
        if (contact != null) {
            return;
        }
        contacts.clear();
        contacts.addAll(parents.keySet());
        List<PkiId> others = new ArrayList<>();
        for (PkiId anchor : roster.anchors()) {
            if (!anchor.equals(self) && !parents.containsKey(anchor)) {
                others.add(anchor);
            }
        }
        shuffle(others);
        contacts.addAll(others);
        lastRequestMillis = runtime.clock().nowMillis();
        nextContact();
    }

    private void nextContact() {
        contact = contacts.poll();
        if (contact == null) {
            counters.increment(Counter.JOIN_ROUNDS_FAILED);
            listener.onJoinRoundFailed();
            cancel(retryTimer);
            retryTimer = runtime.scheduler().schedule(config.rejoinBackoffMillis(), () -> {
                if (running && parents.size() < config.parents()) {
                    requestAnchors();
                }
            });
            return;
        }
        counters.increment(Counter.JOIN_REQUESTS_SENT);
        transport.send(contact, new JoinRequest());
        PkiId asked = contact;
        contactTimer = runtime.scheduler().schedule(config.requestTimeoutMillis(), () -> {
            if (running && asked.equals(contact)) {
                nextContact();
            }
        });
    }

    private void onJoinReply(PkiId from, JoinReply reply) {
        if (!from.equals(contact)) {
            reject(from, Rejection.UNEXPECTED_PEER, "join reply from a peer not asked (or answered late)");
            return;
        }
        cancel(contactTimer);
        contact = null;
        contacts.clear();
        List<AnchorLoad> usable = new ArrayList<>();
        for (AnchorLoad entry : reply.anchors()) {
            if (!roster.isAnchorOf(entry.organization(), entry.anchor())) {
                reject(from, Rejection.FALSE_ANCHOR_CLAIM, "join reply lists " + entry.anchor() + " as an anchor of "
                        + entry.organization() + ", which the channel configuration does not");
            } else if (!entry.anchor().equals(self) && !parents.containsKey(entry.anchor())
                    && !pendingAttaches.containsKey(entry.anchor())) {
                usable.add(entry);
            }
        }
        // Shuffle, then a stable sort by load: equal loads end up in random order, so joiners that see the same
        // reply do not all pick the same anchor.
        shuffle(usable);
        usable.sort(Comparator.comparingInt(AnchorLoad::attachedPeers));
        candidates.clear();
        usable.forEach(entry -> candidates.add(entry.anchor()));
        attachMore();
    }

    // ---- attaching ----

    private void attachMore() {
        while (parents.size() + pendingAttaches.size() < config.parents() && !candidates.isEmpty()) {
            PkiId candidate = candidates.poll();
            counters.increment(Counter.ATTACHES_SENT);
            transport.send(candidate, new Attach());
            pendingAttaches.put(candidate, runtime.scheduler().schedule(config.requestTimeoutMillis(), () -> {
                if (running && pendingAttaches.remove(candidate) != null) {
                    attachMore();
                }
            }));
        }
    }

    private void onAttachReply(PkiId from, AttachReply reply) {
        Scheduler.Timer timer = pendingAttaches.remove(from);
        if (timer == null) {
            reject(from, Rejection.UNEXPECTED_PEER, "attach reply from a peer not asked (or answered late)");
            return;
        }
        timer.cancel();
        if (reply.accepted()) {
            parents.put(from, runtime.clock().nowMillis());
            listener.onParentsChanged(parents());
        } else {
            attachMore();
        }
    }

    // ---- staying attached ----

    private void tick() {
        if (!running) {
            return;
        }
        long now = runtime.clock().nowMillis();
        List<PkiId> lost = new ArrayList<>();
        parents.forEach((parent, ackedAt) -> {
            if (now - ackedAt > config.parentTimeoutMillis()) {
                lost.add(parent);
            } else {
                transport.send(parent, new Heartbeat());
            }
        });
        if (!lost.isEmpty()) {
            lost.forEach(parents::remove);
            lost.forEach(parent -> counters.increment(Counter.PARENTS_LOST));
            listener.onParentsChanged(parents());
            requestAnchors();
        } else if (parents.size() + pendingAttaches.size() < config.parents() && contact == null
                && now - lastRequestMillis >= config.rejoinBackoffMillis()) {
            // Below target with nothing in flight (too few anchors answered before): ask again, at a bounded rate.
            requestAnchors();
        }
        heartbeatTimer = runtime.scheduler().schedule(config.heartbeatIntervalMillis(), this::tick);
    }

    private void onHeartbeatAck(PkiId from, HeartbeatAck ack) {
        if (!parents.containsKey(from)) {
            reject(from, Rejection.UNEXPECTED_PEER, "heartbeat ack from a peer that is not a parent");
            return;
        }
        if (ack.attached()) {
            parents.put(from, runtime.clock().nowMillis());
            return;
        }
        // The anchor no longer holds us (it restarted or expired us): find a parent again.
        parents.remove(from);
        counters.increment(Counter.PARENTS_LOST);
        listener.onParentsChanged(parents());
        requestAnchors();
    }

    // ---- queries ----

    /** Current parents, in PKI-ID order. */
    public List<PkiId> parents() {
        return List.copyOf(parents.keySet());
    }

    /** Whether the peer has at least one parent: it can send and be reached. */
    public boolean isJoined() {
        return !parents.isEmpty();
    }

    public PkiId self() {
        return self;
    }

    public AnchorCounters counters() {
        return counters;
    }

    private void reject(PkiId from, Rejection reason, String detail) {
        counters.reject(reason);
        listener.rejected(from, reason, detail);
    }

    private <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = runtime.random().nextInt(i + 1);
            T swap = list.get(i);
            list.set(i, list.get(j));
            list.set(j, swap);
        }
    }

    private static void cancel(Scheduler.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }
}
