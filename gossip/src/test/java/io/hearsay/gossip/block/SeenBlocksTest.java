package io.hearsay.gossip.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.hearsay.gossip.block.SeenBlocks.BlockId;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The array-backed duplicate filter answers exactly as the insertion-ordered {@code LinkedHashSet} it replaced:
 * random adds, removes and lookups (forks included: one number, two hashes) are run against both, and every
 * answer and the eviction count must agree. Eviction is oldest first, and a removed id frees its place.
 */
class SeenBlocksTest {
    private static final long SEED = 11;

    @Test
    void answersAsAnInsertionOrderedSetBoundedByCount() {
        for (int capacity : new int[] {1, 16, 100, 4096}) {
            Random random = new Random(SEED + capacity);
            SeenBlocks seen = new SeenBlocks(capacity);
            LinkedHashSet<BlockId> reference = new LinkedHashSet<>();
            long evicted = 0;
            long newest = 0;
            for (int step = 0; step < 60_000; step++) {
                // Mostly recent numbers, so ids repeat; two possible hashes per number, so forks occur.
                long number = Math.max(0, newest - random.nextInt(Math.min(3 * capacity, 300) + 1));
                if (random.nextInt(4) == 0) {
                    number = ++newest;
                }
                BlockId id = new BlockId(number, hash(number, random.nextInt(8) == 0 ? 1 : 0));
                String where = "SEED=" + (SEED + capacity) + " capacity " + capacity + " step " + step + " " + id.number();
                switch (random.nextInt(10)) {
                    case 0 -> {
                        seen.remove(id);
                        reference.remove(id);
                    }
                    case 1, 2, 3 -> assertThat(seen.contains(id)).as(where).isEqualTo(reference.contains(id));
                    default -> {
                        boolean added = reference.add(id);
                        if (reference.size() > capacity) {
                            Iterator<BlockId> oldest = reference.iterator();
                            oldest.next();
                            oldest.remove();
                            evicted++;
                        }
                        assertThat(seen.add(id)).as(where).isEqualTo(added);
                    }
                }
                assertThat(seen.evicted()).as(where).isEqualTo(evicted);
            }
            for (BlockId id : reference) {
                assertThat(seen.contains(id)).as("SEED=%d capacity %d holds %s", SEED + capacity, capacity, id).isTrue();
            }
        }
    }

    @Test
    void forgetsTheOldestFirstAndARemovedIdMayComeBack() {
        SeenBlocks seen = new SeenBlocks(16);
        for (long n = 1; n <= 16; n++) {
            assertThat(seen.add(id(n))).isTrue();
        }
        seen.remove(id(5));
        assertThat(seen.contains(id(5))).isFalse();
        assertThat(seen.add(id(17))).as("room left by the removed id: nothing evicted").isTrue();
        assertThat(seen.evicted()).isZero();
        assertThat(seen.add(id(18))).isTrue();
        assertThat(seen.contains(id(1))).as("the oldest goes first").isFalse();
        assertThat(seen.contains(id(2))).isTrue();
        assertThat(seen.add(id(5))).as("a removed id is new again").isTrue();
        assertThat(seen.add(id(5))).isFalse();
        assertThat(seen.contains(new BlockId(5, hash(5, 1)))).as("same number, other hash: another block").isFalse();
    }

    @Test
    void refusesACapacityBelowOne() {
        assertThatThrownBy(() -> new SeenBlocks(0)).hasMessageContaining("at least 1");
    }

    private static BlockId id(long number) {
        return new BlockId(number, hash(number, 0));
    }

    private static ByteString hash(long number, int fork) {
        byte[] bytes = new byte[32];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (number >>> (8 * i));
        }
        bytes[8] = (byte) fork;
        return ByteString.copyFrom(bytes);
    }
}
