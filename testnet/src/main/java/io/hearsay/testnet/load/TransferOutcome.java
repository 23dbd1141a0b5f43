package io.hearsay.testnet.load;

import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * One transfer as the client saw it: where it was submitted, when, and how it ended. {@code code} is null when the
 * transaction never got a commit status (endorsement, submission or the status call failed; {@code failure} says why).
 *
 * @param startNanos when the client began (endorse), on {@link System#nanoTime()}
 * @param endNanos when the commit status (or the failure) came back
 */
public record TransferOutcome(String transactionId, String peer, long startNanos, long endNanos, TxValidationCode code,
        long blockNumber, String failure) {

    public boolean committedValid() {
        return code == TxValidationCode.VALID;
    }

    public long latencyNanos() {
        return endNanos - startNanos;
    }
}
