package io.hearsay.ledger.validation;

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
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * The block-level checks, in order: number equals height, previous hash equals the head's hash, data
 * hash matches the data, every transaction canonically encoded, orderer signature valid. A block that
 * fails any is rejected whole, for the first reason in that order. Stateless and thread-safe (gossip may
 * pre-verify blocks off the commit path).
 *
 * <p>The committer splits them so that no envelope is parsed twice: {@link #checkPosition} (cheap, needs
 * the previous block), {@link #checkContent} (data hash and orderer signature, on a check thread), and the
 * canonical encoding, which {@link TransactionValidator} checks on the envelopes it parses anyway and
 * {@link #requireCanonical} turns into the block's verdict. {@link #verify} is all of them in one call.
 */
public final class BlockVerifier {
    private final MspDirectory msps;
    private final String ordererMspId;

    public BlockVerifier(MspDirectory msps, String ordererMspId) {
        this.msps = msps;
        this.ordererMspId = ordererMspId;
    }

    /**
     * Every block-level check, in order, for a caller that has not checked the transactions.
     *
     * @param expectedNumber the ledger's height
     * @param expectedPreviousHash the head block's header hash (empty for block 0)
     */
    public void verify(Block block, long expectedNumber, byte[] expectedPreviousHash) throws BlockRejectedException {
        checkPosition(block, expectedNumber, expectedPreviousHash);
        checkDataHash(block);
        requireCanonicalTransactions(block);
        verifyOrdererSignature(block);
    }

    /** The block has a header, data and metadata, and its number and previous hash follow the head's. */
    public void checkPosition(Block block, long expectedNumber, byte[] expectedPreviousHash) throws BlockRejectedException {
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
    }

    /**
     * The data hash, then the orderer signature, of a block that passed {@link #checkPosition}. That leaves
     * the canonical encoding to the caller ({@link #requireCanonical} over its transaction checks), except
     * when the signature is bad: then this scans the entries itself, so that a block both non-canonical and
     * badly signed is rejected as non-canonical, the earlier check, whichever way it was checked.
     */
    public void checkContent(Block block) throws BlockRejectedException {
        checkDataHash(block);
        try {
            verifyOrdererSignature(block);
        } catch (BlockRejectedException badSignature) {
            requireCanonicalTransactions(block);
            throw badSignature;
        }
    }

    /** Rejects the block numbered {@code number} if any of its checked transactions is not canonically encoded. */
    public static void requireCanonical(long number, List<CheckedTransaction> checked) throws BlockRejectedException {
        for (int i = 0; i < checked.size(); i++) {
            if (!checked.get(i).canonical()) {
                throw nonCanonical(number, i, checked.get(i).reason());
            }
        }
    }

    private static void checkDataHash(Block block) throws BlockRejectedException {
        if (!Arrays.equals(block.getHeader().getDataHash().toByteArray(), BlockHashing.dataHash(block.getData()))) {
            throw new BlockRejectedException(Reason.WRONG_DATA_HASH, block.getHeader().getNumber(),
                    "data hash does not match the block's transactions");
        }
    }

    /** See {@link CanonicalEncoding}: parses every entry, so only for callers that do not check them anyway. */
    private static void requireCanonicalTransactions(Block block) throws BlockRejectedException {
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            String problem = CanonicalEncoding.problem(block.getData().getData(i));
            if (problem != null) {
                throw nonCanonical(block.getHeader().getNumber(), i, problem);
            }
        }
    }

    private static BlockRejectedException nonCanonical(long number, int position, String problem) {
        return new BlockRejectedException(Reason.NON_CANONICAL_TRANSACTION, number, "transaction " + position + " " + problem);
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
