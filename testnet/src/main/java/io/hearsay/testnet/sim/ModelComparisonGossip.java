package io.hearsay.testnet.sim;

import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.discovery.routing.DeliveryOutcome;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.discovery.view.NeighbourView;
import io.hearsay.discovery.view.ViewConfig;
import io.hearsay.identity.PkiId;
import io.hearsay.testnet.sim.ModelComparisonMessages.Connect;
import io.hearsay.testnet.sim.ModelComparisonMessages.ConnectReply;
import io.hearsay.testnet.sim.ModelComparisonMessages.GossipJoin;
import io.hearsay.testnet.sim.ModelComparisonMessages.GossipJoinReply;
import io.hearsay.testnet.sim.ModelComparisonMessages.Rumor;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Pure gossip, a faithful simple model: every peer's configuration names the same {@value #BOOTSTRAP_PEERS}
 * bootstrap peers (peers 0..2). A joiner asks them in turn ({@value #JOIN_TIMEOUT_MILLIS} ms each) for the
 * membership table (SWIM's join sync: the whole table in one message), fills its real {@link NeighbourView}
 * from it and opens a link to each neighbour, which accepts while below maxDegree. A rumor spreads by
 * infect-and-forward: a peer that sees it first sends it to {@value #FANOUT} random neighbours. A message for
 * one peer is such a rumor too: no peer ever learns whether the target got it. (Hearsay's gossip repairs the
 * residue later by anti-entropy pull; this measures one push wave.)
 */
final class ModelComparisonGossip implements ModelComparisonModel {
    static final int BOOTSTRAP_PEERS = 3;
    static final long JOIN_TIMEOUT_MILLIS = 300;
    static final int FANOUT = 4;

    private final ModelComparisonWorld world;
    private final NeighbourView[] views;
    private final RandomSource[] randoms;
    private final boolean[] joined;
    private final Scheduler.Timer[] joinTimers;
    private final int[] bootstrapTried;
    /** The membership every table sync hands out: joined peers, sorted. */
    private final TreeSet<PkiId> members = new TreeSet<>();
    private PeerSet membersSnapshot = PeerSet.empty();
    private boolean snapshotStale;

    ModelComparisonGossip(ModelComparisonWorld world) {
        this.world = world;
        int n = world.ids.length;
        views = new NeighbourView[n];
        randoms = new RandomSource[n];
        joined = new boolean[n];
        joinTimers = new Scheduler.Timer[n];
        bootstrapTried = new int[n];
    }

    @Override
    public void startInfrastructure() {
        // The bootstrap peers are ordinary peers that know each other from the start.
        for (int i = 0; i < BOOTSTRAP_PEERS; i++) {
            create(i);
            joined[i] = true;
            members.add(world.ids[i]);
        }
        snapshotStale = true;
        for (int i = 0; i < BOOTSTRAP_PEERS; i++) {
            views[i].refresh(PeerSet.of(members));
        }
    }

    private void create(int peer) {
        randoms[peer] = world.random.fork();
        views[peer] = new NeighbourView(world.ids[peer], ViewConfig.defaults(), randoms[peer].fork());
        world.handle(peer, (from, message) -> onMessage(peer, from, message));
    }

    @Override
    public void startJoin(int peer) {
        if (views[peer] == null) {
            create(peer);
        }
        askNextBootstrap(peer);
    }

    private void askNextBootstrap(int peer) {
        if (joined[peer]) {
            return;
        }
        int bootstrap = bootstrapTried[peer]++ % BOOTSTRAP_PEERS;
        if (bootstrapTried[peer] > 2 * BOOTSTRAP_PEERS) {
            return;
        }
        world.<Object>transportOf(peer).send(world.ids[bootstrap], new GossipJoin());
        joinTimers[peer] = world.loop.schedule(JOIN_TIMEOUT_MILLIS, () -> askNextBootstrap(peer));
    }

    private void onMessage(int peer, PkiId from, Object message) {
        if (message instanceof GossipJoin) {
            if (!joined[peer]) {
                return;
            }
            int before = members.size();
            members.add(from);
            snapshotStale |= members.size() != before;
            world.<Object>transportOf(peer).send(from, new GossipJoinReply(members.size()));
        } else if (message instanceof GossipJoinReply && !joined[peer]) {
            joined[peer] = true;
            joinTimers[peer].cancel();
            for (PkiId neighbour : views[peer].refresh(snapshot()).added()) {
                world.<Object>transportOf(peer).send(neighbour, new Connect());
            }
        } else if (message instanceof Connect) {
            boolean accepted = views[peer].accept(from);
            world.<Object>transportOf(peer).send(from, new ConnectReply(accepted));
        }
    }

    @Override
    public void membershipConverged() {
        // SWIM has declared the crashed dead by now and spread every joiner: views refill from the live members.
        for (int i = 0; i < world.ids.length; i++) {
            if (world.crashed[i]) {
                snapshotStale |= members.remove(world.ids[i]);
            }
        }
        for (int i = 0; i < world.ids.length; i++) {
            if (joined[i] && !world.crashed[i]) {
                for (PkiId neighbour : views[i].refresh(snapshot()).added()) {
                    world.<Object>transportOf(i).send(neighbour, new Connect());
                }
            }
        }
    }

    private PeerSet snapshot() {
        if (snapshotStale) {
            membersSnapshot = PeerSet.of(members);
            snapshotStale = false;
        }
        return membersSnapshot;
    }

    @Override
    public boolean isJoined(int peer) {
        return joined[peer];
    }

    @Override
    public boolean isJoinMessage(Object message) {
        return message instanceof GossipJoin || message instanceof GossipJoinReply || message instanceof Connect
                || message instanceof ConnectReply;
    }

    @Override
    public boolean isInfrastructure(int peer) {
        return false;
    }

    @Override
    public int crashKeyComponent() {
        world.crash(0);
        return 0;
    }

    @Override
    public void send(int from, int to, long sendId, Consumer<DeliveryOutcome> outcome) {
        // Pure gossip has no route to one peer: the payload is gossiped and the sender never hears back.
        world.startTargetedRumor(from, sendId);
        forward(from, -1, new Rumor(sendId, world.ids[to], 0));
    }

    @Override
    public void disseminate(int source, long rumorId) {
        forward(source, -1, new Rumor(rumorId, null, 0));
    }

    @Override
    public void forward(int peer, int fromPeer, Rumor rumor) {
        if (world.crashed[peer] || views[peer] == null) {
            return;
        }
        PkiId exclude = fromPeer >= 0 ? world.ids[fromPeer] : null;
        List<PkiId> targets = views[peer].neighbours().sample(randoms[peer], FANOUT, exclude);
        for (PkiId target : new ArrayList<>(targets)) {
            world.sendRumor(peer, world.indexOf(target), rumor);
        }
    }
}
