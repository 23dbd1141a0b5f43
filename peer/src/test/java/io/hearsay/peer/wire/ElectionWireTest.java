package io.hearsay.peer.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.discovery.election.ElectionMessage;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.identity.PkiId;
import io.hearsay.proto.gossip.SignedEnvelope;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The election envelope: declarations and resignations survive encode then decode unchanged, the dispatcher routes
 * each body to its protocol, neither codec accepts the other's envelope, and every malformed election envelope is
 * refused with a reason naming what is wrong.
 */
class ElectionWireTest {
    private static final PkiId SIGNER = PkiId.fromBytes(filled(PkiId.LENGTH_BYTES, 0x5A));
    private static final byte[] SIGNATURE = filled(71, 0x30);
    private static final String CHANNEL = "testchannel";
    private static final String TOO_BIG = Long.toUnsignedString(Long.MIN_VALUE); // 2^63

    static Stream<ElectionMessage> messages() {
        return Stream.of(new ElectionMessage(true, 0), new ElectionMessage(false, 0), new ElectionMessage(true, 17),
                new ElectionMessage(false, Long.MAX_VALUE));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void declarationsAndResignationsRoundTrip(ElectionMessage message) throws MalformedMessageException {
        SignedMessage<ElectionMessage> signed = new SignedMessage<>(SIGNER, Long.MAX_VALUE, message, SIGNATURE);

        ElectionWire.Routed routed = ElectionWire.decode(ByteString.copyFrom(ElectionWire.encode(CHANNEL, signed)), SIGNER);

        assertThat(routed.channel()).isEqualTo(CHANNEL);
        assertThat(routed.signed().signer()).isEqualTo(SIGNER);
        assertThat(routed.signed().sequence()).isEqualTo(Long.MAX_VALUE);
        assertThat(routed.signed().signature()).isEqualTo(SIGNATURE);
        assertThat(routed.signed().message()).isEqualTo(message);
    }

    @Test
    void theDispatcherRoutesEachBodyToItsProtocol() throws MalformedMessageException {
        ByteString election = ByteString.copyFrom(ElectionWire.encode(CHANNEL,
                new SignedMessage<>(SIGNER, 1, new ElectionMessage(true, 5), SIGNATURE)));
        ByteString block = ByteString.copyFrom(BlockWire.encode("other",
                new SignedMessage<>(SIGNER, 2, new BlockMessage.Prune(), SIGNATURE)));

        assertThat(EnvelopeWire.decode(election, SIGNER)).isInstanceOfSatisfying(EnvelopeWire.Election.class, e -> {
            assertThat(e.channel()).isEqualTo(CHANNEL);
            assertThat(e.routed().signed().message()).isEqualTo(new ElectionMessage(true, 5));
        });
        assertThat(EnvelopeWire.decode(block, SIGNER)).isInstanceOfSatisfying(EnvelopeWire.Blocks.class, b -> {
            assertThat(b.channel()).isEqualTo("other");
            assertThat(b.routed().signed().message()).isEqualTo(new BlockMessage.Prune());
        });
    }

    @Test
    void neitherCodecAcceptsTheOthersEnvelope() {
        ByteString election = ByteString.copyFrom(ElectionWire.encode(CHANNEL,
                new SignedMessage<>(SIGNER, 1, new ElectionMessage(true, 5), SIGNATURE)));
        ByteString block = ByteString.copyFrom(BlockWire.encode(CHANNEL,
                new SignedMessage<>(SIGNER, 2, new BlockMessage.Prune(), SIGNATURE)));

        assertThatThrownBy(() -> BlockWire.decode(election, SIGNER)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("not a block message");
        assertThatThrownBy(() -> ElectionWire.decode(block, SIGNER)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("not an election message");
    }

    @Test
    void anEnvelopeWithBothBodiesKeepsTheLastAsProtobufDoes() throws MalformedMessageException {
        // A oneof on the wire holds one field; a sender writing both gets the last one decoded, never a mix.
        byte[] election = ElectionWire.encode(CHANNEL, new SignedMessage<>(SIGNER, 1, new ElectionMessage(true, 5), SIGNATURE));
        byte[] blockBody = SignedEnvelope.newBuilder()
                .setMessage(io.hearsay.proto.gossip.BlockMessage.newBuilder()
                        .setPrune(io.hearsay.proto.gossip.BlockMessage.Prune.getDefaultInstance()))
                .build().toByteArray();
        byte[] both = concat(election, blockBody);

        assertThat(EnvelopeWire.decode(ByteString.copyFrom(both), SIGNER)).isInstanceOf(EnvelopeWire.Blocks.class);
    }

    static Stream<Arguments> malformedEnvelopes() {
        return Stream.of(
                malformed("bytes that are no envelope", null, "envelope does not parse"),
                malformed("a 31-byte signer", e -> e.setSigner(ByteString.copyFrom(new byte[31])), "signer is 31 bytes"),
                malformed("no signature", e -> e.setSignature(ByteString.EMPTY), "signature is 0 bytes"),
                malformed("a 145-byte signature", e -> e.setSignature(ByteString.copyFrom(new byte[145])),
                        "signature is 145 bytes"),
                malformed("no channel", e -> e.setChannel(""), "channel id is empty"),
                malformed("a 250-character channel", e -> e.setChannel("c".repeat(250)), "longer than 249 characters"),
                malformed("a sequence of 2^63", e -> e.setSequence(Long.MIN_VALUE), "sequence " + TOO_BIG + " is out of range"),
                malformed("no body", SignedEnvelope.Builder::clearElection, "envelope carries no message"),
                malformed("a height of 2^63", e -> e.setElection(e.getElection().toBuilder().setLedgerHeight(Long.MIN_VALUE)),
                        "ledger height " + TOO_BIG + " is out of range"),
                malformed("a height of 2^64 - 1", e -> e.setElection(e.getElection().toBuilder().setLedgerHeight(-1)),
                        "ledger height 18446744073709551615 is out of range"));
    }

    private static Arguments malformed(String name, UnaryOperator<SignedEnvelope.Builder> mutation, String reason) {
        ByteString bytes;
        if (mutation == null) {
            bytes = ByteString.copyFrom(new byte[] {(byte) 0xFF, 0x01, 0x02});
        } else {
            SignedEnvelope.Builder envelope = valid().toBuilder();
            bytes = mutation.apply(envelope).build().toByteString();
        }
        return Arguments.of(name, bytes, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedEnvelopes")
    void aMalformedElectionEnvelopeIsRefusedWithItsReason(String name, ByteString envelope, String reason) {
        assertThatThrownBy(() -> ElectionWire.decode(envelope, SIGNER)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining(reason);
        // The node's dispatcher refuses it too (the connection closes with the reason).
        assertThatThrownBy(() -> EnvelopeWire.decode(envelope, SIGNER)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void theValidBaseDecodes() throws MalformedMessageException {
        assertThat(ElectionWire.decode(valid().toByteString(), SIGNER).signed().message()).isEqualTo(new ElectionMessage(true, 3));
    }

    private static SignedEnvelope valid() {
        try {
            return SignedEnvelope.parseFrom(ElectionWire.encode(CHANNEL,
                    new SignedMessage<>(SIGNER, 9, new ElectionMessage(true, 3), SIGNATURE)));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
