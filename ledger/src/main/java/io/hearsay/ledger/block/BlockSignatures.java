package io.hearsay.ledger.block;

import com.google.protobuf.ByteString;

/** What an orderer signs for a block: metadata value ‖ signature header ‖ DER header (Fabric's rule). */
public final class BlockSignatures {
    private BlockSignatures() {}

    public static byte[] signedBytes(ByteString value, ByteString signatureHeader, byte[] headerBytes) {
        byte[] message = new byte[value.size() + signatureHeader.size() + headerBytes.length];
        value.copyTo(message, 0);
        signatureHeader.copyTo(message, value.size());
        System.arraycopy(headerBytes, 0, message, value.size() + signatureHeader.size(), headerBytes.length);
        return message;
    }
}
