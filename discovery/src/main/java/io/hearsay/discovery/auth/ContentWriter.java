package io.hearsay.discovery.auth;

import com.google.protobuf.ByteString;
import java.io.UTFDataFormatException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable byte buffer that signed content is written into: the encodings of {@link java.io.DataOutputStream}
 * (big-endian numbers, modified UTF-8 strings with a two-byte length), byte for byte, without its stream,
 * exception and synchronisation machinery. One writer is reused for every message of a channel, so encoding
 * a message allocates only its final array. Not thread-safe: it belongs to one serial context.
 */
public final class ContentWriter {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] bytes;
    private int length;

    public ContentWriter(int capacityBytes) {
        this.bytes = new byte[Math.max(16, capacityBytes)];
    }

    /** Empties the buffer, keeping its capacity. */
    public void reset() {
        length = 0;
    }

    public int length() {
        return length;
    }

    /** Bytes the buffer holds before it must grow. */
    public int capacity() {
        return bytes.length;
    }

    /**
     * The buffer itself, of which the first {@link #length()} bytes were written: for reading in place, until
     * the next write or reset. Never hand it to code that keeps it.
     */
    public byte[] buffer() {
        return bytes;
    }

    /** A copy of what was written, exactly {@link #length()} bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    public ContentWriter writeByte(int value) {
        ensure(1);
        bytes[length++] = (byte) value;
        return this;
    }

    public ContentWriter writeBoolean(boolean value) {
        return writeByte(value ? 1 : 0);
    }

    public ContentWriter writeInt(int value) {
        ensure(4);
        INT.set(bytes, length, value);
        length += 4;
        return this;
    }

    public ContentWriter writeLong(long value) {
        ensure(8);
        LONG.set(bytes, length, value);
        length += 8;
        return this;
    }

    public ContentWriter write(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, bytes, length, value.length);
        length += value.length;
        return this;
    }

    public ContentWriter write(ByteString value) {
        int size = value.size();
        ensure(size);
        value.copyTo(bytes, 0, length, size);
        length += size;
        return this;
    }

    /** {@link java.io.DataOutputStream#writeUTF}: a two-byte length, then modified UTF-8 (NUL as two bytes). */
    public ContentWriter writeUtf(String value) {
        int chars = value.length();
        int encoded = 0;
        for (int i = 0; i < chars; i++) {
            char c = value.charAt(i);
            encoded += c >= 0x0001 && c <= 0x007f ? 1 : c <= 0x07ff ? 2 : 3;
        }
        if (encoded > 0xffff) {
            throw new UncheckedIOException(new UTFDataFormatException("encoded string too long: " + encoded + " bytes"));
        }
        ensure(2 + encoded);
        bytes[length++] = (byte) (encoded >>> 8);
        bytes[length++] = (byte) encoded;
        for (int i = 0; i < chars; i++) {
            char c = value.charAt(i);
            if (c >= 0x0001 && c <= 0x007f) {
                bytes[length++] = (byte) c;
            } else if (c <= 0x07ff) {
                bytes[length++] = (byte) (0xc0 | ((c >> 6) & 0x1f));
                bytes[length++] = (byte) (0x80 | (c & 0x3f));
            } else {
                bytes[length++] = (byte) (0xe0 | ((c >> 12) & 0x0f));
                bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                bytes[length++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        return this;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
