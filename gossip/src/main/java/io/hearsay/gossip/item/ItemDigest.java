package io.hearsay.gossip.item;

/** A (key, version) pair: what pull sends instead of the item itself. */
public record ItemDigest(String key, long version) {
    public int sizeBytes() {
        return key.length() + 8;
    }
}
