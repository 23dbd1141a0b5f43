package io.hearsay.discovery.swim;

import io.hearsay.identity.PkiId;
import java.util.List;

/**
 * The messages of SWIM failure detection and membership dissemination. Every message but {@link Sync}
 * piggybacks a bounded list of {@link MemberUpdate}s; that is how membership spreads. Immutable.
 *
 * <pre>
 *   A ──Ping(id)──────────────────────────▶ B          direct probe
 *   A ◀─Ack(id)──────────────────────────── B
 *   no Ack within probeTimeout:
 *   A ──PingRequest(id, B)──▶ C ──Ping(id')──▶ B      indirect probe through k others
 *   A ◀──────Ack(id)───────── C ◀─Ack(id')─── B
 *   A ──Gossip(updates)──▶ random members               extra dissemination, when updates are queued
 *   A ──Sync(records, reply)──▶ B ──Sync(records)──▶ A  push/pull of whole tables: joins, anti-entropy
 * </pre>
 */
public sealed interface SwimMessage {
    /** Fixed cost per message: type, sender, sequence and signature of the authenticated envelope. */
    int HEADER_BYTES = 100;

    /** Membership updates piggybacked on this message. */
    List<MemberUpdate> updates();

    int sizeBytes();

    private static int updateBytes(List<? extends MemberUpdate> updates) {
        int bytes = 2;
        for (MemberUpdate update : updates) {
            bytes += 1 + update.sizeBytes();
        }
        return bytes;
    }

    /** "Are you alive?" The receiver answers {@link Ack} with the same {@code probeId}. */
    record Ping(long probeId, List<MemberUpdate> updates) implements SwimMessage {
        public Ping {
            updates = List.copyOf(updates);
        }

        @Override
        public int sizeBytes() {
            return HEADER_BYTES + 8 + updateBytes(updates);
        }
    }

    /** The answer to a {@link Ping}, or forwarded by the peer that relayed a {@link PingRequest}. */
    record Ack(long probeId, List<MemberUpdate> updates) implements SwimMessage {
        public Ack {
            updates = List.copyOf(updates);
        }

        @Override
        public int sizeBytes() {
            return HEADER_BYTES + 8 + updateBytes(updates);
        }
    }

    /** "Ping {@code target} for me and forward its ack with my {@code probeId}." */
    record PingRequest(long probeId, PkiId target, List<MemberUpdate> updates) implements SwimMessage {
        public PingRequest {
            updates = List.copyOf(updates);
        }

        @Override
        public int sizeBytes() {
            return HEADER_BYTES + 8 + PkiId.LENGTH_BYTES + updateBytes(updates);
        }
    }

    /** Updates alone, sent to a few random members when there are updates to spread. */
    record Gossip(List<MemberUpdate> updates) implements SwimMessage {
        public Gossip {
            updates = List.copyOf(updates);
        }

        @Override
        public int sizeBytes() {
            return HEADER_BYTES + updateBytes(updates);
        }
    }

    /**
     * The sender's alive records of every live member it knows, itself included: a joiner's introduction, and
     * the periodic push/pull that repairs whatever the bounded piggybacking missed. With {@code replyWanted}
     * the receiver answers with its own table.
     */
    record Sync(List<AliveRecord> records, boolean replyWanted) implements SwimMessage {
        public Sync {
            records = List.copyOf(records);
        }

        @Override
        public List<MemberUpdate> updates() {
            return List.of();
        }

        @Override
        public int sizeBytes() {
            return HEADER_BYTES + 1 + updateBytes(records);
        }
    }
}
