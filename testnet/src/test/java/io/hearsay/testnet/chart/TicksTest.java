package io.hearsay.testnet.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Ticks are nice numbers (1, 2, 5 × 10^k, or powers of ten on a log axis) that enclose the data, printed plainly. */
class TicksTest {
    @Test
    void linearTicksAreNiceStepsEnclosingTheData() {
        assertThat(Ticks.linear(0, 97).values()).containsExactly(0.0, 20.0, 40.0, 60.0, 80.0, 100.0);
        assertThat(Ticks.linear(3, 4_130).values()).containsExactly(0.0, 1_000.0, 2_000.0, 3_000.0, 4_000.0, 5_000.0);
        Ticks small = Ticks.linear(0.12, 0.93);
        assertThat(small.values()).containsExactly(0.0, 0.2, 0.4, 0.6, 0.8, 1.0);
        assertThat(small.values().stream().map(Ticks::label).toList()).containsExactly("0", "0.2", "0.4", "0.6", "0.8", "1");
    }

    @Test
    void oneValueGetsRoomAroundIt() {
        Ticks flat = Ticks.linear(7, 7);
        assertThat(flat.min()).isLessThan(7);
        assertThat(flat.max()).isGreaterThan(7);
    }

    @Test
    void niceNumbersAreOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(List.of(Ticks.nice(0.7), Ticks.nice(1.3), Ticks.nice(3.2), Ticks.nice(7), Ticks.nice(180)))
                .containsExactly(1.0, 2.0, 5.0, 10.0, 200.0);
    }

    @Test
    void logTicksArePowersOfTen() {
        Ticks ticks = Ticks.log(0.35, 4_000);
        assertThat(ticks.values()).containsExactly(0.1, 1.0, 10.0, 100.0, 1_000.0, 10_000.0);
        assertThat(ticks.values().stream().map(Ticks::label).toList())
                .containsExactly("0.1", "1", "10", "100", "1000", "10000");
    }
}
