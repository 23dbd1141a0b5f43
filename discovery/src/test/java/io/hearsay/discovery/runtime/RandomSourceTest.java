package io.hearsay.discovery.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run is a function of its seed: same seed, same draws; forks are independent of later draws of their parent. */
class RandomSourceTest {
    @Test
    void sameSeedGivesSameDraws() {
        RandomSource a = RandomSource.seeded(42);
        RandomSource b = RandomSource.seeded(42);
        for (int i = 0; i < 20; i++) {
            assertThat(a.nextLong()).isEqualTo(b.nextLong());
        }
    }

    @Test
    void aForkIsNotDisturbedByItsParentDrawingMore() {
        RandomSource quiet = RandomSource.seeded(7);
        RandomSource busy = RandomSource.seeded(7);
        RandomSource quietFork = quiet.fork();
        RandomSource busyFork = busy.fork();
        for (int i = 0; i < 100; i++) {
            busy.nextLong();
        }
        List<Long> fromQuiet = new ArrayList<>();
        List<Long> fromBusy = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            fromQuiet.add(quietFork.nextLong());
            fromBusy.add(busyFork.nextLong());
        }
        assertThat(fromBusy).isEqualTo(fromQuiet);
    }

    @Test
    void chanceHonoursItsBounds() {
        RandomSource random = RandomSource.seeded(3);
        for (int i = 0; i < 1000; i++) {
            assertThat(random.chance(0)).isFalse();
        }
        long hits = 0;
        for (int i = 0; i < 10_000; i++) {
            hits += random.chance(0.25) ? 1 : 0;
        }
        assertThat(hits).isBetween(2_200L, 2_800L);
    }
}
