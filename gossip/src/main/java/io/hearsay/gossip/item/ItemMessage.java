package io.hearsay.gossip.item;

import java.util.List;

/** Messages of item anti-entropy and rumor mongering. Immutable; {@link #sizeBytes()} is for traffic accounting. */
public sealed interface ItemMessage {
    /** Fixed per-message cost: type, sender, signature (an ECDSA P-256 signature is about 72 bytes). */
    int HEADER_BYTES = 100;

    int sizeBytes();

    // Plain loops: sizes are taken for every message the simulator sends, and streams cost more than the sum.
    private static int itemBytes(List<VersionedItem> items) {
        int bytes = 0;
        for (int i = 0; i < items.size(); i++) {
            bytes += items.get(i).sizeBytes();
        }
        return bytes;
    }

    private static int digestBytes(List<ItemDigest> digests) {
        int bytes = 0;
        for (int i = 0; i < digests.size(); i++) {
            bytes += digests.get(i).sizeBytes();
        }
        return bytes;
    }

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
            return HEADER_BYTES + itemBytes(items) + digestBytes(digests);
        }
    }

    /** "Here is what I have; send me anything newer." */
    record Digest(List<ItemDigest> digests) implements ItemMessage {
        public Digest {
            digests = List.copyOf(digests);
        }

        @Override
        public int sizeBytes() {
            return HEADER_BYTES + digestBytes(digests);
        }
    }

    /** The answer to a digest: items newer than what the digest listed (possibly none). */
    record Reply(List<VersionedItem> items) implements ItemMessage {
        public Reply {
            items = List.copyOf(items);
        }

        @Override
        public int sizeBytes() {
            return HEADER_BYTES + itemBytes(items);
        }
    }

    /** Hot rumors pushed by a rumor monger. */
    record Rumor(List<VersionedItem> items) implements ItemMessage {
        public Rumor {
            items = List.copyOf(items);
        }

        @Override
        public int sizeBytes() {
            return HEADER_BYTES + itemBytes(items);
        }
    }

    /** Feedback to a rumor monger: which of its rumors the receiver already knew. */
    record RumorFeedback(List<ItemDigest> alreadyKnown) implements ItemMessage {
        public RumorFeedback {
            alreadyKnown = List.copyOf(alreadyKnown);
        }

        @Override
        public int sizeBytes() {
            return HEADER_BYTES + digestBytes(alreadyKnown);
        }
    }
}
