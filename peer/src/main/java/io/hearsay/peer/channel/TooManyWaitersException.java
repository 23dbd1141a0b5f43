package io.hearsay.peer.channel;

/** {@link CommitFeed#committed} was refused because {@link CommitFeedConfig#transactionWaitersMax} are already pending. */
public final class TooManyWaitersException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TooManyWaitersException(int waitersMax) {
        super("this peer already has " + waitersMax + " commit-status calls waiting; retry later or raise transactionWaitersMax");
    }
}
