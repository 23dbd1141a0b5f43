package io.hearsay.ledger.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A set of writes applied all at once by {@link LedgerStorage#write}. Operations apply in the order
 * they were added, so a later put or delete of the same key wins. Not thread-safe: build it on one
 * thread, then hand it over.
 */
public final class StorageBatch {

    /** One put ({@code value != null}) or delete ({@code value == null}). */
    public record Operation(Keyspace keyspace, byte[] key, byte[] value) {
        public Operation {
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(key, "key");
        }

        public boolean isDelete() {
            return value == null;
        }
    }

    private final List<Operation> operations = new ArrayList<>();
    private long byteCount;
    /** What {@link LedgerStorage#prepare} made of these operations, and for which storage; dropped on change. */
    private Object prepared;
    private Object preparedBy;

    public StorageBatch put(Keyspace keyspace, byte[] key, byte[] value) {
        Objects.requireNonNull(value, "value (use delete to remove a key)");
        operations.add(new Operation(keyspace, key, value));
        byteCount += key.length + value.length;
        dropPreparation();
        return this;
    }

    public StorageBatch delete(Keyspace keyspace, byte[] key) {
        operations.add(new Operation(keyspace, key, null));
        byteCount += key.length;
        dropPreparation();
        return this;
    }

    /**
     * Keeps {@code storage}'s preparation of the operations as they are now (see {@link LedgerStorage#prepare}),
     * releasing any earlier one.
     */
    void prepared(Object storage, Object preparation) {
        dropPreparation();
        this.preparedBy = storage;
        this.prepared = preparation;
    }

    /**
     * Hands over {@code storage}'s preparation of the current operations, or null if it made none since the last
     * change: the batch no longer holds it, and the caller uses it (or releases it) once.
     */
    Object takePreparedBy(Object storage) {
        if (prepared == null || preparedBy != storage) {
            return null;
        }
        Object taken = prepared;
        prepared = null;
        preparedBy = null;
        return taken;
    }

    /** A preparation that holds resources (native memory) is released when a change makes it stale. */
    private void dropPreparation() {
        if (prepared instanceof AutoCloseable resources) {
            try {
                resources.close();
            } catch (Exception e) {
                throw new IllegalStateException("releasing a stale preparation failed", e);
            }
        }
        prepared = null;
        preparedBy = null;
    }

    public List<Operation> operations() {
        return Collections.unmodifiableList(operations);
    }

    public boolean isEmpty() {
        return operations.isEmpty();
    }

    /** Sum of key and value lengths: what the batch will write, for metrics and benchmarks. */
    public long byteCount() {
        return byteCount;
    }
}
