package io.hearsay.peer.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.identity.PkiId;
import io.hearsay.proto.gossip.SignedEnvelope;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The wire codec: every kind of block message survives encode then decode unchanged, and every way an envelope
 * can be malformed is refused with a reason naming what is wrong. Samples of each kind are built from the
 * record's components, so a kind added to (or a field added to) {@link BlockMessage} is covered without editing
 * this test — and a kind the codec does not know fails it.
 */
class BlockWireTest {
    private static final PkiId SIGNER = PkiId.fromBytes(filled(PkiId.LENGTH_BYTES, 0x5A));
    private static final byte[] SIGNATURE = filled(71, 0x30);
    private static final String CHANNEL = "testchannel";
    private static final String TOO_BIG = Long.toUnsignedString(Long.MIN_VALUE); // 2^63

    // ---- round trips ----

    static Stream<Arguments> everyKind() {
        List<Arguments> samples = new ArrayList<>();
        for (Class<?> kind : BlockMessage.class.getPermittedSubclasses()) {
            samples.add(Arguments.of(kind.getSimpleName() + " (full)", sample(kind, true)));
            samples.add(Arguments.of(kind.getSimpleName() + " (zero)", sample(kind, false)));
        }
        return samples.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKind")
    void everyKindRoundTrips(String name, BlockMessage message) throws MalformedMessageException {
        SignedMessage<BlockMessage> signed = new SignedMessage<>(SIGNER, 1_234_567, message, SIGNATURE);

        SignedMessage<BlockMessage> decoded = BlockWire.decode(ByteString.copyFrom(BlockWire.encode(CHANNEL, signed)), SIGNER).signed();

        assertThat(decoded.signer()).isEqualTo(SIGNER);
        assertThat(decoded.sequence()).isEqualTo(1_234_567);
        assertThat(decoded.signature()).isEqualTo(SIGNATURE);
        assertThat(decoded.message()).isEqualTo(message);
    }

    @Test
    void theSignerIsNotSentButTakenFromTheLink() throws Exception {
        SignedMessage<BlockMessage> signed = new SignedMessage<>(SIGNER, 7, new BlockMessage.Prune(), SIGNATURE);
        SignedEnvelope onTheWire = SignedEnvelope.parseFrom(BlockWire.encode(CHANNEL, signed));
        PkiId link = PkiId.fromBytes(filled(PkiId.LENGTH_BYTES, 0x33));

        assertThat(onTheWire.getSigner()).as("signer on the wire").isEmpty();
        assertThat(BlockWire.decode(onTheWire.toByteString(), link).signed().signer()).isEqualTo(link);
        // An envelope that names a signer keeps it; the channel refuses it unless it is the link's peer.
        assertThat(BlockWire.decode(validEnvelope().build().toByteString(), link).signed().signer()).isEqualTo(SIGNER);
    }

    @Test
    void blockBodiesTravelOnTheBulkLane() {
        for (Class<?> kind : BlockMessage.class.getPermittedSubclasses()) {
            boolean carriesBlocks = kind == BlockMessage.Push.class || kind == BlockMessage.RangeResponse.class;
            assertThat(BlockWire.isBulk(sample(kind, true))).as(kind.getSimpleName()).isEqualTo(carriesBlocks);
        }
    }

    @Test
    void largestSequenceAndNumbersRoundTrip() throws MalformedMessageException {
        SignedMessage<BlockMessage> signed = new SignedMessage<>(SIGNER, Long.MAX_VALUE,
                new BlockMessage.RangeRequest(Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE), SIGNATURE);

        SignedMessage<BlockMessage> decoded = BlockWire.decode(ByteString.copyFrom(BlockWire.encode(CHANNEL, signed)), SIGNER).signed();

        assertThat(decoded.sequence()).isEqualTo(Long.MAX_VALUE);
        assertThat(decoded.message()).isEqualTo(signed.message());
    }

    // ---- malformed envelopes ----

    static Stream<Arguments> malformed() {
        ByteString garbage = ByteString.copyFrom(new byte[] {(byte) 0xFF, 0x01});
        return Stream.of(
                malformed("bytes that are no protobuf", garbage, "envelope does not parse"),
                malformed("a 33-byte signer", e -> e.setSigner(ByteString.copyFrom(new byte[33])), "signer is 33 bytes"),
                malformed("no signature", e -> e.clearSignature(), "signature is 0 bytes"),
                malformed("no channel", e -> e.clearChannel(), "channel id is empty"),
                malformed("a 250-character channel", e -> e.setChannel("c".repeat(250)), "longer than 249 characters"),
                malformed("a 145-byte signature", e -> e.setSignature(ByteString.copyFrom(new byte[145])),
                        "signature is 145 bytes"),
                malformed("a sequence of 2^63", e -> e.setSequence(Long.MIN_VALUE), "sequence " + TOO_BIG + " is out of range"),
                malformed("no message", e -> e.clearMessage(), "envelope carries no message"),
                malformed("a message of no kind", e -> e.setMessage(wire()), "message has no known kind"),
                malformed("a message of an unknown kind", e -> e.setMessage(wire().setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build())),
                        "message has no known kind"),
                malformed("a push of bytes that are no block", e -> e.setMessage(wire().setPush(push(garbage))),
                        "block does not parse"),
                malformed("a push of a block with no header", e -> e.setMessage(wire().setPush(push(ByteString.EMPTY))),
                        "block has no header"),
                malformed("a push of block 2^63", e -> e.setMessage(wire().setPush(push(block(Long.MIN_VALUE).toByteString()))),
                        "block number " + TOO_BIG + " is out of range"),
                malformed("an announce of block 2^63", e -> e.setMessage(wire().setAnnounce(
                        io.hearsay.proto.gossip.BlockMessage.Announce.newBuilder().setNumber(Long.MIN_VALUE).setHeaderHash(hash()))),
                        "number " + TOO_BIG + " is out of range"),
                malformed("an announce with a 31-byte hash", e -> e.setMessage(wire().setAnnounce(
                        io.hearsay.proto.gossip.BlockMessage.Announce.newBuilder().setNumber(1)
                                .setHeaderHash(ByteString.copyFrom(new byte[31])))), "header hash is 31 bytes, not 32"),
                malformed("a request of block 2^63", e -> e.setMessage(wire().setRequest(
                        io.hearsay.proto.gossip.BlockMessage.Request.newBuilder().setNumber(Long.MIN_VALUE).setHeaderHash(hash()))),
                        "number " + TOO_BIG + " is out of range"),
                malformed("a request with a 33-byte hash", e -> e.setMessage(wire().setRequest(
                        io.hearsay.proto.gossip.BlockMessage.Request.newBuilder().setNumber(1)
                                .setHeaderHash(ByteString.copyFrom(new byte[33])))), "header hash is 33 bytes, not 32"),
                malformed("a heartbeat of height 2^63", e -> e.setMessage(wire().setHeartbeat(
                        io.hearsay.proto.gossip.BlockMessage.Heartbeat.newBuilder().setHeight(Long.MIN_VALUE).setHeadHash(hash()))),
                        "height " + TOO_BIG + " is out of range"),
                malformed("a heartbeat with no head hash", e -> e.setMessage(wire().setHeartbeat(
                        io.hearsay.proto.gossip.BlockMessage.Heartbeat.newBuilder().setHeight(1))), "head hash is 0 bytes, not 32"),
                malformed("a range from 2^63", e -> e.setMessage(wire().setRangeRequest(
                        io.hearsay.proto.gossip.BlockMessage.RangeRequest.newBuilder().setFrom(Long.MIN_VALUE).setToExclusive(1))),
                        "from " + TOO_BIG + " is out of range"),
                malformed("a range to 2^63", e -> e.setMessage(wire().setRangeRequest(
                        io.hearsay.proto.gossip.BlockMessage.RangeRequest.newBuilder().setFrom(1).setToExclusive(Long.MIN_VALUE))),
                        "to " + TOO_BIG + " is out of range"),
                malformed("a range response with bytes that are no block", e -> e.setMessage(wire().setRangeResponse(
                        io.hearsay.proto.gossip.BlockMessage.RangeResponse.newBuilder().addBlocks(block(1).toByteString())
                                .addBlocks(garbage))), "block does not parse"),
                malformed("a range response with a headerless block", e -> e.setMessage(wire().setRangeResponse(
                        io.hearsay.proto.gossip.BlockMessage.RangeResponse.newBuilder().addBlocks(ByteString.EMPTY))),
                        "block has no header"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedEnvelopeIsRefusedWithItsReason(String name, ByteString envelope, String reason) {
        assertThatThrownBy(() -> BlockWire.decode(envelope, SIGNER))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining(reason);
    }

    /**
     * Decoding runs on the gRPC thread, where any exception but {@link MalformedMessageException} would cancel the
     * stream uncounted. So mutated encodings of every kind (bytes flipped, cut short, spliced) — 20,000 from a fixed
     * seed — either decode or are refused as malformed, never anything else.
     */
    @Test
    void mutatedEnvelopesDecodeOrAreRefusedAsMalformed() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(20_261_124);
        List<byte[]> valid = new ArrayList<>();
        for (Class<?> kind : BlockMessage.class.getPermittedSubclasses()) {
            valid.add(BlockWire.encode(CHANNEL, new SignedMessage<>(SIGNER, 99, sample(kind, true), SIGNATURE)));
        }
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = valid.get(random.nextInt(valid.size())).clone();
            switch (random.nextInt(3)) {
                case 0 -> {
                    for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                    }
                }
                case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
                default -> {
                    byte[] other = valid.get(random.nextInt(valid.size()));
                    int cut = random.nextInt(bytes.length);
                    int from = random.nextInt(other.length);
                    byte[] spliced = Arrays.copyOf(bytes, cut + other.length - from);
                    System.arraycopy(other, from, spliced, cut, other.length - from);
                    bytes = spliced;
                }
            }
            ByteString mutated = ByteString.copyFrom(bytes);
            try {
                BlockWire.decode(mutated, SIGNER);
            } catch (MalformedMessageException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (RuntimeException e) {
                throw new AssertionError("mutation " + i + " escaped as " + e + ": " + java.util.HexFormat.of().formatHex(bytes), e);
            }
        }
    }

    /** The valid envelope every malformed case starts from decodes: each case fails for its change alone. */
    @Test
    void theValidBaseDecodes() throws MalformedMessageException {
        assertThat(BlockWire.decode(validEnvelope().build().toByteString(), SIGNER).signed().message())
                .isEqualTo(new BlockMessage.Heartbeat(1, hash(), true));
    }

    // ---- samples ----

    private static Arguments malformed(String name, ByteString envelope, String reason) {
        return Arguments.of(name, envelope, reason);
    }

    private static Arguments malformed(String name, UnaryOperator<SignedEnvelope.Builder> change, String reason) {
        return Arguments.of(name, change.apply(validEnvelope()).build().toByteString(), reason);
    }

    private static SignedEnvelope.Builder validEnvelope() {
        return SignedEnvelope.newBuilder()
                .setChannel(CHANNEL)
                .setSigner(SIGNER.toByteString())
                .setSequence(1)
                .setSignature(ByteString.copyFrom(SIGNATURE))
                .setMessage(wire().setHeartbeat(io.hearsay.proto.gossip.BlockMessage.Heartbeat.newBuilder()
                        .setHeight(1).setHeadHash(hash()).setPull(true)));
    }

    private static io.hearsay.proto.gossip.BlockMessage.Builder wire() {
        return io.hearsay.proto.gossip.BlockMessage.newBuilder();
    }

    private static io.hearsay.proto.gossip.BlockMessage.Push push(ByteString block) {
        return io.hearsay.proto.gossip.BlockMessage.Push.newBuilder().setBlock(block).setForward(true).build();
    }

    /**
     * An instance of a message kind, from sample values by component type: {@code full} sets every field (two
     * blocks in a list), otherwise every field is zero, false or empty (hashes stay 32 bytes, as they must).
     */
    private static BlockMessage sample(Class<?> kind, boolean full) {
        RecordComponent[] components = kind.getRecordComponents();
        if (components == null) {
            throw new AssertionError(kind + " is not a record; give it a sample here");
        }
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = sampleValue(kind, components[i], full, i);
        }
        try {
            Constructor<?> constructor = kind.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return (BlockMessage) constructor.newInstance(values);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new AssertionError("cannot build a sample " + kind.getSimpleName() + ": " + e, e);
        }
    }

