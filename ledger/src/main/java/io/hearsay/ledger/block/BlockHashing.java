package io.hearsay.ledger.block;

import com.google.protobuf.ByteString;
import io.hearsay.identity.Hashes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;

/**
 * Fabric's block hashing rules, so our hashes agree with Fabric's tools.
 *
 * <ul>
 *   <li>header hash = SHA-256 of the ASN.1 DER {@code SEQUENCE{INTEGER number, OCTET STRING previous_hash,
 *       OCTET STRING data_hash}} ({@code protoutil.BlockHeaderHash});
 *   <li>data hash = SHA-256 of the plain concatenation of the data entries ({@code protoutil.ComputeBlockDataHash}).
 * </ul>
 *
 * The concatenation does not fix where one transaction ends and the next begins; that is why the
 * verifier also requires every entry to be canonically encoded (CVE-2023-46132).
 */
public final class BlockHashing {
    private BlockHashing() {}

    /** The DER bytes that the orderer signs and whose hash the next block names as previous. */
    public static byte[] headerBytes(BlockHeader header) {
        ASN1EncodableVector fields = new ASN1EncodableVector(3);
        // The number is a uint64 in protobuf: read it unsigned.
        fields.add(new ASN1Integer(new BigInteger(Long.toUnsignedString(header.getNumber()))));
        fields.add(new DEROctetString(header.getPreviousHash().toByteArray()));
        fields.add(new DEROctetString(header.getDataHash().toByteArray()));
        try {
            return new DERSequence(fields).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException("DER encoding in memory cannot fail", e);
        }
    }

    public static byte[] headerHash(BlockHeader header) {
        return Hashes.sha256(headerBytes(header));
    }

    public static byte[] dataHash(BlockData data) {
        MessageDigest digest = Hashes.sha256();
        for (ByteString entry : data.getDataList()) {
            digest.update(entry.asReadOnlyByteBuffer());
        }
        return digest.digest();
    }
}
