package io.hearsay.ledger;

import java.util.List;
import java.util.Objects;

/**
 * A block failed a block-level check and was not committed; nothing of it was written. The reason is
 * for code (metrics, penalising the peer that sent it), the message for people.
 *
 * <p>From {@link Ledger#commitAll}, {@link #committed()} lists the blocks of the same call that were
 * committed, durably, before this one: the rejected block is the list's element number
 * {@code committed().size()}, and nothing from it on was written.
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
    /** Not serialised with the exception: results hold whole blocks, and a remote caller has the ledger's height. */
    private final transient List<CommitResult> committed;

    public BlockRejectedException(Reason reason, long blockNumber, String message) {
        super("block " + Long.toUnsignedString(blockNumber) + " rejected: " + message);
        this.reason = Objects.requireNonNull(reason);
        this.blockNumber = blockNumber;
        this.committed = List.of();
    }

    /** {@code rejection}, thrown after {@code committed} were committed by the same call; same stack trace. */
    private BlockRejectedException(BlockRejectedException rejection, List<CommitResult> committed) {
        super(rejection.getMessage());
        this.reason = rejection.reason;
        this.blockNumber = rejection.blockNumber;
        this.committed = List.copyOf(committed);
        setStackTrace(rejection.getStackTrace());
    }

    /** This rejection as thrown by a call that committed {@code committedBefore} first. */
    BlockRejectedException afterCommitting(List<CommitResult> committedBefore) {
        return committedBefore.isEmpty() ? this : new BlockRejectedException(this, committedBefore);
    }

    public Reason reason() {
        return reason;
    }

    public long blockNumber() {
        return blockNumber;
    }

    /** The blocks the same call committed before this one, in order; empty from {@link Ledger#commit}. */
    public List<CommitResult> committed() {
        return committed == null ? List.of() : committed;
    }
}
