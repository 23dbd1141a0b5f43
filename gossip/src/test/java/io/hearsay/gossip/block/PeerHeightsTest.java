package io.hearsay.gossip.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.identity.PkiId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The table of claimed heights answers exactly as the {@code TreeMap<PkiId, Long>} it stands for: random raises,
 * sets, removes, lookups and trims to a neighbourhood run against both, with every lookup made half the time with an
 * equal but distinct PKI-ID object (a decoded one) and a third of the ids alike in their first eight bytes, and after
 * every step the two must agree entry by entry in PKI-ID order.
 */
class PeerHeightsTest {
    private static final long SEED = 5;

    @Test
    void answersAsASortedMapInPkiIdOrder() {
        Random random = new Random(SEED);
        List<PkiId> ids = new ArrayList<>();
        byte[] sharedFirstWord = new byte[8];
        random.nextBytes(sharedFirstWord);
        for (int i = 0; i < 24; i++) {
            byte[] bytes = new byte[PkiId.LENGTH_BYTES];
            random.nextBytes(bytes);
            if (i % 3 == 0) {
                // Ids alike in their first eight bytes: the table must then order them by the rest.
                System.arraycopy(sharedFirstWord, 0, bytes, 0, sharedFirstWord.length);
            }
            ids.add(PkiId.fromBytes(bytes));
        }
        PeerHeights heights = new PeerHeights(0);
        TreeMap<PkiId, Long> reference = new TreeMap<>();
        for (int step = 0; step < 50_000; step++) {
            PkiId member = ids.get(random.nextInt(ids.size()));
            PkiId peer = random.nextBoolean() ? member : PkiId.fromBytes(member.toBytes());
            long height = random.nextInt(50);
            String where = "SEED=" + SEED + " step " + step;
            switch (random.nextInt(6)) {
                case 0 -> {
                    heights.raise(peer, height);
                    reference.merge(peer, height, Math::max);
                }
                case 1 -> {
                    heights.set(peer, height);
                    reference.put(peer, height);
                }
                case 2 -> {
                    heights.remove(peer);
                    reference.remove(peer);
                }
                case 3 -> {
                    PeerSet neighbours = PeerSet.of(ids.subList(0, 4 + random.nextInt(12)));
                    heights.keepWithin(neighbours);
                    if (reference.size() > neighbours.size()) {
                        reference.keySet().removeIf(id -> !neighbours.contains(id));
                    }
                }
                default -> {
                    assertThat(heights.get(peer, -1)).as(where).isEqualTo(reference.getOrDefault(peer, -1L));
                    assertThat(heights.contains(peer)).as(where).isEqualTo(reference.containsKey(peer));
                }
            }
            assertThat(heights.size()).as(where).isEqualTo(reference.size());
            int i = 0;
            for (Map.Entry<PkiId, Long> entry : reference.entrySet()) {
                assertThat(heights.peer(i)).as(where).isEqualTo(entry.getKey());
                assertThat(heights.height(i)).as(where).isEqualTo(entry.getValue());
                i++;
            }
        }
    }
}
