package io.hearsay.discovery.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearsay.discovery.membership.PeerSet;
import io.hearsay.discovery.runtime.RandomSource;
import io.hearsay.identity.PkiId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A view fills to minDegree from the live set, replaces a dead neighbour in the same call that reports the
 * death, never passes maxDegree however many peers ask to join it, and is a function of its seed. Plain
 * peer sets stand in for SWIM's live membership.
 */
class NeighbourViewTest {
    private static final long SEED = 42;

    private static PkiId peer(int i) {
        return PkiId.fromBytes(ByteBuffer.allocate(32).putInt(i).array());
    }

    private static PeerSet peers(int from, int to) {
        return PeerSet.of(IntStream.range(from, to).mapToObj(NeighbourViewTest::peer).toList());
    }

    private static NeighbourView view(ViewConfig config, long seed) {
        return new NeighbourView(peer(0), config, RandomSource.seeded(seed));
    }

    @Test
    void fillsToMinDegreeFromLiveMembersOnly() {
        PeerSet live = peers(0, 100);
        NeighbourView view = view(ViewConfig.defaults(), SEED);
        NeighbourView.ViewChange change = view.refresh(live);
        assertThat(view.neighbours().size()).as("SEED=%d", SEED).isEqualTo(4);
        assertThat(change.added()).isSorted().containsExactlyElementsOf(view.neighbours().toList());
        assertThat(change.removed()).isEmpty();
        assertThat(view.neighbours().toList()).doesNotContain(peer(0)).allMatch(live::contains);
        assertThat(view.refresh(live).isEmpty()).as("a second refresh with the same members changes nothing").isTrue();
    }

    @Test
    void smallMembershipGivesEveryoneElse() {
        NeighbourView view = view(ViewConfig.defaults(), SEED);
        view.refresh(peers(0, 3));
        assertThat(view.neighbours().toList()).containsExactly(peer(1), peer(2));
        view.refresh(peers(0, 10));
        assertThat(view.neighbours().size()).as("fills up when more members appear").isEqualTo(4);
        assertThat(view.neighbours().toList()).contains(peer(1), peer(2));
    }

    @Test
    void replacesADeadNeighbourAtOnce() {
        PeerSet everyone = peers(0, 1_000);
        NeighbourView view = view(ViewConfig.defaults(), SEED);
        view.refresh(everyone);
        PkiId dead = view.neighbours().get(1);
        List<PkiId> survivors = new ArrayList<>(view.neighbours().toList());
        survivors.remove(dead);

        NeighbourView.ViewChange change = view.refresh(everyone.without(dead));

        assertThat(change.removed()).containsExactly(dead);
        assertThat(change.added()).hasSize(1).doesNotContain(dead, peer(0));
        assertThat(view.neighbours().size()).as("SEED=%d back at minDegree in the same call", SEED).isEqualTo(4);
        assertThat(view.neighbours().toList()).containsAll(survivors).doesNotContain(dead);
        assertThat(view.replacements()).isEqualTo(1);
    }

    @Test
    void replacesEveryNeighbourWhenAllDie() {
        PeerSet everyone = peers(0, 200);
        NeighbourView view = view(ViewConfig.withMinDegree(8), SEED);
        view.refresh(everyone);
        List<PkiId> before = view.neighbours().toList();
        List<PkiId> alive = new ArrayList<>(everyone.toList());
        alive.removeAll(before);
        view.refresh(PeerSet.of(alive));
        assertThat(view.neighbours().size()).isEqualTo(8);
        assertThat(view.neighbours().toList()).doesNotContainAnyElementsOf(before);
    }

    @Test
    void neverExceedsMaxDegree() {
        ViewConfig config = new ViewConfig(4, 6);
        NeighbourView view = view(config, SEED);
        view.refresh(peers(0, 1_000));
        int accepted = 0;
        for (int i = 1; i < 1_000; i++) {
            if (view.accept(peer(i))) {
                accepted++;
            }
            assertThat(view.neighbours().size()).isLessThanOrEqualTo(6);
        }
        assertThat(accepted).isEqualTo(2);
        assertThat(view.accept(peer(0))).as("never itself").isFalse();
        // A refresh at or above minDegree draws nothing more.
        assertThat(view.refresh(peers(0, 1_000)).isEmpty()).isTrue();
        assertThat(view.neighbours().size()).isEqualTo(6);
    }

    @Test
    void acceptedNeighboursAboveMinDegreeAreNotReplaced() {
        PeerSet everyone = peers(0, 1_000);
        NeighbourView view = view(ViewConfig.defaults(), SEED);
        view.refresh(everyone);
        PkiId inbound = peer(999);
        if (!view.neighbours().contains(inbound)) {
            assertThat(view.accept(inbound)).isTrue();
        }
        int size = view.neighbours().size();
        NeighbourView.ViewChange change = view.refresh(everyone.without(inbound));
        assertThat(change.removed()).containsExactly(inbound);
        assertThat(view.neighbours().size()).isEqualTo(Math.max(4, size - 1));
    }

    @Test
    void deterministicForASeed() {
        assertThat(trace(SEED)).as("SEED=%d twice", SEED).isEqualTo(trace(SEED));
        assertThat(trace(SEED)).as("another seed, another view").isNotEqualTo(trace(SEED + 1));
    }

    /** The views through a sequence of deaths: fill, kill two neighbours, kill a third of the rest. */
    private static List<List<PkiId>> trace(long seed) {
        List<List<PkiId>> trace = new ArrayList<>();
        List<PkiId> live = new ArrayList<>(peers(0, 500).toList());
        NeighbourView view = view(ViewConfig.defaults(), seed);
        view.refresh(PeerSet.of(live));
        trace.add(view.neighbours().toList());
        live.removeAll(view.neighbours().toList().subList(0, 2));
        view.refresh(PeerSet.of(live));
        trace.add(view.neighbours().toList());
        live.removeIf(p -> p.hashCode() % 3 == 0 && !p.equals(peer(0)));
        view.refresh(PeerSet.of(live));
        trace.add(view.neighbours().toList());
        return trace;
    }

    @Test
    void configRelationsAreValidated() {
        assertThat(ViewConfig.defaults()).isEqualTo(new ViewConfig(4, 8));
        assertThatThrownBy(() -> new ViewConfig(0, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ViewConfig(5, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxDegree");
        assertThatThrownBy(() -> new ViewConfig(4, 2_000)).isInstanceOf(IllegalArgumentException.class);
    }
}
