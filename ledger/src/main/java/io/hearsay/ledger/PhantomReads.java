package io.hearsay.ledger;

import io.hearsay.ledger.state.StateCodec;
import io.hearsay.ledger.storage.Keyspace;
import io.hearsay.ledger.storage.LedgerStorage;
import io.hearsay.ledger.validation.CheckedTransaction;
import io.hearsay.ledger.validation.CheckedTransaction.NamespaceReadWriteSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;

/**
 * Fabric's phantom-read check, for one block: each range query a transaction recorded is run again over the
 * state as it is in the transaction's turn, and must find exactly the entries it read, key by key and version by
 * version. A key inserted into or deleted from the range, or one rewritten, since the simulation, by an earlier
 * block or by an earlier valid transaction of this one, makes the transaction {@code PHANTOM_READ_CONFLICT}.
 *
 * <pre>
 *   recorded:  [start, end)  raw reads k1@v1 … kn@vn   itr_exhausted = true
 *   now:       stored state ⊕ the block before's unwritten batch ⊕ this block's earlier valid writes
 *              read from start: k1@v1 … kn@vn, then nothing before end
 * </pre>
 *
 * A contract that stopped reading early records {@code itr_exhausted = false} and, as Fabric's simulator does, the
 * last key it read as {@code end}; that end is then inclusive, so the check covers exactly what was read.
 *
 * <p>Each query reads at most one entry more than it recorded, however large its range: a commit never pays for
 * a range the contract did not read. Only a block that holds a range query builds one of these.
 */
final class PhantomReads {
    private final LedgerStorage storage;
    /** What the block before writes, by stored key in key order, null for a delete; empty if it is durable. */
    private final List<Map.Entry<StoredKey, byte[]>> unwrittenWrites;
    /** What the earlier valid transactions of this block write, null for a delete; the planner keeps adding. */
    private final NavigableMap<StoredKey, byte[]> pending;

    PhantomReads(LedgerStorage storage, List<Map.Entry<StoredKey, byte[]>> unwrittenWrites,
            NavigableMap<StoredKey, byte[]> pending) {
        this.storage = storage;
        this.unwrittenWrites = unwrittenWrites;
        this.pending = pending;
    }

    /** Whether every range query of {@code transaction} still reads what it read. */
    boolean rangesUnchanged(CheckedTransaction transaction) {
        for (NamespaceReadWriteSet namespace : transaction.readWriteSets()) {
            for (RangeQueryInfo range : namespace.kvRwSet().getRangeQueriesInfoList()) {
                if (!rangeUnchanged(namespace.namespace(), range)) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean rangeUnchanged(String namespace, RangeQueryInfo range) {
        StoredKey from = new StoredKey(StateCodec.key(namespace, range.getStartKey()));
        StoredKey to = new StoredKey(end(namespace, range));
        if (from.compareTo(to) > 0) {
            return false; // RangeQueryShape refuses an inverted range first; none may throw out of a commit
        }
        try (CurrentRange current = new CurrentRange(storage.scan(Keyspace.STATE, from.bytes(), to.bytes()),
                overlay(from, to).entrySet().iterator())) {
            for (KVRead read : range.getRawReads().getKvReadsList()) {
                LedgerStorage.Entry entry = current.next();
                if (entry == null || !Arrays.equals(entry.key(), StateCodec.key(namespace, read.getKey()))
                        || !CommitPlanner.readIsCurrent(read, entry.value())) {
                    return false;
                }
            }
            return current.next() == null;
        }
    }

    /** The stored key the re-run stops before: the recorded end, just after it if the contract stopped early. */
    private static byte[] end(String namespace, RangeQueryInfo range) {
        if (range.getEndKey().isEmpty()) {
            return StateCodec.namespaceEnd(namespace);
        }
        byte[] end = StateCodec.key(namespace, range.getEndKey());
        // end ‖ 0x00 is the first key after end: an early-stopped range includes its last key.
        return range.getItrExhausted() ? end : Arrays.copyOf(end, end.length + 1);
    }

    /** The not-yet-stored writes within [from, to), this block's over the block before's. */
    private NavigableMap<StoredKey, byte[]> overlay(StoredKey from, StoredKey to) {
        TreeMap<StoredKey, byte[]> overlay = new TreeMap<>();
        for (int i = firstAtOrAfter(from); i < unwrittenWrites.size(); i++) {
            Map.Entry<StoredKey, byte[]> write = unwrittenWrites.get(i);
            if (write.getKey().compareTo(to) >= 0) {
                break;
            }
            overlay.put(write.getKey(), write.getValue());
        }
        overlay.putAll(pending.subMap(from, true, to, false));
        return overlay;
    }

    /** Binary search: the index of the first unwritten write whose key is not before {@code key}. */
    private int firstAtOrAfter(StoredKey key) {
        int low = 0;
        int high = unwrittenWrites.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (unwrittenWrites.get(middle).getKey().compareTo(key) < 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** A range as it is now: the stored entries merged with the overlay's writes, which win, and its deletes. */
    private static final class CurrentRange implements AutoCloseable {
        private final LedgerStorage.RangeIterator stored;
        private final Iterator<Map.Entry<StoredKey, byte[]>> overlay;
        private LedgerStorage.Entry nextStored;
        private Map.Entry<StoredKey, byte[]> nextOverlay;

        CurrentRange(LedgerStorage.RangeIterator stored, Iterator<Map.Entry<StoredKey, byte[]>> overlay) {
            this.stored = stored;
            this.overlay = overlay;
        }

        /** The next entry that exists, in key order, or null past the end of the range. */
        LedgerStorage.Entry next() {
            while (true) {
                if (nextStored == null && stored.hasNext()) {
                    nextStored = stored.next();
                }
                if (nextOverlay == null && overlay.hasNext()) {
                    nextOverlay = overlay.next();
                }
                if (nextStored == null && nextOverlay == null) {
                    return null;
                }
                int order = nextOverlay == null ? -1
                        : nextStored == null ? 1 : Arrays.compareUnsigned(nextStored.key(), nextOverlay.getKey().bytes());
                if (order < 0) {
                    LedgerStorage.Entry entry = nextStored;
                    nextStored = null;
                    return entry;
                }
                if (order == 0) {
                    nextStored = null; // rewritten or deleted since it was stored
                }
                Map.Entry<StoredKey, byte[]> write = nextOverlay;
                nextOverlay = null;
                if (write.getValue() != null) {
                    return new LedgerStorage.Entry(write.getKey().bytes(), write.getValue());
                }
            }
        }

        @Override
        public void close() {
            stored.close();
        }
    }
}
