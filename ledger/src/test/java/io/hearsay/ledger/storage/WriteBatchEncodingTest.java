package io.hearsay.ledger.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;

/**
 * Our serialised batches are byte for byte what RocksJava's own {@code put} and {@code delete} build, for
 * every keyspace, for the default column family, and for lengths whose varints take one to three bytes.
 */
class WriteBatchEncodingTest {
    private static final long SEED = 20261124L;

    static {
        RocksDB.loadLibrary();
    }

    @TempDir
    Path directory;

    @Test
    void encodingEqualsWhatRocksJavaBuildsOperationByOperation() throws Exception {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        try (ColumnFamilyOptions familyOptions = new ColumnFamilyOptions();
                DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)) {
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions));
            for (Keyspace keyspace : Keyspace.values()) {
                descriptors.add(new ColumnFamilyDescriptor(keyspace.storageName().getBytes(), familyOptions));
            }
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            try (RocksDB db = RocksDB.open(options, directory.toString(), descriptors, handles)) {
                // Map keyspaces onto real families, META onto the default family (id 0, encoded without an id).
                int[] ids = new int[Keyspace.values().length];
                List<ColumnFamilyHandle> byKeyspace = new ArrayList<>();
                for (Keyspace keyspace : Keyspace.values()) {
                    ColumnFamilyHandle handle = handles.get(keyspace == Keyspace.META ? 0 : keyspace.ordinal() + 1);
                    byKeyspace.add(handle);
                    ids[keyspace.ordinal()] = handle.getID();
                }
                assertThat(ids[Keyspace.META.ordinal()]).isZero();
                SplittableRandom random = new SplittableRandom(SEED);
                for (int round = 0; round < 20; round++) {
                    StorageBatch batch = new StorageBatch();
                    for (int i = 0; i < random.nextInt(1, 40); i++) {
                        Keyspace keyspace = Keyspace.values()[random.nextInt(Keyspace.values().length)];
                        byte[] key = bytes(random, random.nextInt(0, 3) == 0 ? 200 : 20);
                        if (random.nextInt(4) == 0) {
                            batch.delete(keyspace, key);
                        } else {
                            int[] sizes = {0, 5, 127, 128, 16_383, 16_384, 70_000};
                            byte[] value = new byte[sizes[random.nextInt(sizes.length)]];
                            random.nextBytes(value);
                            batch.put(keyspace, key, value);
                        }
                    }
                    try (WriteBatch expected = new WriteBatch()) {
                        for (StorageBatch.Operation operation : batch.operations()) {
                            ColumnFamilyHandle family = byKeyspace.get(operation.keyspace().ordinal());
                            if (operation.isDelete()) {
                                expected.delete(family, operation.key());
                            } else {
                                expected.put(family, operation.key(), operation.value());
                            }
                        }
                        assertThat(WriteBatchEncoding.encode(batch.operations(), ids)).as("SEED=%d round %d", SEED, round)
                                .isEqualTo(expected.data());
                    }
                }
                handles.forEach(ColumnFamilyHandle::close);
            }
        }
    }

    @Test
    void anEmptyBatchIsJustTheHeader() {
        assertThat(WriteBatchEncoding.encode(List.of(), new int[Keyspace.values().length]))
                .hasSize(WriteBatchEncoding.HEADER_BYTES).containsOnly(0);
    }

    private static byte[] bytes(SplittableRandom random, int maxLength) {
        byte[] bytes = new byte[random.nextInt(0, maxLength + 1)];
        random.nextBytes(bytes);
        return bytes;
    }
}
