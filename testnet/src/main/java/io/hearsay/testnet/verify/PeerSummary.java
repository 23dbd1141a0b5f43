package io.hearsay.testnet.verify;

import java.math.BigInteger;
import java.util.Optional;

/**
 * What the verifier saw of one peer.
 *
 * @param height blocks read
 * @param headHash hex header hash of its last block read (empty when none)
 * @param stateHash hex state hash after its last block, if the peer reports one
 * @param bankTotal the sum of the bank balances recomputed from its chain
 * @param bankAccounts how many bank accounts its chain created and did not delete
 * @param readError why its chain could not be read to the end, if it could not
 */
public record PeerSummary(String peer, long height, String headHash, Optional<String> stateHash, BigInteger bankTotal,
        int bankAccounts, Optional<String> readError) {}
