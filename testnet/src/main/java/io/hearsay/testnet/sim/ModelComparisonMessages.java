package io.hearsay.testnet.sim;

import io.hearsay.identity.PkiId;

/**
 * The comparison's own messages, for what the three models do the same way or what no core of ours does:
 * flooding a rumor, the pure-gossip join (a bootstrap peer's membership table, then links to neighbours), and
 * the central model's direct send with an acknowledgement.
 */
final class ModelComparisonMessages {
    private ModelComparisonMessages() {}

    /** An item spreading by flood; {@code target} is set when it is a gossip "send to one peer". */
    record Rumor(long id, PkiId target, int hops) {}

    /** Pure gossip: a joiner asks a bootstrap peer for its membership table. */
    record GossipJoin() {}

    /** The bootstrap peer's table: every member it knows ({@code members} of them). */
    record GossipJoinReply(int members) {}

    /** Pure gossip: a peer picked the receiver as a neighbour. */
    record Connect() {}

    record ConnectReply(boolean accepted) {}

    /** Central: a payload sent straight to the target's address, acknowledged. */
    record Direct(long id) {}

    record DirectAck(long id) {}

    static int sizeBytes(Object message) {
        if (message instanceof io.hearsay.discovery.anchor.AnchorMessage anchor) {
            return anchor.sizeBytes();
        }
        if (message instanceof io.hearsay.discovery.routing.RouteMessage route) {
            return route.sizeBytes();
        }
        if (message instanceof io.hearsay.discovery.index.IndexMessage index) {
            return index.sizeBytes();
        }
        if (message instanceof GossipJoinReply reply) {
            return 16 + reply.members() * 64;
        }
        return 64;
    }
}
