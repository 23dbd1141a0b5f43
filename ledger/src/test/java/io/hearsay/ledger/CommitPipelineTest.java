package io.hearsay.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.ledger.storage.InMemoryStorage;
import io.hearsay.ledger.storage.Keyspace;
import io.hearsay.ledger.storage.LedgerStorage;
import io.hearsay.ledger.storage.StorageBatch;
import io.hearsay.ledger.storage.StorageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link Ledger#commitAll} does when a write fails, whichever block it is and whether writes run on the
 * writer thread or the caller's: the blocks before it are committed, durable and published; the failing
 * block and every block after it, though already planned and queued, are never written; and the ledger
 * carries on from its last durable block once the storage works again.
 */
class CommitPipelineTest {
    private static final int BLOCKS = 6;

    @TempDir
    static Path cryptoDirectory;

    static SampleChannel channel;

    @BeforeAll
    static void createChannel() {
        channel = new SampleChannel(cryptoDirectory);
    }

    /** Passes everything to memory, except that the write with a given index (0 = genesis) fails once. */
    private static final class FailingStorage implements LedgerStorage {
        private final InMemoryStorage memory = new InMemoryStorage();
        private final AtomicInteger writes = new AtomicInteger();
        private final List<Integer> attempted = new ArrayList<>();
        /** Batches prepared and neither written nor released: native memory a RocksDB storage would leak. */
        private final Set<StorageBatch> preparedNotDone = ConcurrentHashMap.newKeySet();
        private volatile int failing;

        FailingStorage(int failing) {
            this.failing = failing;
        }

        @Override
        public byte[] get(Keyspace keyspace, byte[] key) {
            return memory.get(keyspace, key);
        }

        @Override
        public List<byte[]> multiGet(Keyspace keyspace, List<byte[]> keys) {
            return memory.multiGet(keyspace, keys);
        }

        @Override
        public RangeIterator scan(Keyspace keyspace, byte[] fromInclusive, byte[] toExclusive) {
            return memory.scan(keyspace, fromInclusive, toExclusive);
        }

        @Override
        public void prepare(StorageBatch batch) {
            preparedNotDone.add(batch);
        }

        @Override
        public void release(StorageBatch batch) {
            preparedNotDone.remove(batch);
        }

        @Override
        public void write(StorageBatch batch) {
            preparedNotDone.remove(batch); // written or failed, the write frees its preparation
            int index = writes.getAndIncrement();
            synchronized (attempted) {
                attempted.add(index);
            }
            if (index == failing) {
                failing = -1;
                throw new StorageException("disk full (test)");
            }
            memory.write(batch);
        }

        List<Integer> attempted() {
            synchronized (attempted) {
                return List.copyOf(attempted);
            }
        }

        @Override
        public void close() {
            memory.close();
        }
    }

    private static List<Block> chain() {
        List<Block> chain = new ArrayList<>();
        Block previous = channel.genesis;
        for (int i = 0; i < BLOCKS; i++) {
            previous = channel.next(previous, channel.put("k" + i, "v" + i, "shared", "v" + i), channel.put("r" + i, "x"));
            chain.add(previous);
        }
        return chain;
    }

    @Test
    void aFailedWriteCommitsExactlyTheBlocksBeforeItAndWritesNothingAfter() throws Exception {
        List<Block> chain = chain();
        byte[] expectedStateHash;
        try (Ledger reference = Ledgers.inMemory(channel.genesis, LedgerOptions.defaults().withStateCacheBytes(0))) {
            reference.commitAll(chain);
            expectedStateHash = reference.stateHash();
        }
        for (boolean parallel : new boolean[] {true, false}) {
            for (int failingBlock = 1; failingBlock <= BLOCKS; failingBlock++) {
                String run = "parallel=" + parallel + ", failing block " + failingBlock;
                FailingStorage storage = new FailingStorage(failingBlock);
                try (Ledger ledger = StoredLedger.open(storage, channel.genesis,
                        LedgerOptions.defaults().withParallelValidation(parallel))) {
                    assertThatThrownBy(() -> ledger.commitAll(chain)).as(run).isInstanceOf(StorageException.class)
                            .hasMessageContaining("disk full");
                    assertThat(ledger.height()).as(run).isEqualTo(failingBlock);
                    assertThat(storage.attempted()).as(run + ": nothing written after the failed write")
                            .last().isEqualTo(failingBlock);
                    assertThat(ledger.block(failingBlock)).as(run).isEmpty();
                    assertThat(storage.preparedNotDone).as(run + ": batches prepared behind the failed write are released")
                            .isEmpty();
                    var shared = ledger.state(SampleChannel.CHAINCODE, "shared").map(value -> value.value().toStringUtf8());
                    if (failingBlock == 1) {
                        assertThat(shared).as(run).isEmpty();
                    } else {
                        assertThat(shared).as(run).contains("v" + (failingBlock - 2));
                    }

                    // The storage works again: the rest commits from the last durable block.
                    List<CommitResult> rest = ledger.commitAll(chain.subList(failingBlock - 1, BLOCKS));
                    assertThat(rest).as(run).hasSize(BLOCKS - failingBlock + 1);
                    assertThat(ledger.height()).as(run).isEqualTo(BLOCKS + 1);
                    assertThat(ledger.state(SampleChannel.CHAINCODE, "shared").orElseThrow().value().toStringUtf8())
                            .as(run).isEqualTo("v" + (BLOCKS - 1));
                    // The failed block's writes never reached the state cache: the state hash, which subtracts each
                    // overwritten value, comes out as on a ledger that never failed.
                    assertThat(ledger.stateHash()).as(run).isEqualTo(expectedStateHash);
                }
            }
        }
    }
}
