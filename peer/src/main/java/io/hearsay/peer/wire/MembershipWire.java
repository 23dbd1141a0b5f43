package io.hearsay.peer.wire;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.discovery.swim.Accusation;
import io.hearsay.discovery.swim.AliveRecord;
import io.hearsay.discovery.swim.MemberMetadata;
import io.hearsay.discovery.swim.MemberRole;
import io.hearsay.discovery.swim.MemberUpdate;
import io.hearsay.discovery.swim.SwimMessage;
import io.hearsay.identity.PkiId;
import io.hearsay.proto.gossip.MembershipMessage;
import io.hearsay.proto.gossip.SignedEnvelope;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Signed SWIM messages (discovery's {@link SwimMessage}) to and from {@code hearsay.gossip.SignedEnvelope} bytes with
 * the {@code membership} body and no channel: membership is the node's, not a channel's. Each alive record travels with
 * its member's serialised identity, so a receiver that never met the member can validate it against the organisation's
 * CA and check the record's signature; the identity is not signed, but the PKI-ID is its hash, so it cannot be swapped.
 *
 * <p>Decoding is as strict as {@link OverlayWire}'s: a malformed header, a PKI-ID of the wrong size, a number above
 * 2^63, a text or endpoint over its bound, a signature or identity over its bound, an unknown role, or a list over its
 * bound is refused with a reason, before the message is authenticated or reaches the membership.
 */
public final class MembershipWire {
    /** Updates piggybacked on one message: SwimConfig's largest {@code piggybackUpdatesMax}. */
    public static final int UPDATES_MAX = 1_024;
    /** Alive records in one sync (a whole organisation's table): well above any organisation's peers. */
    public static final int RECORDS_MAX = 10_000;
    /** A serialised identity is an MSP id and one PEM certificate, about 1 KB; room for long chains of names. */
    public static final int IDENTITY_BYTES_MAX = 16 * 1024;

    /**
     * A decoded, not yet authenticated membership message, with the identities that came with its alive records
     * (PKI-ID → serialised identity, unvalidated).
     */
    public record Received(SignedMessage<SwimMessage> signed, SortedMap<PkiId, ByteString> identities) {
        public Received {
            identities = Collections.unmodifiableSortedMap(new TreeMap<>(identities));
        }
    }

    private MembershipWire() {}

    /**
     * Encodes {@code signed}; each alive record carries its member's serialised identity as {@code identities} knows it
     * (none: the receiver must know the member already, else it refuses the record).
     */
    public static byte[] encode(SignedMessage<SwimMessage> signed, Function<PkiId, Optional<ByteString>> identities) {
        return SignedEnvelope.newBuilder()
                .setSequence(signed.sequence())
                .setSignature(ByteString.copyFrom(signed.signature()))
                .setMembership(toProto(signed.message(), identities))
                .build()
                .toByteArray();
    }

    /** Decodes a membership envelope; an envelope carrying any other protocol's message is refused. */
    public static Received decode(ByteString bytes, PkiId link) throws MalformedMessageException {
        return decode(EnvelopeHeader.parse(bytes), link);
    }

    static Received decode(SignedEnvelope envelope, PkiId link) throws MalformedMessageException {
        if (envelope.getBodyCase() != SignedEnvelope.BodyCase.MEMBERSHIP) {
            throw new MalformedMessageException("envelope carries a " + envelope.getBodyCase() + " message, not a membership message");
        }
        EnvelopeHeader header = EnvelopeHeader.nodeLevel(envelope, link);
        SortedMap<PkiId, ByteString> identities = new TreeMap<>();
        SwimMessage message = fromProto(envelope.getMembership(), identities);
        return new Received(new SignedMessage<>(header.signer(), header.sequence(), message, header.signature()), identities);
    }

    // ---- to the wire ----

    static MembershipMessage toProto(SwimMessage message, Function<PkiId, Optional<ByteString>> identities) {
        MembershipMessage.Builder out = MembershipMessage.newBuilder();
        if (message instanceof SwimMessage.Ping ping) {
            out.setPing(MembershipMessage.Ping.newBuilder().setProbeId(ping.probeId())
                    .addAllUpdates(updates(ping.updates(), identities)));
        } else if (message instanceof SwimMessage.Ack ack) {
            out.setAck(MembershipMessage.Ack.newBuilder().setProbeId(ack.probeId())
                    .addAllUpdates(updates(ack.updates(), identities)));
        } else if (message instanceof SwimMessage.PingRequest request) {
            out.setPingRequest(MembershipMessage.PingRequest.newBuilder().setProbeId(request.probeId())
                    .setTarget(request.target().toByteString()).addAllUpdates(updates(request.updates(), identities)));
        } else if (message instanceof SwimMessage.Gossip gossip) {
            out.setGossip(MembershipMessage.Gossip.newBuilder().addAllUpdates(updates(gossip.updates(), identities)));
        } else if (message instanceof SwimMessage.Sync sync) {
            MembershipMessage.Sync.Builder proto = MembershipMessage.Sync.newBuilder().setReplyWanted(sync.replyWanted());
            sync.records().forEach(record -> proto.addRecords(toProto(record, identities)));
            out.setSync(proto);
        }
        return out.build();
    }

    private static List<MembershipMessage.MemberUpdate> updates(List<MemberUpdate> updates,
            Function<PkiId, Optional<ByteString>> identities) {
        List<MembershipMessage.MemberUpdate> out = new ArrayList<>(updates.size());
        for (MemberUpdate update : updates) {
            MembershipMessage.MemberUpdate.Builder proto = MembershipMessage.MemberUpdate.newBuilder();
            if (update instanceof AliveRecord record) {
                proto.setAlive(toProto(record, identities));
            } else if (update instanceof Accusation accusation) {
                proto.setAccusation(MembershipMessage.Accusation.newBuilder().setDead(accusation.isDead())
                        .setSubject(accusation.subject().toByteString()).setIncarnation(accusation.incarnation())
                        .setAccuser(accusation.accuser().toByteString())
                        .setSignature(ByteString.copyFrom(accusation.signature())));
            }
            out.add(proto.build());
        }
        return out;
    }

    private static MembershipMessage.AliveRecord toProto(AliveRecord record, Function<PkiId, Optional<ByteString>> identities) {
        MembershipMessage.AliveRecord.Builder proto = MembershipMessage.AliveRecord.newBuilder()
                .setPeer(record.peer().toByteString()).setOrganization(record.organization())
                .setInternalEndpoint(record.internalEndpoint()).setExternalEndpoint(record.externalEndpoint())
                .setIncarnation(record.incarnation()).setSequence(record.sequence())
                .setLedgerHeight(record.metadata().ledgerHeight()).setHeadHash(record.metadata().headHash())
                .setRole(record.isAnchor() ? MembershipMessage.Role.ANCHOR : MembershipMessage.Role.PEER)
                .setSignature(ByteString.copyFrom(record.signature()));
        identities.apply(record.peer()).ifPresent(proto::setIdentity);
        return proto.build();
    }

    // ---- from the wire ----

    static SwimMessage fromProto(MembershipMessage in, SortedMap<PkiId, ByteString> identities)
            throws MalformedMessageException {
        return switch (in.getKindCase()) {
            case PING -> new SwimMessage.Ping(number("probe id", in.getPing().getProbeId()),
                    updates(in.getPing().getUpdatesList(), identities));
            case ACK -> new SwimMessage.Ack(number("probe id", in.getAck().getProbeId()),
                    updates(in.getAck().getUpdatesList(), identities));
            case PING_REQUEST -> new SwimMessage.PingRequest(number("probe id", in.getPingRequest().getProbeId()),
                    pkiId("ping-request target", in.getPingRequest().getTarget()),
                    updates(in.getPingRequest().getUpdatesList(), identities));
            case GOSSIP -> new SwimMessage.Gossip(updates(in.getGossip().getUpdatesList(), identities));
            case SYNC -> sync(in.getSync(), identities);
            case KIND_NOT_SET -> throw new MalformedMessageException("membership message carries no kind");
        };
    }

    private static SwimMessage.Sync sync(MembershipMessage.Sync in, SortedMap<PkiId, ByteString> identities)
            throws MalformedMessageException {
        if (in.getRecordsCount() > RECORDS_MAX) {
            throw new MalformedMessageException("sync carries " + in.getRecordsCount() + " records, more than " + RECORDS_MAX);
        }
        List<AliveRecord> records = new ArrayList<>(in.getRecordsCount());
        for (MembershipMessage.AliveRecord record : in.getRecordsList()) {
            records.add(record(record, identities));
        }
        return new SwimMessage.Sync(records, in.getReplyWanted());
    }

    private static List<MemberUpdate> updates(List<MembershipMessage.MemberUpdate> in, SortedMap<PkiId, ByteString> identities)
            throws MalformedMessageException {
        if (in.size() > UPDATES_MAX) {
            throw new MalformedMessageException("message carries " + in.size() + " updates, more than " + UPDATES_MAX);
        }
        List<MemberUpdate> updates = new ArrayList<>(in.size());
        for (MembershipMessage.MemberUpdate update : in) {
            updates.add(switch (update.getKindCase()) {
                case ALIVE -> record(update.getAlive(), identities);
                case ACCUSATION -> accusation(update.getAccusation());
                case KIND_NOT_SET -> throw new MalformedMessageException("membership update carries no kind");
            });
        }
        return updates;
    }

    private static AliveRecord record(MembershipMessage.AliveRecord in, SortedMap<PkiId, ByteString> identities)
            throws MalformedMessageException {
        PkiId peer = pkiId("alive record peer", in.getPeer());
        if (in.getOrganization().isEmpty() || in.getOrganization().length() > AliveRecord.TEXT_CHARS_MAX) {
            throw new MalformedMessageException("alive record organisation has " + in.getOrganization().length()
                    + " characters; it must have 1 to " + AliveRecord.TEXT_CHARS_MAX);
        }
        String internal = endpoint("internal endpoint", in.getInternalEndpoint());
        String external = endpoint("external endpoint", in.getExternalEndpoint());
        if (in.getHeadHash().size() > MemberMetadata.HEAD_HASH_BYTES_MAX) {
            throw new MalformedMessageException("head hash is " + in.getHeadHash().size() + " bytes, more than "
                    + MemberMetadata.HEAD_HASH_BYTES_MAX);
        }
        MemberRole role = switch (in.getRole()) {
            case PEER -> MemberRole.PEER;
            case ANCHOR -> MemberRole.ANCHOR;
            default -> throw new MalformedMessageException("alive record has unknown role " + in.getRoleValue());
        };
        if (in.getIdentity().size() > IDENTITY_BYTES_MAX) {
            throw new MalformedMessageException("identity of " + peer + " is " + in.getIdentity().size()
                    + " bytes, more than " + IDENTITY_BYTES_MAX);
        }
        if (!in.getIdentity().isEmpty()) {
            identities.put(peer, in.getIdentity());
        }
        MemberMetadata metadata = new MemberMetadata(number("ledger height", in.getLedgerHeight()), in.getHeadHash(), role);
        return new AliveRecord(peer, in.getOrganization(), internal, external, number("incarnation", in.getIncarnation()),
                number("record sequence", in.getSequence()), metadata, signature("alive record", in.getSignature()));
    }

    private static Accusation accusation(MembershipMessage.Accusation in) throws MalformedMessageException {
        return new Accusation(in.getDead() ? Accusation.Charge.DEAD : Accusation.Charge.SUSPECT,
                pkiId("accusation subject", in.getSubject()), number("incarnation", in.getIncarnation()),
                pkiId("accuser", in.getAccuser()), signature("accusation", in.getSignature()));
    }

    private static byte[] signature(String of, ByteString bytes) throws MalformedMessageException {
        if (bytes.isEmpty() || bytes.size() > EnvelopeHeader.SIGNATURE_BYTES_MAX) {
            throw new MalformedMessageException(of + " signature is " + bytes.size() + " bytes; it must have 1 to "
                    + EnvelopeHeader.SIGNATURE_BYTES_MAX);
        }
        return bytes.toByteArray();
    }

    /** Empty (none), or {@code host:port} within the alive record's bound. */
    private static String endpoint(String field, String value) throws MalformedMessageException {
        if (value.length() > AliveRecord.TEXT_CHARS_MAX) {
            throw new MalformedMessageException(field + " is " + value.length() + " characters, more than "
                    + AliveRecord.TEXT_CHARS_MAX);
        }
        return OverlayWire.endpoint(field, value);
    }

    private static long number(String field, long value) throws MalformedMessageException {
        return EnvelopeHeader.number(field, value);
    }

    private static PkiId pkiId(String field, ByteString bytes) throws MalformedMessageException {
        if (bytes.size() != PkiId.LENGTH_BYTES) {
            throw new MalformedMessageException(field + " is " + bytes.size() + " bytes, not a " + PkiId.LENGTH_BYTES
                    + "-byte PKI-ID");
        }
        return PkiId.fromBytes(bytes);
    }
}
