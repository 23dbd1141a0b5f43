package io.hearsay.discovery.election;

/**
 * Told when this peer starts or stops leading, on the election's serial context: a leader opens its deliver
 * stream to the orderer, and closes it when it loses leadership. Must not block.
 */
public interface ElectionListener {
    ElectionListener NONE = new ElectionListener() { };

    default void onBecameLeader() { }

    default void onLostLeadership() { }
}
