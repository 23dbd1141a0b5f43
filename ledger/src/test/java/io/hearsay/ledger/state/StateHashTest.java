package io.hearsay.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearsay.identity.Hashes;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The state hash is a function of the set of entries alone: order, and adds undone by removes, do not matter. */
class StateHashTest {
    private static final long SEED = 20261124L;

    private record Entry(String namespace, String key, byte[] value, long block, long tx) {}

    private static List<Entry> entries(SplittableRandom random, int count) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[random.nextInt(0, 40)];
            random.nextBytes(value);
            entries.add(new Entry("ns" + random.nextInt(3), "k" + i, value, random.nextLong(0, 1000), random.nextInt(0, 100)));
        }
        return entries;
    }

    private static void add(StateHash hash, Entry e) {
        hash.add(e.namespace(), e.key(), e.value(), e.block(), e.tx());
    }

    @Test
    void anyInsertionOrderGivesTheSameHash() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<Entry> entries = entries(random, 200);
        StateHash inOrder = StateHash.empty();
        entries.forEach(e -> add(inOrder, e));
        for (int round = 0; round < 5; round++) {
            List<Entry> shuffled = new ArrayList<>(entries);
            Collections.shuffle(shuffled, new java.util.Random(random.nextLong()));
            StateHash other = StateHash.empty();
            shuffled.forEach(e -> add(other, e));
            assertThat(other.toBytes()).as("SEED=%d round %d", SEED, round).isEqualTo(inOrder.toBytes());
        }
    }

    @Test
    void removingWhatWasAddedRestoresTheHash() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        List<Entry> base = entries(random, 50);
        StateHash hash = StateHash.empty();
        base.forEach(e -> add(hash, e));
        byte[] before = hash.toBytes();
        List<Entry> extra = entries(random, 50);
        extra.forEach(e -> add(hash, e));
        assertThat(hash.toBytes()).isNotEqualTo(before);
        extra.forEach(e -> hash.remove(e.namespace(), e.key(), e.value(), e.block(), e.tx()));
        assertThat(hash.toBytes()).as("SEED=%d", SEED + 1).isEqualTo(before);
    }

    @Test
    void everyFieldOfAnEntryCounts() {
        byte[] value = {1, 2, 3};
        StateHash reference = StateHash.empty();
        reference.add("ns", "key", value, 1, 2);
        List<StateHash> variants = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            variants.add(StateHash.empty());
        }
        variants.get(0).add("ns2", "key", value, 1, 2);
        variants.get(1).add("ns", "key2", value, 1, 2);
        variants.get(2).add("ns", "key", new byte[] {1, 2, 4}, 1, 2);
        variants.get(3).add("ns", "key", value, 2, 2);
        variants.get(4).add("ns", "key", value, 1, 3);
        // Length prefixes: moving a byte from namespace to key must change the hash.
        variants.get(5).add("n", "skey", value, 1, 2);
        for (StateHash variant : variants) {
            assertThat(variant.toBytes()).isNotEqualTo(reference.toBytes());
        }
    }

    /** The definition, computed the slow obvious way: the reference the limb arithmetic must agree with. */
    private static BigInteger entryHash(Entry e) {
        byte[] ns = e.namespace().getBytes(StandardCharsets.UTF_8);
        byte[] k = e.key().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(4 + ns.length + 4 + k.length + 4 + e.value().length + 16);
        buffer.putInt(ns.length).put(ns).putInt(k.length).put(k).putInt(e.value().length).put(e.value())
                .putLong(e.block()).putLong(e.tx());
        return new BigInteger(1, Hashes.sha256(buffer.array()));
    }

    private static byte[] bytes32(BigInteger value) {
        byte[] out = new byte[32];
        byte[] magnitude = value.mod(MODULUS).toByteArray();
        int copy = Math.min(magnitude.length, 32);
        System.arraycopy(magnitude, magnitude.length - copy, out, 32 - copy, copy);
        return out;
    }

    private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);

    @Test
    void agreesWithTheSumModulo2To256ComputedWithBigIntegers() {
        SplittableRandom random = new SplittableRandom(SEED + 2);
        // Start next to both ends of the range, so that carries and borrows run through every limb.
        for (BigInteger start : List.of(BigInteger.ZERO, BigInteger.ONE, MODULUS.subtract(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(192))) {
            StateHash hash = StateHash.of(bytes32(start));
            BigInteger reference = start;
            for (Entry e : entries(random, 300)) {
                if (random.nextBoolean()) {
                    add(hash, e);
                    reference = reference.add(entryHash(e)).mod(MODULUS);
                } else {
                    hash.remove(e.namespace(), e.key(), e.value(), e.block(), e.tx());
                    reference = reference.subtract(entryHash(e)).mod(MODULUS);
                }
                assertThat(hash.toBytes()).as("SEED=%d from %s", SEED + 2, start.toString(16)).isEqualTo(bytes32(reference));
            }
        }
    }

    @Test
    void aValueInsideALargerArrayHashesLikeTheValueAlone() {
        byte[] value = {5, 6, 7};
        byte[] stored = {0, 0, 5, 6, 7, 0};
        StateHash alone = StateHash.empty();
        alone.add("ns", "k", value, 3, 4);
        StateHash inside = StateHash.empty();
        inside.add("ns", "k", stored, 2, 3, 3, 4);
        assertThat(inside).isEqualTo(alone);
        inside.remove("ns", "k", stored, 2, 3, 3, 4);
        assertThat(inside).isEqualTo(StateHash.empty());
        StateHash copy = alone.copy();
        copy.remove("ns", "k", value, 3, 4);
        assertThat(alone.toBytes()).as("a copy is independent").isNotEqualTo(copy.toBytes());
    }

    @Test
    void bytesRoundTripAndAreAlways32Long() {
        StateHash hash = StateHash.empty();
        assertThat(hash.toBytes()).hasSize(32).containsOnly(0);
        hash.remove("ns", "k", new byte[0], 0, 0);
        assertThat(hash.toBytes()).hasSize(32);
        assertThat(StateHash.of(hash.toBytes())).isEqualTo(hash);
        assertThatThrownBy(() -> StateHash.of(new byte[31])).hasMessageContaining("32 bytes");
    }
}
