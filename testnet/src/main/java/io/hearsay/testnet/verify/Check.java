package io.hearsay.testnet.verify;

/** What the verifier checks; each finding names the check that failed. */
public enum Check {
    /** The peer's chain could not be read (unreachable, ledger does not open, a stored block does not parse). */
    READ_FAILURE,
    /** Block at position h does not carry number h. */
    BLOCK_NUMBER,
    /** A block's previous_hash is not the header hash of the block before it on the same peer. */
    HASH_CHAIN,
    /** A block's data_hash is not the hash of its data: the block was altered after the orderer cut it. */
    DATA_HASH,
    /** Peers hold different blocks at the same height. */
    FORK,
    /** Peers report different world-state hashes after the same block. */
    STATE_HASH,
    /** Peers have different heights (when equal heights are required, as after convergence). */
    HEIGHT,
    /** A block changed the total balance of the bank accounts that existed before it, or left one negative. */
    BANK_INVARIANT,
    /** A valid transaction or a block's validation codes cannot be read, so the bank cannot be recomputed. */
    MALFORMED_BLOCK
}
