package io.hearsay.ledger.validation;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hearsay.identity.Identity;
import io.hearsay.identity.IdentityException;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.Role;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.BlockRejectedException.Reason;
import io.hearsay.ledger.block.BlockHashing;
import io.hearsay.ledger.block.BlockSignatures;
import java.util.Arrays;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * The block-level checks, in order: number equals height, previous hash equals the head's hash, data
 * hash matches the data, every transaction canonically encoded, orderer signature valid. A block that
 * fails any is rejected whole. Stateless and thread-safe (gossip may pre-verify blocks off the commit path).
 */
public final class BlockVerifier {
    private final MspDirectory msps;
    private final String ordererMspId;

    public BlockVerifier(MspDirectory msps, String ordererMspId) {
        this.msps = msps;
        this.ordererMspId = ordererMspId;
    }

    /**
     * @param expectedNumber the ledger's height
     * @param expectedPreviousHash the head block's header hash (empty for block 0)
     */
    public void verify(Block block, long expectedNumber, byte[] expectedPreviousHash) throws BlockRejectedException {
        if (!block.hasHeader() || !block.hasData() || !block.hasMetadata()) {
            throw new BlockRejectedException(Reason.MALFORMED, block.getHeader().getNumber(),
                    "a block needs a header, data and metadata");
        }
        BlockHeader header = block.getHeader();
        long number = header.getNumber();
        if (number != expectedNumber) {
            throw new BlockRejectedException(Reason.WRONG_NUMBER, number,
                    "expected block " + Long.toUnsignedString(expectedNumber) + " (the ledger height)");
        }
        if (!Arrays.equals(header.getPreviousHash().toByteArray(), expectedPreviousHash)) {
            throw new BlockRejectedException(Reason.WRONG_PREVIOUS_HASH, number,
                    "previous hash does not match the hash of block " + Long.toUnsignedString(number - 1)
                            + ": the block belongs to another chain");
        }
        if (!Arrays.equals(header.getDataHash().toByteArray(), BlockHashing.dataHash(block.getData()))) {
            throw new BlockRejectedException(Reason.WRONG_DATA_HASH, number,
                    "data hash does not match the block's transactions");
        }
        requireCanonicalTransactions(block);
        verifyOrdererSignature(block);
    }

    /**
     * The data hash is a plain concatenation, so it does not fix where one transaction ends and the next
     * begins; a block whose entries re-marshal differently could be parsed differently by two peers
     * (CVE-2023-46132). Every entry must therefore be exactly the bytes of the envelope it parses to.
     */
    private static void requireCanonicalTransactions(Block block) throws BlockRejectedException {
        long number = block.getHeader().getNumber();
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            ByteString entry = block.getData().getData(i);
            try {
                Envelope envelope = Envelope.parseFrom(entry);
                Payload payload = Payload.parseFrom(envelope.getPayload());
                if (!envelope.toByteString().equals(entry) || !payload.toByteString().equals(envelope.getPayload())) {
                    throw new BlockRejectedException(Reason.NON_CANONICAL_TRANSACTION, number,
                            "transaction " + i + " does not re-marshal to its own bytes (CVE-2023-46132)");
                }
            } catch (InvalidProtocolBufferException e) {
                throw new BlockRejectedException(Reason.NON_CANONICAL_TRANSACTION, number,
                        "transaction " + i + " is not an envelope: " + e.getMessage());
            }
        }
    }

    private void verifyOrdererSignature(Block block) throws BlockRejectedException {
        long number = block.getHeader().getNumber();
        if (block.getMetadata().getMetadataCount() <= BlockMetadataIndex.SIGNATURES_VALUE) {
            throw new BlockRejectedException(Reason.BAD_ORDERER_SIGNATURE, number, "metadata has no SIGNATURES slot");
        }
        Metadata metadata;
        try {
            metadata = Metadata.parseFrom(block.getMetadata().getMetadata(BlockMetadataIndex.SIGNATURES_VALUE));
        } catch (InvalidProtocolBufferException e) {
            throw new BlockRejectedException(Reason.BAD_ORDERER_SIGNATURE, number, "SIGNATURES metadata does not parse");
        }
        if (metadata.getSignaturesCount() == 0) {
            throw new BlockRejectedException(Reason.BAD_ORDERER_SIGNATURE, number, "block carries no orderer signature");
        }
        byte[] headerBytes = BlockHashing.headerBytes(block.getHeader());
        String lastProblem = "";
        for (MetadataSignature signature : metadata.getSignaturesList()) {
            try {
                SignatureHeader signatureHeader = SignatureHeader.parseFrom(signature.getSignatureHeader());
                Identity signer = msps.validate(signatureHeader.getCreator());
                if (!signer.mspId().equals(ordererMspId) || signer.role().filter(Role.ORDERER::equals).isEmpty()) {
                    lastProblem = "signer " + signer + " is not an orderer of " + ordererMspId;
                    continue;
                }
                signer.verify(BlockSignatures.signedBytes(metadata.getValue(), signature.getSignatureHeader(), headerBytes),
                        signature.getSignature().toByteArray());
                return;
            } catch (InvalidProtocolBufferException e) {
                lastProblem = "signature header does not parse";
            } catch (IdentityException e) {
                lastProblem = e.getMessage();
            }
        }
        throw new BlockRejectedException(Reason.BAD_ORDERER_SIGNATURE, number,
                "no valid signature of the orderer organisation " + ordererMspId + " (" + lastProblem + ")");
    }
}
