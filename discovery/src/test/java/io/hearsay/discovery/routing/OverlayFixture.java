package io.hearsay.discovery.routing;

import io.hearsay.discovery.runtime.VirtualTime;
import io.hearsay.discovery.anchor.Anchor;
import io.hearsay.discovery.anchor.AnchorAttachment;
import io.hearsay.discovery.anchor.AnchorMessage;
import io.hearsay.discovery.anchor.AnchorRoster;
import io.hearsay.discovery.anchor.AttachmentListener;
import io.hearsay.discovery.anchor.JoinConfig;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.identity.PkiId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A small hybrid overlay for unit tests: anchors and attached peers running the real {@link Anchor},
 * {@link AnchorAttachment} and {@link RoutedDelivery} on virtual time, over links with a fixed 1–3 ms latency,
 * seeded loss, crashes and partitions. Messages can also be injected as if sent by any peer.
 */
public final class OverlayFixture {
    /** One routed send: its outcomes (exactly one is expected) and when each came, relative to the send. */
    public static final class Send {
        public final PkiId from;
        public final PkiId to;
        public final long sentAtMillis;
        public final List<DeliveryOutcome> outcomes = new ArrayList<>();
        public final List<Long> outcomeAfterMillis = new ArrayList<>();

        Send(PkiId from, PkiId to, long sentAtMillis) {
            this.from = from;
            this.to = to;
            this.sentAtMillis = sentAtMillis;
        }

        public DeliveryOutcome outcome() {
            return outcomes.isEmpty() ? null : outcomes.get(0);
        }
    }

    public final VirtualTime time = new VirtualTime();
    private final RandomSource random;
    private final RandomSource wire;
    private final JoinConfig joinConfig;
    private final RoutingConfig routingConfig;
    private final double lossProbability;
    private final TreeMap<PkiId, String> rosterEntries = new TreeMap<>();
    private AnchorRoster roster;
    private final Map<PkiId, Anchor> anchors = new HashMap<>();
    private final Map<PkiId, AnchorAttachment> attachments = new HashMap<>();
    private final Map<PkiId, RoutedDelivery> deliveries = new HashMap<>();
    private final Map<PkiId, List<RoutedDelivery.Received>> inboxes = new HashMap<>();
    private final Set<PkiId> crashed = new HashSet<>();
    private final Map<PkiId, Integer> partitionOf = new HashMap<>();
    private int nextPeer;
    public long messagesSent;

    public OverlayFixture(long seed, JoinConfig joinConfig, RoutingConfig routingConfig, double lossProbability) {
        this.random = RandomSource.seeded(seed);
        this.wire = random.fork();
        this.joinConfig = joinConfig;
        this.routingConfig = routingConfig;
        this.lossProbability = lossProbability;
    }

    public static PkiId id(int i) {
        return PkiId.fromBytes(ByteBuffer.allocate(PkiId.LENGTH_BYTES).putInt(i).array());
    }

    /** Names anchors in the roster (the channel configuration); call before {@link #startAnchors}. */
    public List<PkiId> nameAnchors(String organization, int count) {
        List<PkiId> named = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            PkiId anchor = id(nextPeer++);
            rosterEntries.put(anchor, organization);
            named.add(anchor);
        }
        return named;
    }

    public AnchorRoster roster() {
        if (roster == null) {
            roster = AnchorRoster.of(rosterEntries);
        }
        return roster;
    }

    public void startAnchors() {
        for (Map.Entry<PkiId, String> entry : rosterEntries.entrySet()) {
            PkiId self = entry.getKey();
            Anchor anchor = new Anchor(self, entry.getValue(), 1, roster(), joinConfig,
                    new Anchor.Collaborators(runtime(), transport(self)));
            anchors.put(self, anchor);
            deliveries.put(self, delivery(self, AnchorRoutes.of(anchor)));
            anchor.start();
        }
    }

    /** Adds an ordinary peer and starts its join. */
    public PkiId addPeer() {
        PkiId self = id(nextPeer++);
        AnchorAttachment attachment = new AnchorAttachment(self, roster(), joinConfig,
                new AnchorAttachment.Collaborators(runtime(), transport(self), AttachmentListener.NONE));
        attachments.put(self, attachment);
        deliveries.put(self, delivery(self, AnchorRoutes.of(attachment)));
        attachment.start();
        return self;
    }

    private RoutedDelivery delivery(PkiId self, RouteTable table) {
        List<RoutedDelivery.Received> inbox = new ArrayList<>();
        inboxes.put(self, inbox);
        return new RoutedDelivery(self, routingConfig,
                new RoutedDelivery.Collaborators(runtime(), transport(self), table, inbox::add));
    }

    private PeerRuntime runtime() {
        return new PeerRuntime(time, time, random.fork());
    }

    private <M> Transport<M> transport(PkiId from) {
        return (to, message) -> inject(from, to, message);
    }

    /** Sends {@code message} from {@code from} to {@code to} over the simulated link. */
    public void inject(PkiId from, PkiId to, Object message) {
        messagesSent++;
        if (crashed.contains(from) || wire.chance(lossProbability)) {
            return;
        }
        long latency = 1 + wire.nextInt(3);
        time.schedule(latency, () -> deliver(from, to, message));
    }

    /** Hands {@code message} to {@code to} now, as if {@code from} had sent it and the link were instant. */
    public void deliverNow(PkiId from, PkiId to, Object message) {
        deliver(from, to, message);
    }

    private void deliver(PkiId from, PkiId to, Object message) {
        if (crashed.contains(to) || crashed.contains(from)
                || !partitionOf.getOrDefault(from, 0).equals(partitionOf.getOrDefault(to, 0))) {
            return;
        }
        if (message instanceof AnchorMessage anchorMessage) {
            Anchor anchor = anchors.get(to);
            if (anchor != null) {
                anchor.onMessage(from, anchorMessage);
            } else if (attachments.containsKey(to)) {
                attachments.get(to).onMessage(from, anchorMessage);
            }
        } else if (message instanceof RouteMessage routeMessage && deliveries.containsKey(to)) {
            deliveries.get(to).onMessage(from, routeMessage);
        }
    }

    public Send send(PkiId from, PkiId to, byte[] payload) {
        Send send = new Send(from, to, time.nowMillis());
        deliveries.get(from).send(to, payload, outcome -> {
            send.outcomes.add(outcome);
            send.outcomeAfterMillis.add(time.nowMillis() - send.sentAtMillis);
        });
        return send;
    }

    public void crash(PkiId peer) {
        crashed.add(peer);
        if (anchors.containsKey(peer)) {
            anchors.get(peer).stop();
        }
        if (attachments.containsKey(peer)) {
            attachments.get(peer).halt();
        }
    }

    public void partition(List<PkiId> side, int group) {
        side.forEach(peer -> partitionOf.put(peer, group));
    }

    public void heal() {
        partitionOf.clear();
    }

    public void advance(long millis) {
        time.advance(millis);
    }

    public Anchor anchor(PkiId id) {
        return anchors.get(id);
    }

    public AnchorAttachment attachment(PkiId id) {
        return attachments.get(id);
    }

    public RoutedDelivery delivery(PkiId id) {
        return deliveries.get(id);
    }

    public List<RoutedDelivery.Received> inbox(PkiId id) {
        return inboxes.get(id);
    }

    public List<PkiId> peers() {
        return attachments.keySet().stream().sorted().toList();
    }

    public List<PkiId> anchorIds() {
        return List.copyOf(rosterEntries.keySet());
    }

    public boolean isCrashed(PkiId peer) {
        return crashed.contains(peer);
    }

    public RandomSource random() {
        return random;
    }
}
