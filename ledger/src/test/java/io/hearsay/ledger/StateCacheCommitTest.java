package io.hearsay.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.ledger.sample.SampleChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed-state cache changes no outcome: a seeded chain of transactions over a few keys (current and stale
 * reads, reads of absent keys, writes, deletes, several transactions of a block on one key) commits to the same
 * validation codes and state hashes with no cache, with one so small that it evicts on every lookup, and with the
 * default; per block and through the pipelined {@link Ledger#commitAll}, on memory and on RocksDB.
 */
class StateCacheCommitTest {
    private static final long SEED = 20261207L;
    private static final int BLOCKS = 30;
    private static final int TRANSACTIONS_PER_BLOCK = 5;
    private static final int KEYS = 8;

    @TempDir
    static Path directory;

    static SampleChannel channel;

    @BeforeAll
    static void createChannel() {
        channel = new SampleChannel(directory.resolve("crypto"));
    }

    @Test
    void theSameChainCommitsToTheSameCodesAndStateHashesWhateverTheCache() throws Exception {
        List<Block> chain = new ArrayList<>();
        List<List<TxValidationCode>> expectedCodes = new ArrayList<>();
        List<byte[]> expectedStateHashes = new ArrayList<>();
        // The reference commits as the chain is made (no cache), so reads can name the versions it holds.
        try (Ledger reference = Ledgers.inMemory(channel.genesis, LedgerOptions.defaults().withStateCacheBytes(0))) {
            SplittableRandom random = new SplittableRandom(SEED);
            Block previous = channel.genesis;
            for (int b = 0; b < BLOCKS; b++) {
                Envelope[] envelopes = new Envelope[TRANSACTIONS_PER_BLOCK];
                for (int t = 0; t < TRANSACTIONS_PER_BLOCK; t++) {
                    envelopes[t] = channel.transaction(transaction(reference, random, b, t));
                }
                previous = channel.next(previous, envelopes);
                CommitResult result = reference.commit(previous);
                chain.add(previous);
                expectedCodes.add(result.validationCodes());
                expectedStateHashes.add(reference.stateHash());
            }
        }
        assertThat(expectedCodes.stream().flatMap(List::stream))
                .as("the chain exercises both outcomes").contains(TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT);

        long evictsAlways = StateCache.ENTRY_OVERHEAD_BYTES + 40;
        int run = 0;
        for (long cacheBytes : new long[] {0, evictsAlways, LedgerOptions.DEFAULT_STATE_CACHE_BYTES}) {
            for (boolean pipelined : new boolean[] {false, true}) {
                for (boolean rocks : new boolean[] {false, true}) {
                    String label = "cache " + cacheBytes + " bytes, " + (pipelined ? "commitAll" : "per block")
                            + ", " + (rocks ? "RocksDB" : "memory") + ", seed " + SEED;
                    LedgerOptions options = LedgerOptions.defaults().withStateCacheBytes(cacheBytes);
                    try (Ledger ledger = rocks ? Ledgers.rocks(directory.resolve("ledger-" + run++), channel.genesis, options)
                            : Ledgers.inMemory(channel.genesis, options)) {
                        List<CommitResult> results = new ArrayList<>();
                        if (pipelined) {
                            results.addAll(ledger.commitAll(chain));
                        } else {
                            for (Block block : chain) {
                                results.add(ledger.commit(block));
                            }
                        }
                        for (int b = 0; b < BLOCKS; b++) {
                            assertThat(results.get(b).validationCodes()).as(label + ", block " + (b + 1))
                                    .isEqualTo(expectedCodes.get(b));
                            assertThat(results.get(b).stateHash()).as(label + ", block " + (b + 1))
                                    .isEqualTo(expectedStateHashes.get(b));
                        }
                    }
                }
            }
        }
    }

    /** Reads two keys at the reference's version (or, one time in four, a stale or missing one), writes or deletes two. */
    private static KVRWSet transaction(Ledger reference, SplittableRandom random, int block, int position) {
        KVRWSet.Builder rwSet = KVRWSet.newBuilder();
        for (int i = 0; i < 2; i++) {
            String key = "k" + random.nextInt(KEYS);
            var current = reference.state(SampleChannel.CHAINCODE, key).map(VersionedValue::version);
            Version version = random.nextInt(4) == 0
                    ? (current.isPresent() ? null : new Version(0, 0))
                    : current.orElse(null);
            rwSet.addReads(SampleChannel.read(key, version));
        }
        for (int i = 0; i < 2; i++) {
            String key = "k" + random.nextInt(KEYS);
            rwSet.addWrites(random.nextInt(5) == 0 ? SampleChannel.delete(key)
                    : SampleChannel.write(key, "v" + block + "." + position + "." + i));
        }
        return rwSet.build();
    }
}
