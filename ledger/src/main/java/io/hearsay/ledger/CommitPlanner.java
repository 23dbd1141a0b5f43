package io.hearsay.ledger;

import com.google.protobuf.ByteString;
import io.hearsay.ledger.block.BlockBuilder;
import io.hearsay.ledger.block.BlockHashing;
import io.hearsay.ledger.state.StateCodec;
import io.hearsay.ledger.state.StateHash;
import io.hearsay.ledger.storage.Keyspace;
import io.hearsay.ledger.storage.LedgerStorage;
import io.hearsay.ledger.storage.StorageBatch;
import io.hearsay.ledger.validation.CheckedTransaction;
import io.hearsay.ledger.validation.CheckedTransaction.NamespaceReadWriteSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Turns a verified block and its checked transactions into one storage batch: the stateful checks
 * (duplicate transaction ids, MVCC) in transaction order, the state writes of the valid transactions,
 * the indexes, the new state hash and height. Writes nothing itself, so a failure leaves no trace.
 *
 * <p>MVCC: a transaction's every read must find the version it read — in the committed state, or as
 * written by an earlier valid transaction of the same block. Otherwise it is {@code MVCC_READ_CONFLICT}
 * and none of its writes apply, as in Fabric. Then, as Fabric does next, its every range query must read the
 * same entries again ({@link PhantomReads}), else it is {@code PHANTOM_READ_CONFLICT}: checked only in a block
 * that holds a range query, so blocks without one plan as they did before.
 */
final class CommitPlanner {
    /** The ledger's head after a commit: what readers see as height, head hash and state hash. */
    record Head(long height, byte[] headHash, StateHash stateHash) {}

    /**
     * A planned commit: the batch to write, the block as it will be stored, the codes, the next head; and,
     * so that the next block can be planned before this batch is durable, what the batch does to the state
     * and to the transaction index.
     *
     * @param stateWrites stored state key → stored value, null for a delete
     * @param sortedStateWrites the same in key order (sorted for the batch anyway): what the next block's range
     *     queries read through
     * @param transactionIds the ids this block adds to the transaction index
     */
    record Plan(StorageBatch batch, Block storedBlock, List<TxValidationCode> codes, Head head,
            Map<StoredKey, byte[]> stateWrites, List<Map.Entry<StoredKey, byte[]>> sortedStateWrites,
            Set<String> transactionIds) {

        /** What the commit reports once the batch is durable. */
        CommitResult result() {
            return new CommitResult(storedBlock, codes, head.height(), head.stateHash().toBytes());
        }
    }

    private static final Comparator<StorageBatch.Operation> BY_KEY = (a, b) -> Arrays.compareUnsigned(a.key(), b.key());

    private final LedgerStorage storage;
    private final StateCache stateCache;

    /** @param stateCacheBytes the bound of the committed-state cache ({@link StateCache}); 0 for none */
    CommitPlanner(LedgerStorage storage, long stateCacheBytes) {
        this.storage = storage;
        this.stateCache = new StateCache(stateCacheBytes);
    }

    /**
     * Tells the planner that {@code plan}'s batch is durable: its state writes are now the committed state. Called
     * in commit order, by the thread that plans, before the next block is planned on top of the written state.
     */
    void durable(Plan plan) {
        stateCache.applyDurable(plan.stateWrites());
    }

    /** Plans {@code block} on top of the written state, whose head is {@code head}. */
    Plan plan(Block block, List<CheckedTransaction> checked, Head head) {
        return plan(block, checked, head, null);
    }

