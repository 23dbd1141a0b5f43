package io.hearsay.testnet.verify;

import java.util.List;

/**
 * One inconsistency: which check failed, at which height (block number), on which peers, and what was seen.
 *
 * @param peers the peers at fault: for a fork or a state-hash split, those outside the largest group of agreeing
 *     peers (ties: the group of the first peer listed stays); otherwise the one peer concerned
 */
public record Finding(Check check, long height, List<String> peers, String detail) {
    public Finding {
        peers = List.copyOf(peers);
    }

    @Override
    public String toString() {
        return "height " + height + " " + check + " on " + String.join(", ", peers) + ": " + detail;
    }
}
