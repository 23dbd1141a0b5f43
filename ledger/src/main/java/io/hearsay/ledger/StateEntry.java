package io.hearsay.ledger;

/** One entry of a state range scan. */
public record StateEntry(String namespace, String key, VersionedValue value) {}
