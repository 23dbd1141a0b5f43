package io.hearsay.testnet.bench;

import io.hearsay.ledger.storage.Keyspace;
import io.hearsay.ledger.storage.LedgerStorage;
import io.hearsay.ledger.storage.StorageBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LedgerStorage} that passes everything to another and keeps every batch written, in order. Under
 * a ledger it records exactly what each commit writes, so the raw-import benchmark can replay the ledger's
 * own batches into RocksDB without validating anything.
 *
 * <p>The batches are kept as written: the ledger never touches a batch after handing it over.
 */
final class RecordingStorage implements LedgerStorage {
    private final LedgerStorage delegate;
    private final List<StorageBatch> batches = new ArrayList<>();

    RecordingStorage(LedgerStorage delegate) {
        this.delegate = delegate;
    }

    /** Every batch written so far; the first is the genesis block's. */
    List<StorageBatch> batches() {
        return List.copyOf(batches);
    }

    @Override
    public byte[] get(Keyspace keyspace, byte[] key) {
        return delegate.get(keyspace, key);
    }

    @Override
    public List<byte[]> multiGet(Keyspace keyspace, List<byte[]> keys) {
        return delegate.multiGet(keyspace, keys);
    }

    @Override
    public RangeIterator scan(Keyspace keyspace, byte[] fromInclusive, byte[] toExclusive) {
        return delegate.scan(keyspace, fromInclusive, toExclusive);
    }

    @Override
    public void write(StorageBatch batch) {
        delegate.write(batch);
        batches.add(batch);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
