package io.hearsay.discovery.election;

/**
 * What election peers say to each other: a declaration that the sender leads (sent every heartbeat interval)
 * or that it has stepped down (sent once). The sender is the authenticated link identity the transport hands
 * the handler, never a claim inside the message; authenticating it is the channel's job.
 *
 * @param leading true: "I lead"; false: "I stepped down", so followers need not wait for a timeout
 * @param ledgerHeight the sender's ledger height when it sent, so followers rank it without membership metadata
 */
public record ElectionMessage(boolean leading, long ledgerHeight) {
    public ElectionMessage {
        if (ledgerHeight < 0) {
            throw new IllegalArgumentException("ledgerHeight is " + ledgerHeight + "; it cannot be negative");
        }
    }

    /** Flag and height: what a length-prefixed encoding would need. */
    public int sizeBytes() {
        return 1 + 8;
    }
}
