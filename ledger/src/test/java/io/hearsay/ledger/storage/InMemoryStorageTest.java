package io.hearsay.ledger.storage;

/** Proves that the in-memory storage the simulator uses meets the whole {@link LedgerStorageContract}. */
class InMemoryStorageTest extends LedgerStorageContract {

    @Override
    protected LedgerStorage open() {
        return new InMemoryStorage();
    }

    /** Memory does not survive a restart; the persistence tests are skipped, so the same instance will do. */
    @Override
    protected LedgerStorage reopen() {
        return storage;
    }

    @Override
    protected boolean persistent() {
        return false;
    }
}
