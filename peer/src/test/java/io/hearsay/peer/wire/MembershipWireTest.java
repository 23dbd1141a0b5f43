package io.hearsay.peer.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.discovery.swim.Accusation;
import io.hearsay.discovery.swim.AliveRecord;
import io.hearsay.discovery.swim.MemberMetadata;
import io.hearsay.discovery.swim.MemberRole;
import io.hearsay.discovery.swim.MemberUpdate;
import io.hearsay.discovery.swim.SwimCodec;
import io.hearsay.discovery.swim.SwimMessage;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.identity.PkiId;
import io.hearsay.peer.membership.MembershipCodec;
import io.hearsay.proto.gossip.MembershipMessage;
import io.hearsay.proto.gossip.SignedEnvelope;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The membership envelope: every SWIM message survives encode then decode with every signed field intact (the same
 * signed content, so a signature made before encoding verifies after), alive records bring their members' identities,
 * the dispatcher routes it as node-level, other codecs refuse it, and every malformed or oversized membership envelope
 * is refused with a reason naming what is wrong.
 */
class MembershipWireTest {
    private static final PkiId SIGNER = id(0x5A);
    private static final PkiId OTHER = id(0x22);
    private static final PkiId THIRD = id(0x33);
    private static final byte[] SIGNATURE = filled(71, 0x30);
    private static final ByteString IDENTITY = ByteString.copyFromUtf8("an msp.SerializedIdentity of peer 0x22");
    private static final String TOO_BIG = Long.toUnsignedString(Long.MIN_VALUE); // 2^63
    private static final MembershipCodec CODEC = new MembershipCodec();

    private static AliveRecord record(PkiId peer, MemberRole role) {
        return new AliveRecord(peer, "Org1MSP", "10.0.0.2:7051", "", 1_700_000_000_000L, 3,
                new MemberMetadata(12, ByteString.copyFrom(filled(32, 0x77)), role), filled(70, 0x41));
    }

    private static Accusation accusation(Accusation.Charge charge) {
        return new Accusation(charge, THIRD, 9, SIGNER, filled(72, 0x42));
    }