    /**
     * Plans {@code block} on top of the written state and, if not null, of {@code unwritten}: the plan of the
     * block before, whose batch may still be being written. The planner then reads through that batch, so it
     * sees the state as it will be once the batch is durable, whether the write finishes before, during or
     * after these reads. {@code head} is the head after the block before.
     */
    Plan plan(Block block, List<CheckedTransaction> checked, Head head, Plan unwritten) {
        long number = block.getHeader().getNumber();
        if (unwritten != null && (unwritten.head() != head || head.height() != number)) {
            throw new IllegalArgumentException("block " + number + " can only be planned on the plan of the block before");
        }
        PlannerReads committed = PlannerReads.fetch(storage, stateCache, checked, unwritten);
        StateHash stateHash = head.stateHash().copy();
        StorageBatch batch = new StorageBatch();
        // Stored key bytes → pending stored value (null = deleted) of earlier valid transactions; sorted only when
        // a range query must read through it, since a hash map is the cheaper lookup.
        TreeMap<StoredKey, byte[]> sortedPending = committed.rangeQueries() ? new TreeMap<>() : null;
        Map<StoredKey, byte[]> pending = sortedPending != null ? sortedPending : new HashMap<>();
        PhantomReads phantomReads = sortedPending == null ? null
                : new PhantomReads(storage, unwritten == null ? List.of() : unwritten.sortedStateWrites(), sortedPending);
        Set<String> blockTransactionIds = new HashSet<>();
        List<TxValidationCode> codes = new ArrayList<>(checked.size());
        List<StorageBatch.Operation> transactionIndex = new ArrayList<>(checked.size());

        for (int position = 0; position < checked.size(); position++) {
            CheckedTransaction transaction = checked.get(position);
            TxValidationCode code = transaction.code();
            String txId = transaction.transactionId();
            boolean duplicate = !txId.isEmpty() && (blockTransactionIds.contains(txId)
                    || committed.transactionCommitted(txId));
            if (code == TxValidationCode.VALID && duplicate) {
                code = TxValidationCode.DUPLICATE_TXID;
            }
            if (code == TxValidationCode.VALID && !readsAreCurrent(transaction, committed.readKeys(position), pending, committed)) {
                code = TxValidationCode.MVCC_READ_CONFLICT;
            }
            if (code == TxValidationCode.VALID && phantomReads != null && !phantomReads.rangesUnchanged(transaction)) {
                code = TxValidationCode.PHANTOM_READ_CONFLICT;
            }
            if (code == TxValidationCode.VALID) {
                applyWrites(transaction, committed.writeKeys(position), new Version(number, position), pending, committed,
                        stateHash);
            }
            // The first occurrence of an id keeps the index entry; a duplicate must not overwrite it.
            if (!txId.isEmpty() && !duplicate) {
                blockTransactionIds.add(txId);
                transactionIndex.add(new StorageBatch.Operation(Keyspace.TRANSACTIONS, LedgerKeys.transactionId(txId),
                        LedgerKeys.transactionRecord(number, position, code)));
            }
            codes.add(code);
        }

        // Each key once, so the order is free: in key order, RocksDB inserts each into its memtable from where
        // the one before went instead of searching its skip list from the top.
        transactionIndex.sort(BY_KEY);
        for (StorageBatch.Operation entry : transactionIndex) {
            batch.put(entry.keyspace(), entry.key(), entry.value());
        }
        List<Map.Entry<StoredKey, byte[]>> stateWrites = new ArrayList<>(pending.entrySet());
        stateWrites.sort(Map.Entry.comparingByKey());
        for (Map.Entry<StoredKey, byte[]> write : stateWrites) {
            byte[] key = write.getKey().bytes();
            if (write.getValue() == null) {
                batch.delete(Keyspace.STATE, key);
            } else {
                batch.put(Keyspace.STATE, key, write.getValue());
            }
        }
        Block stored = withTransactionsFilter(block, codes);
        byte[] headHash = BlockHashing.headerHash(block.getHeader());
        byte[] stateHashBytes = stateHash.toBytes();
        batch.put(Keyspace.BLOCKS, LedgerKeys.number(number), stored.toByteArray());
        batch.put(Keyspace.BLOCK_HASHES, headHash, LedgerKeys.number(number));
        batch.put(Keyspace.STATE_HASHES, LedgerKeys.number(number), stateHashBytes);
        batch.put(Keyspace.META, LedgerKeys.META_HEIGHT, LedgerKeys.number(number + 1));
        batch.put(Keyspace.META, LedgerKeys.META_HEAD_HASH, headHash);
        batch.put(Keyspace.META, LedgerKeys.META_STATE_HASH, stateHashBytes);
        return new Plan(batch, stored, codes, new Head(number + 1, headHash, stateHash),
                Collections.unmodifiableMap(pending), Collections.unmodifiableList(stateWrites),
                Collections.unmodifiableSet(blockTransactionIds));
    }

