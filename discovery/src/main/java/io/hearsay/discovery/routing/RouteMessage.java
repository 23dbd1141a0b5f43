package io.hearsay.discovery.routing;

import io.hearsay.identity.PkiId;

/**
 * Routed delivery on the wire. A route is named by (origin, id); hops are numbered by the stage of the path
 * they cross: 1 sender → its parent anchor, 2 that anchor → the target's anchor, 3 the target's anchor →
 * the target (a stage is skipped when the same anchor serves both ends).
 */
public sealed interface RouteMessage {
    int sizeBytes();

    /** A payload crossing hop {@code hop}; {@code budgetMillis} is what remains of the sender's deadline. */
    record Route(PkiId origin, long id, PkiId target, byte[] payload, int hop, long budgetMillis) implements RouteMessage {
        @Override
        public int sizeBytes() {
            return 96 + payload.length;
        }
    }

    /** The receiver of hop {@code hop} took the route over (for hop 3: the target has it). */
    record Ack(PkiId origin, long id, int hop) implements RouteMessage {
        @Override
        public int sizeBytes() {
            return 48;
        }
    }

    /**
     * The route's end, travelling back towards the origin: delivered, or failed at {@code failedHop}. {@code refused}
     * means the sender of this outcome never took the route over (not an anchor, overloaded), so the hop may try its
     * alternative; it is explicit because an outcome can overtake the acknowledgement sent before it.
     */
    record Outcome(PkiId origin, long id, boolean delivered, int failedHop, String reason, boolean refused)
            implements RouteMessage {
        @Override
        public int sizeBytes() {
            return 56 + reason.length();
        }
    }

    /** The receiver of an {@link Outcome} has it: its sender stops resending. */
    record OutcomeAck(PkiId origin, long id) implements RouteMessage {
        @Override
        public int sizeBytes() {
            return 48;
        }
    }
}
