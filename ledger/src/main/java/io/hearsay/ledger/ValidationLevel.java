package io.hearsay.ledger;

/**
 * How much a commit checks. Every level keeps the ledger internally consistent (hash chain, MVCC, state
 * hash); they differ in which signatures they trust.
 */
public enum ValidationLevel {
    /**
     * Everything: block-level checks, then every transaction's creator and endorsement signatures and the
     * endorsement policy. The default, and the only level for blocks from an untrusted source.
     */
    FULL,
    /**
     * Block-level checks (hash chain, data hash, canonical encoding, orderer signature) and every
     * non-signature transaction check, but no transaction signatures. Sound only for blocks of a chain
     * whose transactions someone trusted has already validated, e.g. re-importing a peer's own backup.
     */
    BLOCK
}
