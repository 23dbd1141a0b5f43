package io.hearsay.ledger;

import io.hearsay.ledger.storage.RocksResources;
import io.hearsay.ledger.storage.RocksStorageOptions;
import java.nio.file.Path;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.io.TempDir;

/** The ledger contract on RocksDB, with a synced write per commit as peers run it. */
class RocksLedgerTest extends LedgerContract {
    @TempDir
    Path directory;

    private Path currentDirectory;
    private int opened;

    @Override
    Ledger openNew(LedgerOptions options) throws Exception {
        currentDirectory = directory.resolve("ledger-" + opened++);
        return Ledgers.rocks(currentDirectory, channel.genesis, options);
    }

    @Override
    Ledger reopen(Ledger ledger, Block genesis) throws Exception {
        ledger.close();
        return Ledgers.rocks(currentDirectory, genesis, LedgerOptions.defaults(), RocksStorageOptions.defaults(),
                RocksResources.shared());
    }
}
