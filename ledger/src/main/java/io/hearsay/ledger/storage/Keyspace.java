package io.hearsay.ledger.storage;

/**
 * The ordered keyspaces a ledger keeps. Each is a separate sorted map (a RocksDB column family, or a
 * sorted map in memory), so a scan of one never walks another's keys.
 */
public enum Keyspace {
    /** Block number (8 bytes, big-endian) → serialised {@code common.Block} as committed. */
    BLOCKS,
    /** Block header hash → block number. */
    BLOCK_HASHES,
    /** Transaction id (UTF-8) → (block number, position, validation code). */
    TRANSACTIONS,
    /** (namespace, key) → (value, version): the world state. */
    STATE,
    /** Block number → state hash after that block. */
    STATE_HASHES,
    /** Small singletons: height, head hash, current state hash, channel config. */
    META;

    /** Stable name on disk; never derived from {@link #ordinal()}, so reordering the enum is safe. */
    public String storageName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
