package io.hearsay.testnet.verify;

/**
 * How strict the {@link ConsistencyVerifier} is.
 *
 * @param requireEqualHeights report peers that are behind the highest one. Default {@code true}: verification runs
 *     after the network has converged, when a peer still behind is a peer that failed to catch up. Turn it off to
 *     check a network under load, where peers a block or two behind are normal; every common height is still
 *     compared.
 * @param findingsMax findings kept in the report; later ones are counted, not kept. Default 100: one broken peer
 *     can otherwise produce a finding per block, and the first few say what happened.
 */
public record VerifierOptions(boolean requireEqualHeights, int findingsMax) {
    public VerifierOptions {
        if (findingsMax < 1 || findingsMax > 100_000) {
            throw new IllegalArgumentException("findingsMax is " + findingsMax + "; it must be between 1 and 100000");
        }
    }

    public static VerifierOptions defaults() {
        return new VerifierOptions(true, 100);
    }

    public VerifierOptions allowingLaggingPeers() {
        return new VerifierOptions(false, findingsMax);
    }
}
