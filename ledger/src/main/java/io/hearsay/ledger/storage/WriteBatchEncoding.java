package io.hearsay.ledger.storage;

import java.util.List;

/**
 * A {@link StorageBatch} in RocksDB's own serialised {@code WriteBatch} format, so that {@link RocksStorage}
 * hands RocksDB a block's whole batch in one JNI call ({@code new WriteBatch(byte[])}) instead of one call
 * per operation: about 800 per block, each of which pinned and copied its key and value separately.
 *
 * <pre>
 * batch   := sequence (fixed64, 0: the database assigns it) ‖ count (fixed32) ‖ record × count
 * record  := 0x05 ‖ varint32 column family ‖ varstring key ‖ varstring value       put
 *          | 0x04 ‖ varint32 column family ‖ varstring key                         delete
 *          | 0x01 ‖ varstring key ‖ varstring value  /  0x00 ‖ varstring key       the same in family 0
 * varstring := varint32 length ‖ bytes;  fixed = little-endian;  varint32 = LEB128
 * </pre>
 *
 * This is the format of RocksDB's write-ahead log records ({@code db/write_batch.cc}), which RocksDB keeps
 * readable across versions; a test compares it byte for byte with what RocksJava's own {@code put} and
 * {@code delete} build. Operations keep their order, so a later write of a key still wins.
 */
final class WriteBatchEncoding {
    static final int HEADER_BYTES = 12;
    private static final byte TYPE_DELETION = 0x0;
    private static final byte TYPE_VALUE = 0x1;
    private static final byte TYPE_COLUMN_FAMILY_DELETION = 0x4;
    private static final byte TYPE_COLUMN_FAMILY_VALUE = 0x5;
    /** A Java array's limit, and well below RocksDB's 4 GiB per batch. */
    static final long BATCH_BYTES_MAX = Integer.MAX_VALUE - 16;

    private WriteBatchEncoding() {}

    /**
     * @param columnFamilyIds RocksDB's id of each keyspace's column family, indexed by {@link Keyspace#ordinal()}
     * @throws StorageException if the batch would not fit in one array (RocksDB could not take it either)
     */
    static byte[] encode(List<StorageBatch.Operation> operations, int[] columnFamilyIds) {
        long size = HEADER_BYTES;
        for (StorageBatch.Operation operation : operations) {
            int family = columnFamilyIds[operation.keyspace().ordinal()];
            size += 1 + (family == 0 ? 0 : varintBytes(family)) + varintBytes(operation.key().length) + operation.key().length;
            if (!operation.isDelete()) {
                size += varintBytes(operation.value().length) + operation.value().length;
            }
        }
        if (size > BATCH_BYTES_MAX) {
            throw new StorageException("a batch of " + operations.size() + " operations is " + size
                    + " bytes serialised, over the " + BATCH_BYTES_MAX + " one write can take");
        }
        byte[] out = new byte[(int) size];
        int position = 8; // sequence: left 0
        position = fixed32(out, position, operations.size());
        for (StorageBatch.Operation operation : operations) {
            int family = columnFamilyIds[operation.keyspace().ordinal()];
            boolean delete = operation.isDelete();
            if (family == 0) {
                out[position++] = delete ? TYPE_DELETION : TYPE_VALUE;
            } else {
                out[position++] = delete ? TYPE_COLUMN_FAMILY_DELETION : TYPE_COLUMN_FAMILY_VALUE;
                position = varint(out, position, family);
            }
            position = varstring(out, position, operation.key());
            if (!delete) {
                position = varstring(out, position, operation.value());
            }
        }
        if (position != out.length) {
            throw new IllegalStateException("encoded " + position + " bytes, sized " + out.length);
        }
        return out;
    }

    private static int varintBytes(int value) {
        int bytes = 1;
        while ((value >>>= 7) != 0) {
            bytes++;
        }
        return bytes;
    }

    private static int varint(byte[] out, int position, int value) {
        while ((value & ~0x7F) != 0) {
            out[position++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[position++] = (byte) value;
        return position;
    }

    private static int varstring(byte[] out, int position, byte[] bytes) {
        position = varint(out, position, bytes.length);
        System.arraycopy(bytes, 0, out, position, bytes.length);
        return position + bytes.length;
    }

    private static int fixed32(byte[] out, int position, int value) {
        for (int i = 0; i < Integer.BYTES; i++) {
            out[position++] = (byte) (value >>> (8 * i));
        }
        return position;
    }
}
