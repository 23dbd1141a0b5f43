package io.hearsay.peer.channel;

/**
 * Bounds of a {@link LedgerCommitFeed}.
 *
 * @param blocksPerTurn blocks one subscription hands to its sink before giving its executor thread back, so a
 *     subscriber replaying a long chain cannot starve the others sharing the executor; a turn costs one task
 *     submission, so small values only add scheduling overhead
 * @param transactionWaitersMax pending {@link CommitFeed#committed} waiters over all transaction ids; each is a
 *     pending CommitStatus call, and a client that submits without ever seeing its commits must not grow the
 *     peer's memory without bound. Beyond it {@code committed} fails at once with {@link TooManyWaitersException}
 */
public record CommitFeedConfig(int blocksPerTurn, int transactionWaitersMax) {
    /** 16 blocks: a few milliseconds of work for blocks of 100 transactions, then others get a turn. */
    public static final int DEFAULT_BLOCKS_PER_TURN = 16;
    /**
     * 100,000 waiters: a pending waiter costs a few hundred bytes, so about 30 MB at the bound, far above what
     * a peer's clients have in flight (at 10,000 tx/s with 2 s to commit, 20,000).
     */
    public static final int DEFAULT_TRANSACTION_WAITERS_MAX = 100_000;

    public CommitFeedConfig {
        if (blocksPerTurn < 1) {
            throw new IllegalArgumentException("blocksPerTurn is " + blocksPerTurn + "; it must be at least 1");
        }
        if (transactionWaitersMax < 1) {
            throw new IllegalArgumentException("transactionWaitersMax is " + transactionWaitersMax + "; it must be at least 1");
        }
    }

    public static CommitFeedConfig defaults() {
        return new CommitFeedConfig(DEFAULT_BLOCKS_PER_TURN, DEFAULT_TRANSACTION_WAITERS_MAX);
    }
}
