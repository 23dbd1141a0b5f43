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
 * @param canonical false if the entry breaks {@link CanonicalEncoding}'s rule: that is not a property of
 *     the transaction but of the block, which the committer must then reject whole; code and id mean nothing
 */
public record CheckedTransaction(TxValidationCode code, String transactionId, List<NamespaceReadWriteSet> readWriteSets,
        String reason, boolean canonical) {

    /** The reads and writes of one chaincode namespace. */
    public record NamespaceReadWriteSet(String namespace, KVRWSet kvRwSet) {}

    public CheckedTransaction {
        readWriteSets = List.copyOf(readWriteSets);
    }

    /** A canonically encoded transaction. */
    public CheckedTransaction(TxValidationCode code, String transactionId, List<NamespaceReadWriteSet> readWriteSets,
            String reason) {
        this(code, transactionId, readWriteSets, reason, true);
    }

    static CheckedTransaction invalid(TxValidationCode code, String transactionId, String reason) {
        return new CheckedTransaction(code, transactionId, List.of(), reason);
    }

    /** An entry that makes its block unacceptable; {@code reason} completes "transaction i …". */
    static CheckedTransaction nonCanonical(String reason) {
        return new CheckedTransaction(TxValidationCode.INVALID_OTHER_REASON, "", List.of(), reason, false);
    }

    public boolean isValid() {
        return code == TxValidationCode.VALID;
    }
}
