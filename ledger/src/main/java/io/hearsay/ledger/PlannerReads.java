package io.hearsay.ledger;

import io.hearsay.ledger.state.StateCodec;
import io.hearsay.ledger.storage.Keyspace;
import io.hearsay.ledger.storage.LedgerStorage;
import io.hearsay.ledger.validation.CheckedTransaction;
import io.hearsay.ledger.validation.CheckedTransaction.NamespaceReadWriteSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;

/**
 * Everything the {@link CommitPlanner} will look up for one block, fetched before it starts: whether each
 * transaction id is already committed, and the value of every state key a checked-valid transaction reads
 * or writes. One {@link LedgerStorage#multiGet} per keyspace replaces a point get per duplicate probe, per
 * read and again per write (600 JNI crossings for a block of 100 two-read, three-write transactions), and
 * each key is fetched once however often the block touches it.
 *
 * <p>The values are the state before the block: written, or about to be written by the block before, whose
 * batch may still be in flight ({@code unwritten}); keys that batch writes are answered from it, keys in the
 * {@link StateCache} from there, and neither is fetched. A key the unwritten batch does not write has the same
 * value before and after it, so what is fetched meanwhile is committed state, and is cached. The planner layers
 * the block's own writes on top.
 */
final class PlannerReads {
    private final Set<String> committedTransactions;
    /** Stored value of each key, or null for none; every key the block names is present. */
    private final Map<StoredKey, byte[]> state;
    /**
     * Per transaction, the stored key of each read and of each write, in read-write set order: made once
     * here and used again by the planner (building a key and hashing it was a tenth of planning).
     */
    private final StoredKey[][] readKeys;
    private final StoredKey[][] writeKeys;
    /** Whether any transaction records a range query, so the planner must check for phantoms. */
    private final boolean rangeQueries;

    private PlannerReads(Set<String> committedTransactions, Map<StoredKey, byte[]> state, StoredKey[][] readKeys,
            StoredKey[][] writeKeys, boolean rangeQueries) {
        this.committedTransactions = committedTransactions;
        this.state = state;
        this.readKeys = readKeys;
        this.writeKeys = writeKeys;
        this.rangeQueries = rangeQueries;
    }

    /** @param unwritten the plan of the block before if its batch may not be durable yet, else null */
    static PlannerReads fetch(LedgerStorage storage, StateCache cache, List<CheckedTransaction> checked,
            CommitPlanner.Plan unwritten) {
        Set<String> committedTransactions = new HashSet<>();
        List<String> idsToFetch = new ArrayList<>(checked.size());
        Map<StoredKey, byte[]> state = new HashMap<>();
        List<StoredKey> keysToFetch = new ArrayList<>();
        StoredKey[][] readKeys = new StoredKey[checked.size()][];
        StoredKey[][] writeKeys = new StoredKey[checked.size()][];
        boolean rangeQueries = false;
        for (int position = 0; position < checked.size(); position++) {
            CheckedTransaction transaction = checked.get(position);
            String txId = transaction.transactionId();
            if (!txId.isEmpty()) {
                if (unwritten != null && unwritten.transactionIds().contains(txId)) {
                    committedTransactions.add(txId);
                } else {
                    idsToFetch.add(txId);
                }
            }
            int reads = 0;
            int writes = 0;
            for (NamespaceReadWriteSet namespace : transaction.readWriteSets()) {
                reads += namespace.kvRwSet().getReadsCount();
                writes += namespace.kvRwSet().getWritesCount();
                rangeQueries |= namespace.kvRwSet().getRangeQueriesInfoCount() > 0;
            }
            readKeys[position] = new StoredKey[reads];
            writeKeys[position] = new StoredKey[writes];
            reads = 0;
            writes = 0;
            for (NamespaceReadWriteSet namespace : transaction.readWriteSets()) {
                for (KVRead read : namespace.kvRwSet().getReadsList()) {
                    StoredKey key = new StoredKey(StateCodec.key(namespace.namespace(), read.getKey()));
                    readKeys[position][reads++] = key;
                    addOnce(key, keysToFetch, state, cache, unwritten);
                }
                for (KVWrite write : namespace.kvRwSet().getWritesList()) {
                    StoredKey key = new StoredKey(StateCodec.key(namespace.namespace(), write.getKey()));
                    writeKeys[position][writes++] = key;
                    addOnce(key, keysToFetch, state, cache, unwritten);
                }
            }
        }
        if (!idsToFetch.isEmpty()) {
            List<byte[]> found = storage.multiGet(Keyspace.TRANSACTIONS,
                    idsToFetch.stream().map(LedgerKeys::transactionId).toList());
            for (int i = 0; i < idsToFetch.size(); i++) {
                if (found.get(i) != null) {
                    committedTransactions.add(idsToFetch.get(i));
                }
            }
        }
        if (!keysToFetch.isEmpty()) {
            List<byte[]> values = storage.multiGet(Keyspace.STATE, keysToFetch.stream().map(StoredKey::bytes).toList());
            for (int i = 0; i < keysToFetch.size(); i++) {
                state.put(keysToFetch.get(i), values.get(i));
                cache.putCommitted(keysToFetch.get(i), values.get(i));
            }
        }
        return new PlannerReads(committedTransactions, state, readKeys, writeKeys, rangeQueries);
    }

    /** Whether a transaction of the block records a range query. */
    boolean rangeQueries() {
        return rangeQueries;
    }

    /** The stored keys of the reads of the transaction at {@code position}, in read-write set order. */
    StoredKey[] readKeys(int position) {
        return readKeys[position];
    }

    /** The stored keys of the writes of the transaction at {@code position}, in read-write set order. */
    StoredKey[] writeKeys(int position) {
        return writeKeys[position];
    }

    /** Whether {@code transactionId} is in a block before this one. */
    boolean transactionCommitted(String transactionId) {
        return committedTransactions.contains(transactionId);
    }

    /** The stored value of a state key before this block, or null if there is none. */
    byte[] state(StoredKey key) {
        byte[] value = state.get(key);
        if (value == null && !state.containsKey(key)) {
            // The planner asked for a key the block does not name: a bug, not a state to guess at.
            throw new IllegalStateException("key was not fetched for this block");
        }
        return value;
    }

    /**
     * Answers {@code key} from {@code unwritten} if it writes it, else from the cache, else queues it for fetching;
     * once in any case.
     */
    private static void addOnce(StoredKey key, List<StoredKey> keysToFetch, Map<StoredKey, byte[]> state,
            StateCache cache, CommitPlanner.Plan unwritten) {
        if (state.containsKey(key)) {
            return;
        }
        byte[] cached;
        if (unwritten != null && unwritten.stateWrites().containsKey(key)) {
            state.put(key, unwritten.stateWrites().get(key));
        } else if ((cached = cache.get(key)) != null) {
            state.put(key, cached == StateCache.ABSENT ? null : cached);
        } else {
            state.put(key, null); // until fetched; marks the key as queued
            keysToFetch.add(key);
        }
    }
}
