package io.hearsay.ledger.validation;

import java.util.List;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * A transaction after the checks that need no ledger state. {@code code} is VALID if it passed them;
 * the committer then checks duplicates and MVCC. {@code reason} says why in words when it is not VALID.
 *
 * @param transactionId empty when the header could not be read
 * @param readWriteSets the namespaces the transaction reads and writes, empty unless VALID
 */
public record CheckedTransaction(TxValidationCode code, String transactionId, List<NamespaceReadWriteSet> readWriteSets,
        String reason) {

    /** The reads and writes of one chaincode namespace. */
    public record NamespaceReadWriteSet(String namespace, KVRWSet kvRwSet) {}

    public CheckedTransaction {
        readWriteSets = List.copyOf(readWriteSets);
    }

    static CheckedTransaction invalid(TxValidationCode code, String transactionId, String reason) {
        return new CheckedTransaction(code, transactionId, List.of(), reason);
    }

    public boolean isValid() {
        return code == TxValidationCode.VALID;
    }
}
