package io.hearsay.ledger;

import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * What a commit did: the block as stored (with the transactions filter filled in), the validation code of
 * each transaction, and the ledger's new height and state hash.
 */
public record CommitResult(Block block, List<TxValidationCode> validationCodes, long height, byte[] stateHash) {
    public CommitResult {
        validationCodes = List.copyOf(validationCodes);
        stateHash = stateHash.clone();
    }

    public long validTransactions() {
        return validationCodes.stream().filter(TxValidationCode.VALID::equals).count();
    }

    @Override
    public byte[] stateHash() {
        return stateHash.clone();
    }
}
