package io.hearsay.ledger;

import java.util.Objects;

/**
 * A block failed a block-level check and was not committed; nothing of it was written. The reason is
 * for code (metrics, penalising the peer that sent it), the message for people.
 */
public final class BlockRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The block-level check that failed. */
    public enum Reason {
        /** The number is not the ledger's height (a gap, or a block already committed). */
        WRONG_NUMBER,
        /** The previous hash is not the hash of the ledger's head block: a fork or a forgery. */
        WRONG_PREVIOUS_HASH,
        /** The data hash does not match the transactions. */
        WRONG_DATA_HASH,
        /** No valid signature of the orderer organisation. */
        BAD_ORDERER_SIGNATURE,
        /** A transaction's bytes do not re-marshal to themselves (CVE-2023-46132). */
        NON_CANONICAL_TRANSACTION,
        /** A required part is missing or does not parse, or a bound is exceeded. */
        MALFORMED,
        /** A genesis block for another channel, or with an unusable configuration. */
        BAD_CONFIG
    }

    private final Reason reason;
    private final long blockNumber;

    public BlockRejectedException(Reason reason, long blockNumber, String message) {
        super("block " + Long.toUnsignedString(blockNumber) + " rejected: " + message);
        this.reason = Objects.requireNonNull(reason);
        this.blockNumber = blockNumber;
    }

    public Reason reason() {
        return reason;
    }

    public long blockNumber() {
        return blockNumber;
    }
}
