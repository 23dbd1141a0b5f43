package io.hearsay.gossip.item;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * The unit anti-entropy reconciles: a key, a version that only grows, and a value. Blocks (key = number),
 * membership records (key = peer, version = incarnation and sequence) and state entries are kinds of item.
 * A peer keeps, per key, the item with the highest version it has seen.
 */
public record VersionedItem(String key, long version, ByteString value) {
    public VersionedItem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    /** What a digest says of this item. */
    public ItemDigest digest() {
        return new ItemDigest(key, version);
    }

    /** Bytes on the wire, for traffic accounting: key, 8-byte version, value. */
    public int sizeBytes() {
        return key.length() + 8 + value.size();
    }
}
