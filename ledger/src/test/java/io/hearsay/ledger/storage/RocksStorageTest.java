package io.hearsay.ledger.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proves that the RocksDB storage meets the {@link LedgerStorageContract} with durable (fsync) writes, and
 * that it fails clearly on a locked directory, validates its configuration, and lets 100 ledgers share one
 * set of {@link RocksResources} in a JVM.
 */
class RocksStorageTest extends LedgerStorageContract {

    private static final long MIB = 1024L * 1024L;
    private static final int LEDGERS_IN_ONE_JVM = 100;

    /** Small, owned by this class: closing them in {@link #closeResources} also proves no storage leaked. */
    private static RocksResources resources;

    @TempDir
    Path directory;

    @BeforeAll
    static void createResources() {
        resources = new RocksResources(new RocksResources.Config(32 * MIB, 16 * MIB));
    }

    @AfterAll
    static void closeResources() {
        resources.close();
    }

    @Override
    protected LedgerStorage open() {
        return RocksStorage.open(directory, RocksStorageOptions.defaults(), resources);
    }

    @Override
    protected LedgerStorage reopen() {
        storage.close();
        return open();
    }

    @Override
    protected boolean persistent() {
        return true;
    }

    @Test
    void openingADirectoryThatIsAlreadyOpenSaysItIsLocked() {
        storage.write(new StorageBatch().put(Keyspace.META, bytes("height"), blockNumber(1)));
        assertThatThrownBy(() -> RocksStorage.open(directory, RocksStorageOptions.defaults(), resources))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("in use")
                .hasMessageContaining("locked")
                .hasMessageContaining("another process or another open RocksStorage instance")
                .hasMessageContaining(directory.toAbsolutePath().toString());
        // The failed open must neither disturb the owner nor leak a reference to the resources.
        assertThat(storage.get(Keyspace.META, bytes("height"))).isEqualTo(blockNumber(1));
        assertThat(resources.openStorages()).isEqualTo(1);
        storage = reopen(); // once the owner closes, the directory opens again at once
        assertThat(storage.get(Keyspace.META, bytes("height"))).isEqualTo(blockNumber(1));
    }

    @Test
    void aHundredLedgersShareOneSetOfResources(@TempDir Path root) {
        RocksStorageOptions fast = RocksStorageOptions.defaults().withSyncWrites(false);
        List<RocksStorage> ledgers = new ArrayList<>();
        try (RocksResources shared = new RocksResources(RocksResources.Config.defaults())) {
            try {
                for (int i = 0; i < LEDGERS_IN_ONE_JVM; i++) {
                    ledgers.add(RocksStorage.open(root.resolve("peer-" + i), fast, shared));
                }
                assertThat(shared.openStorages()).isEqualTo(LEDGERS_IN_ONE_JVM);
                for (int i = 0; i < LEDGERS_IN_ONE_JVM; i++) {
                    ledgers.get(i).write(new StorageBatch().put(Keyspace.BLOCKS, blockNumber(0), bytes("peer-" + i)));
                }
                for (int i = 0; i < LEDGERS_IN_ONE_JVM; i++) {
                    assertThat(ledgers.get(i).get(Keyspace.BLOCKS, blockNumber(0))).isEqualTo(bytes("peer-" + i));
                }
                assertThatThrownBy(shared::close)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(LEDGERS_IN_ONE_JVM + " RocksStorage instance(s) still use them");
            } finally {
                ledgers.forEach(RocksStorage::close);
            }
            assertThat(shared.openStorages()).isZero();
        }
    }

    @Test
    void theSharedResourcesSurviveClose() {
        RocksResources shared = RocksResources.shared();
        assertThat(RocksResources.shared()).isSameAs(shared);
        shared.close(); // a no-op by contract
        storage.close();
        storage = RocksStorage.open(directory, RocksStorageOptions.defaults(), shared);
        storage.write(new StorageBatch().put(Keyspace.META, bytes("k"), bytes("v")));
        assertThat(storage.get(Keyspace.META, bytes("k"))).isEqualTo(bytes("v"));
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsReported() throws Exception {
        Path file = Files.writeString(directory.resolveSibling(directory.getFileName() + ".file"), "not a ledger");
        try {
            assertThatThrownBy(() -> RocksStorage.open(file, RocksStorageOptions.defaults(), resources))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(file.toAbsolutePath().toString());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Every compression reads back what it stored after its memtables were flushed to SST files and the
     * database reopened; a repetitive value (a block repeats its certificates) takes a fraction of its size on
     * disk when compressed, and at least its size when not.
     */
    @ParameterizedTest
    @EnumSource(RocksStorageOptions.Compression.class)
    void eachCompressionStoresAndReadsBackThroughFlushedFiles(RocksStorageOptions.Compression compression) throws Exception {
        storage.close();
        Path compressed = directory.resolve(compression.name());
        RocksStorageOptions options = RocksStorageOptions.defaults().withCompression(compression)
                .withWriteBufferBytes(RocksStorageOptions.WRITE_BUFFER_BYTES_MIN);
        byte[] certificateLike = new byte[900];
        new Random(7).nextBytes(certificateLike);
        byte[] value = new byte[64 * 1024];
        for (int i = 0; i < value.length; i++) {
            value[i] = certificateLike[i % certificateLike.length];
        }
        int values = 32; // 2 MiB through 64 KiB memtables: every value but the last few is in an SST file
        try (RocksStorage written = RocksStorage.open(compressed, options, resources)) {
            for (int i = 0; i < values; i++) {
                written.write(new StorageBatch().put(Keyspace.BLOCKS, blockNumber(i), value));
            }
        }
        long sstBytes;
        try (var files = Files.walk(compressed)) {
            sstBytes = files.filter(f -> f.toString().endsWith(".sst")).mapToLong(f -> f.toFile().length()).sum();
        }
        long flushedValueBytes = (long) (values - 4) * value.length;
        if (compression == RocksStorageOptions.Compression.NONE) {
            assertThat(sstBytes).isGreaterThanOrEqualTo(flushedValueBytes);
        } else {
            assertThat(sstBytes).isPositive().isLessThan(flushedValueBytes / 4);
        }
        try (RocksStorage reopened = RocksStorage.open(compressed, options, resources)) {
            for (int i = 0; i < values; i++) {
                assertThat(reopened.get(Keyspace.BLOCKS, blockNumber(i))).isEqualTo(value);
            }
        }
        storage = open();
    }

    @Test
    void optionsAreValidatedWithTheFieldAndItsRange() {
        RocksStorageOptions defaults = RocksStorageOptions.defaults();
        assertThat(defaults.syncWrites()).isTrue();
        assertThatThrownBy(() -> defaults.withWriteBufferBytes(1024))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("writeBufferBytes must be in [65536, 1073741824], was 1024");
        assertThatThrownBy(() -> defaults.withMaxOpenFiles(-1))
                .hasMessage("maxOpenFiles must be in [16, 65536], was -1");
        assertThatThrownBy(() -> defaults.withMaxBackgroundJobs(0))
                .hasMessage("maxBackgroundJobs must be in [1, 64], was 0");
        assertThat(defaults.compression()).isEqualTo(RocksStorageOptions.Compression.LZ4);
        assertThatThrownBy(() -> defaults.withCompression(null)).hasMessage("compression");
        assertThatThrownBy(() -> new RocksResources.Config(64 * MIB, 64 * MIB))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("writeBufferManagerBytes must be in [4194304, 67108863]");
        assertThatThrownBy(() -> RocksStorage.open(directory.resolve("x"), defaults.withWriteBufferBytes(32 * MIB), resources))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("writeBufferBytes");
    }
}