    private static Object sampleValue(Class<?> kind, RecordComponent component, boolean full, int index) {
        Class<?> type = component.getType();
        if (type == long.class) {
            return full ? 1_000L + index : 0L;
        } else if (type == int.class) {
            return full ? 4_096 + index : 0;
        } else if (type == boolean.class) {
            return full;
        } else if (type == ByteString.class) {
            return full ? hash() : ByteString.copyFrom(new byte[32]);
        } else if (type == Block.class) {
            return block(full ? 7 : 0);
        } else if (type == List.class && elementType(component) == Block.class) {
            return full ? List.of(block(7), block(8)) : List.of();
        }
        throw new AssertionError("no sample value for " + kind.getSimpleName() + "." + component.getName() + " of type "
                + component.getGenericType() + "; add one here");
    }

    private static Type elementType(RecordComponent component) {
        return component.getGenericType() instanceof ParameterizedType list ? list.getActualTypeArguments()[0] : null;
    }

    private static Block block(long number) {
        return Block.newBuilder()
                .setHeader(BlockHeader.newBuilder().setNumber(number).setDataHash(hash()).setPreviousHash(hash()))
                .setData(BlockData.newBuilder().addData(ByteString.copyFromUtf8("transaction of block " + number)))
                .build();
    }

    private static ByteString hash() {
        return ByteString.copyFrom(filled(32, 0x11));
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
