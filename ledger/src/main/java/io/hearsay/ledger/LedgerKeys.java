package io.hearsay.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/** Keys and small values of the ledger's keyspaces other than STATE (see {@code StateCodec}). */
final class LedgerKeys {
    static final byte[] META_HEIGHT = bytes("height");
    static final byte[] META_HEAD_HASH = bytes("head-hash");
    static final byte[] META_STATE_HASH = bytes("state-hash");

    private LedgerKeys() {}

    /** Big-endian, so the keyspace's byte order is block order. */
    static byte[] number(long number) {
        return ByteBuffer.allocate(8).putLong(number).array();
    }

    static long number(byte[] bytes) {
        if (bytes.length != 8) {
            throw new IllegalStateException("stored block number is " + bytes.length + " bytes, expected 8");
        }
        return ByteBuffer.wrap(bytes).getLong();
    }

    static byte[] transactionId(String transactionId) {
        return bytes(transactionId);
    }

    static byte[] transactionRecord(long blockNumber, int position, TxValidationCode code) {
        return ByteBuffer.allocate(13).putLong(blockNumber).putInt(position).put((byte) code.getNumber()).array();
    }

    static TransactionRecord transactionRecord(String transactionId, byte[] stored) {
        ByteBuffer buffer = ByteBuffer.wrap(stored);
        long block = buffer.getLong();
        int position = buffer.getInt();
        TxValidationCode code = TxValidationCode.forNumber(Byte.toUnsignedInt(buffer.get()));
        return new TransactionRecord(transactionId, block, position,
                code == null ? TxValidationCode.INVALID_OTHER_REASON : code);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
