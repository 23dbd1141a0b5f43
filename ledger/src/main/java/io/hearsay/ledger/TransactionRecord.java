package io.hearsay.ledger;

import org.hyperledger.fabric.protos.peer.TxValidationCode;

/** Where a committed transaction is and whether it was valid (the transaction-id index). */
public record TransactionRecord(String transactionId, long blockNumber, int position, TxValidationCode validationCode) {}
