package io.hearsay.ledger.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.junit.jupiter.api.Test;

/**
 * Parsing with aliasing accepts and refuses exactly what {@code parseFrom(ByteString)} does, and gives equal
 * messages, whatever the bytes are a view into.
 */
class ProtosTest {
    private final Envelope envelope = Envelope.newBuilder()
            .setPayload(Payload.newBuilder().setData(ByteString.copyFromUtf8("the transaction")).build().toByteString())
            .setSignature(ByteString.copyFromUtf8("a signature"))
            .build();

    @Test
    void givesTheSameMessageAsParseFromForFlatViewAndRopeBytes() throws Exception {
        ByteString flat = envelope.toByteString();
        ByteString view = ByteString.copyFromUtf8("header").concat(flat).substring(6);
        ByteString rope = flat.substring(0, 7).concat(flat.substring(7));
        for (ByteString bytes : new ByteString[] {flat, view, rope}) {
            Envelope parsed = Protos.parse(Envelope.parser(), bytes);
            assertThat(parsed).isEqualTo(Envelope.parseFrom(bytes));
            assertThat(Protos.parse(Payload.parser(), parsed.getPayload()).getData().toStringUtf8()).isEqualTo("the transaction");
        }
    }

    @Test
    void refusesWhatParseFromRefuses() {
        ByteString flat = envelope.toByteString();
        ByteString truncated = flat.substring(0, flat.size() - 3);
        // A well-formed message followed by an end-group tag (field 1, wire type 4): not a whole message.
        ByteString endGroup = flat.concat(ByteString.copyFrom(new byte[] {0x0c}));
        ByteString zeroTag = flat.concat(ByteString.copyFrom(new byte[] {0x00}));
        for (ByteString bad : new ByteString[] {truncated, endGroup, zeroTag}) {
            assertThatThrownBy(() -> Envelope.parseFrom(bad)).isInstanceOf(InvalidProtocolBufferException.class);
            assertThatThrownBy(() -> Protos.parse(Envelope.parser(), bad)).isInstanceOf(InvalidProtocolBufferException.class);
        }
    }

    @Test
    void sameBytesComparesContentNotRepresentation() {
        ByteString flat = envelope.toByteString();
        ByteString rope = flat.substring(0, 3).concat(flat.substring(3));
        assertThat(Protos.sameBytes(flat, rope)).isTrue();
        assertThat(Protos.sameBytes(flat, flat.substring(1))).isFalse();
        byte[] flipped = flat.toByteArray();
        flipped[flipped.length - 1] ^= 1;
        assertThat(Protos.sameBytes(flat, ByteString.copyFrom(flipped))).isFalse();
        assertThat(Protos.sameBytes(ByteString.EMPTY, ByteString.copyFrom(new byte[0]))).isTrue();
    }
}