    static Stream<SwimMessage> messages() {
        List<MemberUpdate> updates = List.of(record(OTHER, MemberRole.PEER), accusation(Accusation.Charge.SUSPECT),
                accusation(Accusation.Charge.DEAD), record(THIRD, MemberRole.ANCHOR));
        return Stream.of(
                new SwimMessage.Ping(7, updates),
                new SwimMessage.Ping(Long.MAX_VALUE, List.of()),
                new SwimMessage.Ack(7, updates),
                new SwimMessage.PingRequest(8, THIRD, updates),
                new SwimMessage.Gossip(updates),
                new SwimMessage.Sync(List.of(record(OTHER, MemberRole.PEER), record(THIRD, MemberRole.ANCHOR)), true),
                new SwimMessage.Sync(List.of(), false));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void everyMessageRoundTripsWithEverySignedField(SwimMessage message) throws MalformedMessageException {
        SignedMessage<SwimMessage> signed = new SignedMessage<>(SIGNER, Long.MAX_VALUE, message, SIGNATURE);

        MembershipWire.Received decoded = MembershipWire.decode(ByteString.copyFrom(MembershipWire.encode(signed,
                peer -> peer.equals(OTHER) ? Optional.of(IDENTITY) : Optional.empty())), SIGNER);

        assertThat(decoded.signed().signer()).isEqualTo(SIGNER);
        assertThat(decoded.signed().sequence()).isEqualTo(Long.MAX_VALUE);
        assertThat(decoded.signed().signature()).isEqualTo(SIGNATURE);
        assertThat(decoded.signed().message()).isEqualTo(message);
        assertThat(CODEC.signedContent(decoded.signed().message())).isEqualTo(CODEC.signedContent(message));
        boolean carriesOther = Stream.concat(message.updates().stream(),
                message instanceof SwimMessage.Sync sync ? sync.records().stream() : Stream.empty())
                .anyMatch(update -> update instanceof AliveRecord record && record.peer().equals(OTHER));
        assertThat(decoded.identities()).isEqualTo(carriesOther ? Collections.singletonMap(OTHER, IDENTITY) : Collections.emptyMap());
    }

    @Test
    void theDispatcherRoutesAMembershipEnvelopeAsNodeLevel() throws MalformedMessageException {
        SwimMessage ping = new SwimMessage.Ping(1, List.of());
        ByteString envelope = ByteString.copyFrom(MembershipWire.encode(new SignedMessage<>(SIGNER, 1, ping, SIGNATURE),
                peer -> Optional.empty()));

        assertThat(EnvelopeWire.decode(envelope, SIGNER)).isInstanceOfSatisfying(EnvelopeWire.Membership.class, m -> {
            assertThat(m.channel()).isEmpty();
            assertThat(m.received().signed().message()).isEqualTo(ping);
        });
    }

    @Test
    void noOtherCodecAcceptsAMembershipEnvelopeNorTheOtherWayRound() {
        ByteString membership = ByteString.copyFrom(MembershipWire.encode(
                new SignedMessage<>(SIGNER, 1, new SwimMessage.Gossip(List.of()), SIGNATURE), peer -> Optional.empty()));
        ByteString block = ByteString.copyFrom(BlockWire.encode("testchannel",
                new SignedMessage<>(SIGNER, 2, new BlockMessage.Prune(), SIGNATURE)));

        assertThatThrownBy(() -> BlockWire.decode(membership, SIGNER)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("channel id is empty");
        assertThatThrownBy(() -> OverlayWire.decode(membership, SIGNER)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("not an overlay message");
        assertThatThrownBy(() -> MembershipWire.decode(block, SIGNER)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("not a membership message");
    }

    @Test
    void theSignedContentIsBoundToMembership() {
        SwimMessage gossip = new SwimMessage.Gossip(List.of());
        byte[] swim = SwimCodec.MESSAGES.signedContent(gossip);
        byte[] content = CODEC.signedContent(gossip);
        // SWIM's content after a prefix (an empty channel, then the tag 'M'), so a signature over SWIM's bare content,
        // or over the overlay's (tag 'O'), never verifies as a membership message.
        assertThat(content).endsWith(swim).hasSizeGreaterThan(swim.length);
        assertThat(content[content.length - swim.length - 1]).isEqualTo((byte) 0x4D);
    }

    static Stream<Arguments> malformedEnvelopes() {
        MembershipMessage.AliveRecord alive = MembershipWire.toProto(new SwimMessage.Sync(
                List.of(record(OTHER, MemberRole.PEER)), false), peer -> Optional.empty()).getSync().getRecords(0);
        MembershipMessage.MemberUpdate accused = MembershipWire.toProto(new SwimMessage.Gossip(
                List.of(accusation(Accusation.Charge.DEAD))), peer -> Optional.empty()).getGossip().getUpdates(0);
        MembershipMessage.Sync.Builder tooManyRecords = MembershipMessage.Sync.newBuilder();
        for (int i = 0; i <= MembershipWire.RECORDS_MAX; i++) {
            tooManyRecords.addRecords(alive);
        }
        MembershipMessage.Gossip.Builder tooManyUpdates = MembershipMessage.Gossip.newBuilder();
        for (int i = 0; i <= MembershipWire.UPDATES_MAX; i++) {
            tooManyUpdates.addUpdates(accused);
        }
        return Stream.of(
                malformed("a channel", e -> e.setChannel("testchannel"), "must name none"),
                malformed("a 31-byte signer", e -> e.setSigner(ByteString.copyFrom(new byte[31])), "signer is 31 bytes"),
                malformed("no signature", e -> e.setSignature(ByteString.EMPTY), "signature is 0 bytes"),
                malformed("a sequence of 2^63", e -> e.setSequence(Long.MIN_VALUE), "sequence " + TOO_BIG + " is out of range"),
                malformed("no kind", e -> e.setMembership(MembershipMessage.getDefaultInstance()), "carries no kind"),
                malformed("a probe id of 2^63", e -> e.setMembership(MembershipMessage.newBuilder().setPing(
                        MembershipMessage.Ping.newBuilder().setProbeId(Long.MIN_VALUE))), "probe id " + TOO_BIG + " is out of range"),
                malformed("a 5-byte ping-request target", e -> e.setMembership(MembershipMessage.newBuilder().setPingRequest(
                        MembershipMessage.PingRequest.newBuilder().setTarget(ByteString.copyFrom(new byte[5])))),
                        "ping-request target is 5 bytes"),
                malformed("an update of no kind", e -> gossip(e, MembershipMessage.MemberUpdate.getDefaultInstance()),
                        "update carries no kind"),
                malformed("too many updates", e -> e.setMembership(MembershipMessage.newBuilder().setGossip(tooManyUpdates)),
                        "updates, more than " + MembershipWire.UPDATES_MAX),
                malformed("too many sync records", e -> e.setMembership(MembershipMessage.newBuilder().setSync(tooManyRecords)),
                        "records, more than " + MembershipWire.RECORDS_MAX),
                malformed("a 31-byte record peer", e -> alive(e, alive.toBuilder().setPeer(ByteString.copyFrom(new byte[31]))),
                        "alive record peer is 31 bytes"),
                malformed("a record with no organisation", e -> alive(e, alive.toBuilder().setOrganization("")),
                        "organisation has 0 characters"),
                malformed("an over-long organisation", e -> alive(e, alive.toBuilder().setOrganization("O".repeat(256))),
                        "organisation has 256 characters"),
                malformed("an endpoint that is not host:port", e -> alive(e, alive.toBuilder().setInternalEndpoint("10.0.0.1")),
                        "internal endpoint '10.0.0.1' is not host:port"),
                malformed("an over-long endpoint", e -> alive(e, alive.toBuilder().setExternalEndpoint("h".repeat(251) + ":7051")),
                        "external endpoint is 256 characters"),
                malformed("an incarnation of 2^63", e -> alive(e, alive.toBuilder().setIncarnation(Long.MIN_VALUE)),
                        "incarnation " + TOO_BIG + " is out of range"),
                malformed("a 65-byte head hash", e -> alive(e, alive.toBuilder().setHeadHash(ByteString.copyFrom(new byte[65]))),
                        "head hash is 65 bytes"),
                malformed("an unknown role", e -> alive(e, alive.toBuilder().setRoleValue(7)), "unknown role 7"),
                malformed("an unsigned record", e -> alive(e, alive.toBuilder().setSignature(ByteString.EMPTY)),
                        "alive record signature is 0 bytes"),
                malformed("an oversized identity", e -> alive(e, alive.toBuilder().setIdentity(
                        ByteString.copyFrom(new byte[MembershipWire.IDENTITY_BYTES_MAX + 1]))), "more than " + MembershipWire.IDENTITY_BYTES_MAX),
                malformed("a 3-byte accuser", e -> gossip(e, accused.toBuilder().setAccusation(accused.getAccusation().toBuilder()
                        .setAccuser(ByteString.copyFrom(new byte[3]))).build()), "accuser is 3 bytes"),
                malformed("an over-long accusation signature", e -> gossip(e, accused.toBuilder().setAccusation(
                        accused.getAccusation().toBuilder().setSignature(ByteString.copyFrom(new byte[145]))).build()),
                        "accusation signature is 145 bytes"));
    }

    private static SignedEnvelope.Builder alive(SignedEnvelope.Builder envelope, MembershipMessage.AliveRecord.Builder record) {
        return envelope.setMembership(MembershipMessage.newBuilder().setSync(MembershipMessage.Sync.newBuilder().addRecords(record)));
    }

    private static SignedEnvelope.Builder gossip(SignedEnvelope.Builder envelope, MembershipMessage.MemberUpdate update) {
        return envelope.setMembership(MembershipMessage.newBuilder().setGossip(MembershipMessage.Gossip.newBuilder().addUpdates(update)));
    }

    private static Arguments malformed(String name, UnaryOperator<SignedEnvelope.Builder> mutation, String reason) {
        return Arguments.of(name, mutation.apply(valid().toBuilder()).build().toByteString(), reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedEnvelopes")
    void aMalformedMembershipEnvelopeIsRefusedWithItsReason(String name, ByteString envelope, String reason) {
        assertThatThrownBy(() -> MembershipWire.decode(envelope, SIGNER)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining(reason);
        // The node's dispatcher refuses it too (the connection closes with the reason).
        assertThatThrownBy(() -> EnvelopeWire.decode(envelope, SIGNER)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void theValidBaseDecodes() throws MalformedMessageException {
        assertThat(MembershipWire.decode(valid().toByteString(), SIGNER).signed().message())
                .isEqualTo(new SwimMessage.Ack(3, List.of()));
    }

    private static SignedEnvelope valid() {
        try {
            return SignedEnvelope.parseFrom(MembershipWire.encode(new SignedMessage<>(SIGNER, 1,
                    new SwimMessage.Ack(3, List.of()), SIGNATURE), peer -> Optional.empty()));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static PkiId id(int fill) {
        return PkiId.fromBytes(filled(PkiId.LENGTH_BYTES, fill));
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
