package io.hearsay.peer.contract;

import io.hearsay.identity.Identity;
import java.util.List;
import java.util.Optional;

/**
 * What a contract sees of the ledger during one invocation, all within the contract's own namespace.
 *
 * <p>Reads see the <em>committed</em> state only, never this invocation's own writes (Fabric's simulation
 * semantics): a {@code put} followed by a {@code get} of the same key returns the committed value.
 */
public interface ContractStub {

    /** The committed value of {@code key}, or empty if it does not exist; the read is recorded with its version. */
    Optional<byte[]> get(String key);

    /** Writes {@code value} to {@code key} when the transaction commits. */
    void put(String key, byte[] value);

    /** Deletes {@code key} when the transaction commits. */
    void delete(String key);

    /**
     * Committed entries with {@code startKey <= key < endKey} in key order (UTF-8 byte order); an empty {@code
     * endKey} means to the end of the namespace. Recorded as a range query, so the commit marks the transaction
     * {@code PHANTOM_READ_CONFLICT} if a key of the range appeared, went or changed meanwhile.
     *
     * @throws ContractException if the range holds more than {@link SimulationLimits#rangeEntriesMax()} entries
     *     (10,000 by default): read such a range in pages with {@link #range(String, String, int)}
     */
    List<KeyValue> range(String startKey, String endKey) throws ContractException;

    /**
     * The first at most {@code limit} committed entries with {@code startKey <= key < endKey}, in key order: one
     * page of a range. Fewer than {@code limit} means the range has no more; otherwise the next page starts just
     * after the last key returned ({@code lastKey + "\0"}). Recorded as a range query that covers only what was
     * returned (Fabric's early-stopped iterator: the last key read is its inclusive end), so keys inserted after
     * the page do not invalidate the transaction.
     *
     * @param limit between 1 and {@link SimulationLimits#rangeEntriesMax()}
     */
    List<KeyValue> range(String startKey, String endKey, int limit);

    /** The most entries one {@link #range} call returns: the largest page a contract can ask for. */
    int rangeEntriesMax();

    /** Sets the invocation's event; a later call replaces an earlier one (Fabric keeps one event per transaction). */
    void setEvent(String name, byte[] payload);

    String transactionId();

    /** The validated identity of the client that signed the proposal. */
    Identity creator();
}
