package io.hearsay.peer.contract;

import com.google.protobuf.ByteString;
import io.hearsay.identity.Identity;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.StateEntry;
import io.hearsay.ledger.Version;
import io.hearsay.ledger.VersionedValue;
import io.hearsay.ledger.state.StateCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;

/**
 * A {@link ContractStub} over a ledger's committed state that records a Fabric {@code KVRWSet} as the contract
 * runs. Reads and writes are kept sorted by key, as Fabric's simulator does, so every endorser of the same
 * invocation on the same state produces the same bytes; the first read of a key is the one recorded (a key read
 * twice is read at one committed version anyway), the last write wins.
 *
 * <p>One instance per invocation, used by one thread.
 */
final class RecordingStub implements ContractStub {
    private final Ledger ledger;
    private final String namespace;
    private final Invocation invocation;
    private final SimulationLimits limits;
    private final TreeMap<String, KVRead> reads = new TreeMap<>();
    private final TreeMap<String, KVWrite> writes = new TreeMap<>();
    private final List<RangeQueryInfo> rangeQueries = new ArrayList<>();
    private ChaincodeEvent event;

    RecordingStub(Ledger ledger, String namespace, Invocation invocation, SimulationLimits limits) {
        this.ledger = ledger;
        this.namespace = namespace;
        this.invocation = invocation;
        this.limits = limits;
    }

    @Override
    public Optional<byte[]> get(String key) {
        requireKey(key);
        Optional<VersionedValue> committed = ledger.state(namespace, key);
        reads.putIfAbsent(key, read(key, committed.map(VersionedValue::version).orElse(null)));
        return committed.map(value -> value.value().toByteArray());
    }

    @Override
    public void put(String key, byte[] value) {
        requireKey(key);
        writes.put(key, KVWrite.newBuilder().setKey(key).setValue(ByteString.copyFrom(value)).build());
    }

    @Override
    public void delete(String key) {
        requireKey(key);
        writes.put(key, KVWrite.newBuilder().setKey(key).setIsDelete(true).build());
    }

    @Override
    public List<KeyValue> range(String startKey, String endKey) throws ContractException {
        RangeRead read = read(startKey, endKey, limits.rangeEntriesMax());
        if (!read.exhausted()) {
            throw new ContractException("range ['" + startKey + "', '" + endKey + "') of contract '" + namespace
                    + "' holds more than " + limits.rangeEntriesMax() + " entries, the most one read returns; "
                    + "read it in pages with range(start, end, limit)");
        }
        return read.entries();
    }

    @Override
    public List<KeyValue> range(String startKey, String endKey, int limit) {
        if (limit < 1 || limit > limits.rangeEntriesMax()) {
            throw new IllegalArgumentException("a range limit must be between 1 and " + limits.rangeEntriesMax()
                    + " entries, got " + limit);
        }
        return read(startKey, endKey, limit).entries();
    }

    @Override
    public int rangeEntriesMax() {
        return limits.rangeEntriesMax();
    }

    /** One range read's entries, and whether the range ended before the entry cap did. */
    private record RangeRead(List<KeyValue> entries, boolean exhausted) {}

    /**
     * Reads at most {@code entriesMax} entries of the range, and one more only to learn whether the range goes on,
     * and records the range query. An exhausted range is recorded with its bounds, as Fabric does, so the commit
     * re-reads it whole; an unfinished one with its last key read as the end, not exhausted, so the commit
     * re-reads exactly what was returned.
     */
    private RangeRead read(String startKey, String endKey, int entriesMax) {
        requireRange(startKey, endKey);
        List<KeyValue> entries = new ArrayList<>();
        QueryReads.Builder rawReads = QueryReads.newBuilder();
        boolean exhausted = true;
        try (Ledger.StateIterator iterator = ledger.stateRange(namespace, startKey, endKey)) {
            while (iterator.hasNext()) {
                StateEntry entry = iterator.next();
                if (entries.size() == entriesMax) {
                    exhausted = false;
                    break;
                }
                entries.add(new KeyValue(entry.key(), entry.value().value().toByteArray()));
                rawReads.addKvReads(read(entry.key(), entry.value().version()));
            }
        }
        rangeQueries.add(RangeQueryInfo.newBuilder()
                .setStartKey(startKey)
                .setEndKey(exhausted ? endKey : entries.get(entries.size() - 1).key())
                .setItrExhausted(exhausted)
                .setRawReads(rawReads)
                .build());
        return new RangeRead(entries, exhausted);
    }

    @Override
    public void setEvent(String name, byte[] payload) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an event needs a name");
        }
        event = ChaincodeEvent.newBuilder()
                .setChaincodeId(namespace)
                .setTxId(invocation.transactionId())
                .setEventName(name)
                .setPayload(ByteString.copyFrom(payload))
                .build();
    }

    @Override
    public String transactionId() {
        return invocation.transactionId();
    }

    @Override
    public Identity creator() {
        return invocation.creator();
    }

    KVRWSet readWriteSet() {
        return KVRWSet.newBuilder()
                .addAllReads(reads.values())
                .addAllRangeQueriesInfo(rangeQueries)
                .addAllWrites(writes.values())
                .build();
    }

    Optional<ChaincodeEvent> event() {
        return Optional.ofNullable(event);
    }

    private static KVRead read(String key, Version version) {
        KVRead.Builder read = KVRead.newBuilder().setKey(key);
        if (version != null) {
            read.setVersion(org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version.newBuilder()
                    .setBlockNum(version.blockNumber()).setTxNum(version.transactionNumber()));
        }
        return read.build();
    }

    /** The committer refuses an inverted range (BAD_RWSET), so refuse it here, where the contract can still say why. */
    private static void requireRange(String startKey, String endKey) {
        if (startKey == null || endKey == null) {
            throw new IllegalArgumentException("range bounds must not be null; use \"\" for an open bound");
        }
        if (!endKey.isEmpty() && StateCodec.compareKeys(startKey, endKey) > 0) {
            throw new IllegalArgumentException("range start '" + startKey + "' is after its end '" + endKey + "'");
        }
    }

    /** The committer refuses empty keys (BAD_RWSET), so refuse them here, where the contract can still say why. */
    private static void requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("state keys must be non-empty");
        }
    }
}
