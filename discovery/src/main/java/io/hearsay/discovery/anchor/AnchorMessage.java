package io.hearsay.discovery.anchor;

import io.hearsay.identity.PkiId;
import java.util.List;

/**
 * What anchors and the peers attached to them say to each other. The sender of every message is the
 * authenticated sender of the link ({@code MessageHandler}'s {@code from}), never a field inside it.
 */
public sealed interface AnchorMessage {
    /** Bytes on the wire, roughly: what the simulator charges the link. */
    int sizeBytes();

    /** A joining (or re-attaching) peer asks an anchor for the anchors and their loads. */
    record JoinRequest() implements AnchorMessage {
        @Override
        public int sizeBytes() {
            return 16;
        }
    }

    /** Every anchor the replying anchor holds live, itself included, in PKI-ID order. */
    record JoinReply(List<AnchorLoad> anchors) implements AnchorMessage {
        public JoinReply {
            anchors = List.copyOf(anchors);
        }

        @Override
        public int sizeBytes() {
            return 16 + anchors.size() * 48;
        }
    }

    /** A peer asks to be attached (to become a child of the anchor). */
    record Attach() implements AnchorMessage {
        @Override
        public int sizeBytes() {
            return 16;
        }
    }

    /** The anchor's answer to {@link Attach}; {@code reason} says why when refused. */
    record AttachReply(boolean accepted, String reason) implements AnchorMessage {
        @Override
        public int sizeBytes() {
            return 16 + reason.length();
        }
    }

    /** A child leaves an anchor (it found a better parent, or is shutting down). */
    record Detach() implements AnchorMessage {
        @Override
        public int sizeBytes() {
            return 16;
        }
    }

    /** A child's periodic liveness signal to each parent. */
    record Heartbeat() implements AnchorMessage {
        @Override
        public int sizeBytes() {
            return 16;
        }
    }

    /** The parent's answer; {@code attached == false} tells a child the anchor no longer holds it (it restarted). */
    record HeartbeatAck(boolean attached) implements AnchorMessage {
        @Override
        public int sizeBytes() {
            return 16;
        }
    }

    /**
     * An anchor's periodic word to the other anchors: its organisation, its version (incarnation, which grows with
     * every restart, then a sequence that grows within one; a late or replayed copy is older than what is held),
     * and the peers attached to it (its load, and the routing table other anchors use to find a target's
     * anchor). Valid only from the anchor it describes, if the roster names it for that organisation.
     */
    record Announcement(String organization, PkiId anchor, long incarnation, long sequence, List<PkiId> children)
            implements AnchorMessage {
        public Announcement {
            children = List.copyOf(children);
        }

        @Override
        public int sizeBytes() {
            return 64 + organization.length() + children.size() * PkiId.LENGTH_BYTES;
        }
    }
}
