package io.hearsay.ledger;

import com.google.protobuf.ByteString;

/** A world-state entry: its value and the version that wrote it. */
public record VersionedValue(ByteString value, Version version) {}
