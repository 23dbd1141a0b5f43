package io.hearsay.testnet.sim;

import io.hearsay.discovery.index.IndexClient;
import io.hearsay.discovery.index.IndexConfig;
import io.hearsay.discovery.index.IndexMessage;
import io.hearsay.discovery.index.IndexServer;
import io.hearsay.discovery.routing.DeliveryOutcome;
import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.identity.PkiId;
import io.hearsay.testnet.sim.ModelComparisonMessages.Direct;
import io.hearsay.testnet.sim.ModelComparisonMessages.DirectAck;
import io.hearsay.testnet.sim.ModelComparisonMessages.Rumor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The central index model on the real {@link IndexServer} and {@link IndexClient}: peer 0 is the index; every
 * other peer registers with it and keeps the sample of peers it returns. A send looks the target up at the index
 * (unless the target is among the peers it already knows) and then goes straight to it, acknowledged, two
 * tries. A rumor: the source asks the index for every peer and sends to each directly; without an answer it can
 * only reach the peers it already knows, which do not forward (a tracker network has no overlay to forward on).
 */
final class ModelComparisonCentral implements ModelComparisonModel {
    private static final int SERVER = 0;
    private static final long DIRECT_ACK_TIMEOUT_MILLIS = 100;
    private static final int DIRECT_ATTEMPTS = 2;

    private final ModelComparisonWorld world;
    private final IndexConfig config = IndexConfig.defaults();
    private IndexServer server;
    private final IndexClient[] clients;
    private final boolean[] joined;
    /** Per peer, the peers the index gave it (lookups only). */
    private final List<Set<PkiId>> known;
    /** Direct sends awaiting their ack, by send id (lookups only). */
    private final Map<Long, Runnable> awaitingAck = new HashMap<>();

    ModelComparisonCentral(ModelComparisonWorld world) {
        this.world = world;
        int n = world.ids.length;
        clients = new IndexClient[n];
        joined = new boolean[n];
        known = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            known.add(Set.of());
        }
    }

    @Override
    public void startInfrastructure() {
        world.cohort[SERVER] = ModelComparisonWorld.COHORT_INFRASTRUCTURE;
        server = new IndexServer(config, world.random.fork(), world.transportOf(SERVER));
        world.handle(SERVER, (from, message) -> {
            if (message instanceof IndexMessage indexMessage) {
                server.onMessage(from, indexMessage);
            }
        });
    }

    @Override
    public void startJoin(int peer) {
        clients[peer] = new IndexClient(world.ids[SERVER], config, world.runtime(), world.transportOf(peer));
        world.handle(peer, (from, message) -> onMessage(peer, from, message));
        clients[peer].join(result -> {
            if (result.joined()) {
                joined[peer] = true;
                known.set(peer, new HashSet<>(result.peers()));
            }
        });
    }

    private void onMessage(int peer, PkiId from, Object message) {
        if (message instanceof IndexMessage indexMessage) {
            clients[peer].onMessage(from, indexMessage);
        } else if (message instanceof Direct direct) {
            world.<Object>transportOf(peer).send(from, new DirectAck(direct.id()));
        } else if (message instanceof DirectAck ack) {
            Runnable done = awaitingAck.remove(ack.id());
            if (done != null) {
                done.run();
            }
        }
    }

    @Override
    public boolean isJoined(int peer) {
        return peer == SERVER || joined[peer];
    }

    @Override
    public boolean isJoinMessage(Object message) {
        return message instanceof IndexMessage.Register || message instanceof IndexMessage.Registered;
    }

    @Override
    public boolean isInfrastructure(int peer) {
        return peer == SERVER;
    }

    @Override
    public int crashKeyComponent() {
        world.crash(SERVER);
        return SERVER;
    }

    @Override
    public void send(int from, int to, long sendId, Consumer<DeliveryOutcome> outcome) {
        PkiId target = world.ids[to];
        if (known.get(from).contains(target)) {
            direct(from, to, sendId, 1, outcome);
            return;
        }
        clients[from].lookup(target, result -> {
            if (!result.answered()) {
                outcome.accept(new DeliveryOutcome.Failed(1, "index server unreachable: cannot find the target"));
            } else if (!result.registered()) {
                outcome.accept(new DeliveryOutcome.Failed(1, "target not registered at the index"));
            } else {
                direct(from, to, sendId, 1, outcome);
            }
        });
    }

    private void direct(int from, int to, long sendId, int attempt, Consumer<DeliveryOutcome> outcome) {
        long startedMillis = world.loop.nowMillis();
        Scheduler.Timer timer = world.loop.schedule(DIRECT_ACK_TIMEOUT_MILLIS, () -> {
            if (awaitingAck.remove(sendId) == null) {
                return;
            }
            if (attempt < DIRECT_ATTEMPTS) {
                direct(from, to, sendId, attempt + 1, outcome);
            } else {
                outcome.accept(new DeliveryOutcome.Failed(2, "target unreachable: no ack to " + DIRECT_ATTEMPTS
                        + " direct sends"));
            }
        });
        awaitingAck.put(sendId, () -> {
            timer.cancel();
            outcome.accept(new DeliveryOutcome.Delivered(world.ids[to], world.loop.nowMillis() - startedMillis));
        });
        world.<Object>transportOf(from).send(world.ids[to], new Direct(sendId));
    }

    @Override
    public void disseminate(int source, long rumorId) {
        Rumor rumor = new Rumor(rumorId, null, 0);
        clients[source].listPeers(Integer.MAX_VALUE, answer -> {
            if (answer.isPresent()) {
                for (PkiId peer : answer.get()) {
                    int index = world.indexOf(peer);
                    if (index != source) {
                        world.sendRumor(source, index, rumor);
                    }
                }
            } else {
                known.get(source).stream().sorted().forEach(peer -> world.sendRumor(source, world.indexOf(peer), rumor));
            }
        });
    }

    @Override
    public void forward(int peer, int fromPeer, Rumor rumor) {
        // Receivers do not forward: the index is the only way to everyone.
    }
}
