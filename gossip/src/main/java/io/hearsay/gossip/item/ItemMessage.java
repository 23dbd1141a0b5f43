package io.hearsay.gossip.item;

import java.util.List;

/** Messages of item anti-entropy and rumor mongering. Immutable; {@link #sizeBytes()} is for traffic accounting. */
public sealed interface ItemMessage {
    /** Fixed per-message cost: type, sender, signature (an ECDSA P-256 signature is about 72 bytes). */
    int HEADER_BYTES = 100;

    int sizeBytes();

    /**
     * Items for the receiver to merge. With {@code pull} set (push/pull), also "send me what you have newer
     * than these digests" — an explicit flag, because an empty digest list is a valid pull from an empty store.
     */
    record Push(List<VersionedItem> items, boolean pull, List<ItemDigest> digests) implements ItemMessage {
        public Push {
            items = List.copyOf(items);
            digests = List.copyOf(digests);
        }

        @Override
        public int sizeBytes() {
            return HEADER_BYTES + items.stream().mapToInt(VersionedItem::sizeBytes).sum()
                    + digests.stream().mapToInt(ItemDigest::sizeBytes).sum();
        }
    }

    /** "Here is what I have; send me anything newer." */
    record Digest(List<ItemDigest> digests) implements ItemMessage {
        public Digest {
            digests = List.copyOf(digests);
        }

        @Override
        public int sizeBytes() {
            return HEADER_BYTES + digests.stream().mapToInt(ItemDigest::sizeBytes).sum();
        }
    }

    /** The answer to a digest: items newer than what the digest listed (possibly none). */
    record Reply(List<VersionedItem> items) implements ItemMessage {
        public Reply {
            items = List.copyOf(items);
        }

        @Override
        public int sizeBytes() {
            return HEADER_BYTES + items.stream().mapToInt(VersionedItem::sizeBytes).sum();
        }
    }

    /** Hot rumors pushed by a rumor monger. */
    record Rumor(List<VersionedItem> items) implements ItemMessage {
        public Rumor {
            items = List.copyOf(items);
        }

        @Override
        public int sizeBytes() {
            return HEADER_BYTES + items.stream().mapToInt(VersionedItem::sizeBytes).sum();
        }
    }

    /** Feedback to a rumor monger: which of its rumors the receiver already knew. */
    record RumorFeedback(List<ItemDigest> alreadyKnown) implements ItemMessage {
        public RumorFeedback {
            alreadyKnown = List.copyOf(alreadyKnown);
        }

        @Override
        public int sizeBytes() {
            return HEADER_BYTES + alreadyKnown.stream().mapToInt(ItemDigest::sizeBytes).sum();
        }
    }
}
