package io.hearsay.discovery.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.identity.PkiId;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The array-backed set answers exactly as a {@code TreeSet}: random adds, removes, clears and lookups are run
 * against both, with peers given half the time as the very object added and half the time as an
 * equal copy, and every answer and the size must agree.
 */
class SmallPeerSetTest {
    private static final long SEED = 17;

    @Test
    void answersAsATreeSet() {
        for (int universe : new int[] {1, 3, 12, 40}) {
            Random random = new Random(SEED + universe);
            PkiId[] peers = new PkiId[universe];
            for (int i = 0; i < universe; i++) {
                peers[i] = id(i);
            }
            SmallPeerSet set = new SmallPeerSet();
            TreeSet<PkiId> reference = new TreeSet<>();
            for (int step = 0; step < 20_000; step++) {
                int which = random.nextInt(universe);
                PkiId peer = random.nextBoolean() ? peers[which] : id(which);
                String where = "universe " + universe + " step " + step;
                int operation = random.nextInt(100);
                if (operation < 40) {
                    assertThat(set.add(peer)).as(where).isEqualTo(reference.add(peer));
                } else if (operation < 70) {
                    assertThat(set.remove(peer)).as(where).isEqualTo(reference.remove(peer));
                } else if (operation == 70) {
                    set.clear();
                    reference.clear();
                } else {
                    assertThat(set.contains(peer)).as(where).isEqualTo(reference.contains(peer));
                }
                assertThat(set.size()).as(where).isEqualTo(reference.size());
            }
        }
    }

    private static PkiId id(int i) {
        return PkiId.fromBytes(ByteBuffer.allocate(PkiId.LENGTH_BYTES).putInt(7, i * 7919).array());
    }
}
