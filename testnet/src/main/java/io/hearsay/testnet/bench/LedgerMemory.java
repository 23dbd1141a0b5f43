package io.hearsay.testnet.bench;

import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.ledger.sample.SampleChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Resident memory of many RocksDB ledgers open at once in one JVM, as a test network or a multi-channel
 * peer holds them: each opened with {@link Ledgers#rocks} (default options, the process-wide shared
 * {@code RocksResources}) and given a few committed blocks, so every column family has a live memtable.
 * The process's RSS is read before the first is opened and after the last has committed.
 */
final class LedgerMemory {
    /** A few small blocks per ledger: enough to allocate memtables, cheap enough for 100 ledgers. */
    static final int BLOCKS_PER_LEDGER = 3;
    static final int TRANSACTIONS_PER_BLOCK = 5;

    /**
     * @param rssBeforeBytes process RSS before opening, -1 if unavailable
     * @param rssAfterBytes process RSS with all ledgers open, -1 if unavailable
     */
    record Result(int ledgers, long rssBeforeBytes, long rssAfterBytes) {
        boolean measured() {
            return rssBeforeBytes >= 0 && rssAfterBytes >= 0;
        }

        long deltaBytes() {
            return rssAfterBytes - rssBeforeBytes;
        }
    }

    private LedgerMemory() {}

    static Result measure(SampleChannel channel, Path directory, int ledgerCount, long seed) throws BlockRejectedException {
        BenchmarkChain chain = BenchmarkChain.build(channel, BLOCKS_PER_LEDGER, TRANSACTIONS_PER_BLOCK, "memory", seed);
        System.gc(); // so that garbage from building the chain is not counted as the ledgers' memory
        long before = ProcFiles.residentBytes().orElse(-1);
        List<Ledger> ledgers = new ArrayList<>(ledgerCount);
        try {
            for (int i = 0; i < ledgerCount; i++) {
                Ledger ledger = Ledgers.rocks(directory.resolve("ledger-" + i), chain.genesis(), LedgerOptions.defaults());
                ledgers.add(ledger);
                for (int number = 1; number <= chain.blockCount(); number++) {
                    ledger.commit(chain.block(number));
                }
            }
            OptionalLong after = ProcFiles.residentBytes();
            return new Result(ledgerCount, before, after.orElse(-1));
        } finally {
            ledgers.forEach(Ledger::close);
        }
    }
}
