package io.hearsay.gossip.block;

import io.hearsay.ledger.BlockRejectedException;

/**
 * How a run of blocks handed to {@link BlockLedger#startCommit} ended: every block committed, a block rejected
 * ({@link BlockRejectedException}: the ones before it are committed), or the commit failed otherwise (storage, say).
 * In either failure the ledger's height tells how far the run got.
 *
 * @param failure null if the whole run is committed and durable
 */
public record CommitOutcome(Throwable failure) {
    public static final CommitOutcome COMMITTED = new CommitOutcome(null);

    public boolean committed() {
        return failure == null;
    }

    /** The failure again, unchecked, for a caller that fails as a synchronous commit would have. */
    RuntimeException rethrow() {
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("commit failed: " + failure, failure);
    }
}
