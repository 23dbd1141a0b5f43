package io.hearsay.ledger;

import io.hearsay.ledger.storage.InMemoryStorage;
import io.hearsay.ledger.storage.RocksResources;
import io.hearsay.ledger.storage.RocksStorage;
import io.hearsay.ledger.storage.RocksStorageOptions;
import java.nio.file.Path;
import org.hyperledger.fabric.protos.common.Block;

/** Opening ledgers: on RocksDB for peers, in memory for the simulator. */
public final class Ledgers {
    private Ledgers() {}

    /**
     * The RocksDB ledger in {@code directory} for the channel {@code genesis} starts, created if absent,
     * using the process-wide shared RocksDB memory budget.
     */
    public static Ledger rocks(Path directory, Block genesis, LedgerOptions options) throws BlockRejectedException {
        return rocks(directory, genesis, options, RocksStorageOptions.defaults(), RocksResources.shared());
    }

    public static Ledger rocks(Path directory, Block genesis, LedgerOptions options, RocksStorageOptions storageOptions,
            RocksResources resources) throws BlockRejectedException {
        RocksStorage storage = RocksStorage.open(directory, storageOptions, resources);
        try {
            return StoredLedger.open(storage, genesis, options);
        } catch (BlockRejectedException | RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    /** A ledger in memory: same validation and commit code, no disk. */
    public static Ledger inMemory(Block genesis, LedgerOptions options) throws BlockRejectedException {
        return StoredLedger.open(new InMemoryStorage(), genesis, options);
    }
}