    /** @param keys the stored key of each read, in read-write set order */
    private static boolean readsAreCurrent(CheckedTransaction transaction, StoredKey[] keys, Map<StoredKey, byte[]> pending,
            PlannerReads committed) {
        int index = 0;
        for (NamespaceReadWriteSet namespace : transaction.readWriteSets()) {
            for (KVRead read : namespace.kvRwSet().getReadsList()) {
                if (!readIsCurrent(read, current(keys[index++], pending, committed))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether {@code read} saw the entry that is now {@code stored} (null: none) at its current version. */
    static boolean readIsCurrent(KVRead read, byte[] stored) {
        if (stored == null) {
            return !read.hasVersion();
        }
        Version version = StateCodec.version(stored);
        return read.hasVersion() && read.getVersion().getBlockNum() == version.blockNumber()
                && read.getVersion().getTxNum() == version.transactionNumber();
    }

    /** @param keys the stored key of each write, in read-write set order */
    private static void applyWrites(CheckedTransaction transaction, StoredKey[] keys, Version version,
            Map<StoredKey, byte[]> pending, PlannerReads committed, StateHash stateHash) {
        int index = 0;
        for (NamespaceReadWriteSet namespace : transaction.readWriteSets()) {
            String ns = namespace.namespace();
            for (KVWrite write : namespace.kvRwSet().getWritesList()) {
                StoredKey key = keys[index++];
                byte[] old = current(key, pending, committed);
                if (old != null) {
                    Version previous = StateCodec.version(old);
                    stateHash.remove(ns, write.getKey(), old, StateCodec.VERSION_BYTES, old.length - StateCodec.VERSION_BYTES,
                            previous.blockNumber(), previous.transactionNumber());
                }
                if (write.getIsDelete()) {
                    pending.put(key, null);
                } else {
                    byte[] stored = StateCodec.value(write.getValue(), version);
                    stateHash.add(ns, write.getKey(), stored, StateCodec.VERSION_BYTES, stored.length - StateCodec.VERSION_BYTES,
                            version.blockNumber(), version.transactionNumber());
                    pending.put(key, stored);
                }
            }
        }
    }

    /** The value a transaction sees: an earlier valid transaction's write in this block, else the committed one. */
    private static byte[] current(StoredKey key, Map<StoredKey, byte[]> pending, PlannerReads committed) {
        byte[] value = pending.get(key);
        if (value != null || pending.containsKey(key)) {
            return value;
        }
        return committed.state(key);
    }

    /** The block with one validation code per transaction in metadata slot TRANSACTIONS_FILTER, as Fabric stores it. */
    static Block withTransactionsFilter(Block block, List<TxValidationCode> codes) {
        byte[] filter = new byte[codes.size()];
        for (int i = 0; i < filter.length; i++) {
            filter[i] = (byte) codes.get(i).getNumber();
        }
        BlockMetadata.Builder metadata = block.getMetadata().toBuilder();
        while (metadata.getMetadataCount() < BlockBuilder.METADATA_SLOTS) {
            metadata.addMetadata(ByteString.EMPTY);
        }
        metadata.setMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE, ByteString.copyFrom(filter));
        return block.toBuilder().setMetadata(metadata).build();
    }
}
