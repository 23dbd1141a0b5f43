package io.hearsay.testnet.sim;

import io.hearsay.discovery.anchor.Anchor;
import io.hearsay.discovery.anchor.AnchorAttachment;
import io.hearsay.discovery.anchor.AnchorLoad;
import io.hearsay.discovery.anchor.AnchorMessage;
import io.hearsay.discovery.anchor.AnchorRoster;
import io.hearsay.discovery.anchor.AttachmentListener;
import io.hearsay.discovery.anchor.JoinConfig;
import io.hearsay.discovery.routing.AnchorRoutes;
import io.hearsay.discovery.routing.DeliveryOutcome;
import io.hearsay.discovery.routing.RouteMessage;
import io.hearsay.discovery.routing.RoutedDelivery;
import io.hearsay.discovery.routing.RouteTable;
import io.hearsay.discovery.routing.RoutingConfig;
import io.hearsay.identity.PkiId;
import io.hearsay.testnet.sim.ModelComparisonMessages.Rumor;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The hybrid model on the real cores: the first {@code organizations × anchorsPerOrganization} peers are
 * anchors ({@link Anchor}), every other peer joins with {@link AnchorAttachment} (dual-homed) and sends with
 * {@link RoutedDelivery}. A rumor goes from its source to its parents, from an anchor to every live anchor it
 * knows and to all its children: at most three hops.
 */
final class ModelComparisonHybrid implements ModelComparisonModel {
    private static final byte[] PAYLOAD = new byte[64];

    private final ModelComparisonWorld world;
    private final int anchorCount;
    private final AnchorRoster roster;
    private final JoinConfig joinConfig = JoinConfig.defaults();
    private final RoutingConfig routingConfig = RoutingConfig.defaults();
    private final Anchor[] anchors;
    private final AnchorAttachment[] attachments;
    private final RoutedDelivery[] deliveries;
    private final BiConsumer<Integer, List<PkiId>> onParentsChanged;

    ModelComparisonHybrid(ModelComparisonWorld world, int organizations, int anchorsPerOrganization) {
        this(world, organizations, anchorsPerOrganization, (peer, parents) -> {});
    }

    /** With {@code onParentsChanged} told of every peer's parent changes, for the join simulation. */
    ModelComparisonHybrid(ModelComparisonWorld world, int organizations, int anchorsPerOrganization,
            BiConsumer<Integer, List<PkiId>> onParentsChanged) {
        this.world = world;
        this.onParentsChanged = onParentsChanged;
        this.anchorCount = organizations * anchorsPerOrganization;
        int n = world.ids.length;
        anchors = new Anchor[n];
        attachments = new AnchorAttachment[n];
        deliveries = new RoutedDelivery[n];
        TreeMap<PkiId, String> entries = new TreeMap<>();
        for (int i = 0; i < anchorCount; i++) {
            entries.put(world.ids[i], "Org" + (i % organizations + 1) + "MSP");
        }
        roster = AnchorRoster.of(entries);
    }

    @Override
    public void startInfrastructure() {
        for (int i = 0; i < anchorCount; i++) {
            world.cohort[i] = ModelComparisonWorld.COHORT_INFRASTRUCTURE;
            PkiId self = world.ids[i];
            anchors[i] = new Anchor(self, roster.organizationByAnchor().get(self), 1, roster, joinConfig,
                    new Anchor.Collaborators(world.runtime(), world.transportOf(i)));
            deliveries[i] = delivery(i, AnchorRoutes.of(anchors[i]));
            register(i);
            anchors[i].start();
        }
    }

    @Override
    public void startJoin(int peer) {
        attachments[peer] = new AnchorAttachment(world.ids[peer], roster, joinConfig,
                new AnchorAttachment.Collaborators(world.runtime(), world.transportOf(peer), new AttachmentListener() {
                    @Override
                    public void onParentsChanged(List<PkiId> parents) {
                        onParentsChanged.accept(peer, parents);
                    }
                }));
        deliveries[peer] = delivery(peer, AnchorRoutes.of(attachments[peer]));
        register(peer);
        attachments[peer].start();
    }

    private RoutedDelivery delivery(int peer, RouteTable table) {
        return new RoutedDelivery(world.ids[peer], routingConfig,
                new RoutedDelivery.Collaborators(world.runtime(), world.transportOf(peer), table, received -> {}));
    }

    private void register(int peer) {
        world.handle(peer, (from, message) -> {
            if (message instanceof AnchorMessage anchorMessage) {
                if (anchors[peer] != null) {
                    anchors[peer].onMessage(from, anchorMessage);
                } else {
                    attachments[peer].onMessage(from, anchorMessage);
                }
            } else if (message instanceof RouteMessage routeMessage) {
                deliveries[peer].onMessage(from, routeMessage);
            }
        });
    }

    Anchor anchor(int peer) {
        return anchors[peer];
    }

    AnchorAttachment attachment(int peer) {
        return attachments[peer];
    }

    /** Crashes anchor {@code peer} (stops its timers too). */
    void crashAnchor(int peer) {
        world.crash(peer);
        anchors[peer].stop();
    }

    @Override
    public boolean isJoined(int peer) {
        return anchors[peer] != null || attachments[peer] != null && attachments[peer].isJoined();
    }

    @Override
    public boolean isJoinMessage(Object message) {
        return message instanceof AnchorMessage.JoinRequest || message instanceof AnchorMessage.JoinReply
                || message instanceof AnchorMessage.Attach || message instanceof AnchorMessage.AttachReply;
    }

    @Override
    public boolean isInfrastructure(int peer) {
        return peer < anchorCount;
    }

    @Override
    public int crashKeyComponent() {
        crashAnchor(0);
        return 0;
    }

    @Override
    public void send(int from, int to, long sendId, Consumer<DeliveryOutcome> outcome) {
        deliveries[from].send(world.ids[to], PAYLOAD, outcome);
    }

    @Override
    public void disseminate(int source, long rumorId) {
        forward(source, -1, new Rumor(rumorId, null, 0));
    }

    @Override
    public void forward(int peer, int fromPeer, Rumor rumor) {
        if (world.crashed[peer]) {
            return;
        }
        if (anchors[peer] != null) {
            for (AnchorLoad anchor : anchors[peer].knownAnchors()) {
                int other = world.indexOf(anchor.anchor());
                if (other != peer && other != fromPeer) {
                    world.sendRumor(peer, other, rumor);
                }
            }
            for (PkiId child : anchors[peer].children()) {
                int other = world.indexOf(child);
                if (other != fromPeer) {
                    world.sendRumor(peer, other, rumor);
                }
            }
        } else if (fromPeer < 0 && attachments[peer] != null) {
            for (PkiId parent : attachments[peer].parents()) {
                world.sendRumor(peer, world.indexOf(parent), rumor);
            }
        }
    }
}
