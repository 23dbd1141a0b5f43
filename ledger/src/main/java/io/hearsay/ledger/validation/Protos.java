package io.hearsay.ledger.validation;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;

/**
 * Parsing of the nested messages of a transaction without copying their bytes. A Fabric transaction is
 * bytes inside bytes five levels deep (envelope, payload, transaction, action payload, response payload,
 * action, read-write set), and {@code Parser.parseFrom(ByteString)} copies every bytes field it meets, so
 * the same kilobytes were copied at every level: with the allocation they cost, the largest part of the
 * block-level checks. Parsed with aliasing, a bytes field is a view into the bytes it was read from.
 *
 * <p>Safe because ByteStrings are immutable: a view can never see its bytes change. It keeps the buffer
 * it views alive as long as it lives, so parsed messages should not be kept beyond the block they belong
 * to (copy what must outlive it, as {@code MspDirectory} does with identities).
 */
final class Protos {
    private Protos() {}

    /**
     * What {@code parser.parseFrom(bytes)} returns, with bytes fields aliasing {@code bytes}; the same
     * messages are accepted and refused.
     */
    static <T extends MessageLite> T parse(Parser<T> parser, ByteString bytes) throws InvalidProtocolBufferException {
        CodedInputStream input = bytes.newCodedInput();
        input.enableAliasing(true);
        T message = parser.parseFrom(input);
        // As parseFrom(ByteString) does: a message that ends in an end-group tag is not a whole message.
        input.checkLastTagWas(0);
        return message;
    }

    /** Whether two byte strings are equal, compared many bytes at a time (ByteString's equals goes byte by byte). */
    static boolean sameBytes(ByteString a, ByteString b) {
        return a.size() == b.size() && a.asReadOnlyByteBuffer().equals(b.asReadOnlyByteBuffer());
    }
}
