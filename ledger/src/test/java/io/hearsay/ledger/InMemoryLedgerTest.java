package io.hearsay.ledger;

import io.hearsay.ledger.storage.InMemoryStorage;
import org.hyperledger.fabric.protos.common.Block;

/** The ledger contract on the in-memory storage the simulator uses. */
class InMemoryLedgerTest extends LedgerContract {
    private InMemoryStorage storage;

    @Override
    Ledger openNew(LedgerOptions options) throws Exception {
        storage = new InMemoryStorage();
        return StoredLedger.open(storage, channel.genesis, options);
    }

    /** Memory survives only while the storage object does: reopen builds a new ledger over the same one. */
    @Override
    Ledger reopen(Ledger ledger, Block genesis) throws Exception {
        return StoredLedger.open(storage, genesis, LedgerOptions.defaults());
    }
}
