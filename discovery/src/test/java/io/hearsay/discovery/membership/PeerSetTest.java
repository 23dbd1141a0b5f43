package io.hearsay.discovery.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.identity.PkiId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Peer sets are sorted, their "without" views skip exactly one peer, and sampling is uniform, distinct and seeded. */
class PeerSetTest {
    private static PkiId peer(int i) {
        return PkiId.fromBytes(ByteBuffer.allocate(32).putInt(i).array());
    }

    private final List<PkiId> fifty = IntStream.range(0, 50).mapToObj(PeerSetTest::peer).toList();

    @Test
    void sortedDistinctAndIndexable() {
        List<PkiId> shuffled = new ArrayList<>(fifty);
        java.util.Collections.reverse(shuffled);
        shuffled.add(peer(3));
        PeerSet set = PeerSet.of(shuffled);
        assertThat(set.size()).isEqualTo(50);
        assertThat(set.toList()).isSorted().containsExactlyElementsOf(fifty);
        assertThat(set.contains(peer(7))).isTrue();
        assertThat(set.contains(peer(70))).isFalse();
    }

    @Test
    void withoutViewSkipsOnePeer() {
        PeerSet view = PeerSet.of(fifty).without(peer(10));
        assertThat(view.size()).isEqualTo(49);
        assertThat(view.contains(peer(10))).isFalse();
        assertThat(view.toList()).doesNotContain(peer(10)).containsAll(fifty.subList(11, 50)).isSorted();
        assertThat(PeerSet.of(fifty).without(peer(99)).size()).isEqualTo(50);
    }

    @Test
    void sampleIsDistinctUniformAndHonoursTheExclusion() {
        PeerSet set = PeerSet.of(fifty);
        RandomSource random = RandomSource.seeded(1);
        int[] hits = new int[50];
        for (int round = 0; round < 2000; round++) {
            List<PkiId> picked = set.sample(random, 5, peer(0));
            assertThat(picked).hasSize(5).doesNotHaveDuplicates().doesNotContain(peer(0));
            picked.forEach(p -> hits[ByteBuffer.wrap(p.toBytes()).getInt()]++);
        }
        // 49 candidates, 10,000 picks: about 204 each; a bias would show here.
        assertThat(IntStream.range(1, 50).map(i -> hits[i]).min().orElseThrow()).isGreaterThan(140);
        assertThat(IntStream.range(1, 50).map(i -> hits[i]).max().orElseThrow()).isLessThan(270);
        assertThat(set.sample(random, 100, null)).hasSize(50).doesNotHaveDuplicates();
        assertThat(PeerSet.empty().sample(random, 3, null)).isEmpty();
    }

    @Test
    void sameSeedSameSample() {
        PeerSet set = PeerSet.of(fifty);
        assertThat(set.sample(RandomSource.seeded(9), 7, null)).isEqualTo(set.sample(RandomSource.seeded(9), 7, null));
    }
}
