package io.hearsay.testnet.sim;

import io.hearsay.discovery.routing.DeliveryOutcome;
import java.util.function.Consumer;

/**
 * One network model as the comparison drives it. Peers are indexes into {@link ModelComparisonWorld}; the model
 * registers its peers' handlers on the world's network and acts only through messages and the event loop.
 */
interface ModelComparisonModel {
    /** Starts the model's infrastructure (index server, anchors, or nothing) at time 0. */
    void startInfrastructure();

    /** Peer {@code peer} starts joining now. */
    void startJoin(int peer);

    /**
     * Membership has converged (as SWIM would have it by now): a model that keeps views refreshes them. Called
     * after each join window.
     */
    default void membershipConverged() {}

    /** Whether {@code peer} has joined (can be reached and can send). */
    boolean isJoined(int peer);

    /** Whether {@code message} belongs to the join protocol (counted for messages per join). */
    boolean isJoinMessage(Object message);

    /** Peers that are infrastructure (never senders or targets of routed sends). */
    boolean isInfrastructure(int peer);

    /** Crashes the one component the model's joins lean on: the index server, an anchor, a bootstrap peer. */
    int crashKeyComponent();

    /**
     * Sends a payload from {@code from} to {@code to}; the model calls {@code outcome} when (and if) it gives the
     * sender a definite outcome.
     */
    void send(int from, int to, long sendId, Consumer<DeliveryOutcome> outcome);

    /** Starts spreading rumor {@code rumorId} from {@code source} to everyone. */
    void disseminate(int source, long rumorId);

    /** A rumor arrived at {@code peer} for the first time: where the model forwards it. */
    void forward(int peer, int fromPeer, ModelComparisonMessages.Rumor rumor);
}
