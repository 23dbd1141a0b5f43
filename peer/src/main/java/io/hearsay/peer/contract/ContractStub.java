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
     * Committed entries with {@code startKey <= key < endKey} in key order; an empty {@code endKey} means to the
     * end of the namespace. Recorded as a range query, so a commit can tell the range changed.
     */
    List<KeyValue> range(String startKey, String endKey);

    /** Sets the invocation's event; a later call replaces an earlier one (Fabric keeps one event per transaction). */
    void setEvent(String name, byte[] payload);

    String transactionId();

    /** The validated identity of the client that signed the proposal. */
    Identity creator();
}
