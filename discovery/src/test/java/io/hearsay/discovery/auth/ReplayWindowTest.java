package io.hearsay.discovery.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Any arrival order within the window accepts each sequence exactly once (checked against a reference set), and
 * the verdicts of every window size, one word inline or more, are those of a plain set of recorded sequences.
 */
class ReplayWindowTest {
    private static final long SEED = 5;

    @Test
    void eachSequenceIsFreshExactlyOnceUnderReordering() {
        Random random = new Random(SEED);
        ReplayWindow window = new ReplayWindow(256);
        List<Long> arrivals = new ArrayList<>();
        for (long base = 0; base < 5000; base += 100) {
            List<Long> chunk = new ArrayList<>();
            for (long s = base; s < base + 100; s++) {
                chunk.add(s);
                chunk.add(s);
            }
            Collections.shuffle(chunk, random);
            arrivals.addAll(chunk);
        }
        java.util.Set<Long> accepted = new java.util.HashSet<>();
        for (long sequence : arrivals) {
            if (window.check(sequence) == ReplayWindow.Verdict.FRESH) {
                assertThat(accepted.add(sequence)).as("SEED=%d sequence %d accepted twice", SEED, sequence).isTrue();
                window.record(sequence);
            }
        }
        assertThat(accepted).as("SEED=%d every sequence accepted once", SEED).hasSize(5000);
    }

    @Test
    void jumpsFartherThanTheWindowForgetEverythingBelow() {
        ReplayWindow window = new ReplayWindow(64);
        window.record(3);
        window.record(1000);
        assertThat(window.check(3)).isEqualTo(ReplayWindow.Verdict.TOO_OLD);
        assertThat(window.check(999)).isEqualTo(ReplayWindow.Verdict.FRESH);
        assertThat(window.check(1000)).isEqualTo(ReplayWindow.Verdict.REPLAYED);
    }

    @Test
    void verdictsMatchASetOfRecordedSequencesForOneWordAndLargerWindows() {
        for (int size : new int[] {64, 128, 1024}) {
            Random random = new Random(SEED + size);
            ReplayWindow window = new ReplayWindow(size);
            java.util.Set<Long> recorded = new java.util.HashSet<>();
            long highest = -1;
            long next = 0;
            for (int i = 0; i < 20_000; i++) {
                // Mostly close to the newest (reordering), sometimes a jump ahead or a replay from far back.
                long sequence = switch (random.nextInt(10)) {
                    case 0 -> next += 1 + random.nextInt(3 * size);
                    case 1 -> Math.max(0, next - random.nextInt(3 * size));
                    default -> Math.max(0, next++ - random.nextInt(size / 2));
                };
                ReplayWindow.Verdict expected = sequence > highest ? ReplayWindow.Verdict.FRESH
                        : highest - sequence >= size ? ReplayWindow.Verdict.TOO_OLD
                        : recorded.contains(sequence) ? ReplayWindow.Verdict.REPLAYED : ReplayWindow.Verdict.FRESH;
                assertThat(window.check(sequence)).as("SEED=%d size %d step %d sequence %d", SEED + size, size, i, sequence)
                        .isEqualTo(expected);
                if (expected == ReplayWindow.Verdict.FRESH) {
                    window.record(sequence);
                    recorded.add(sequence);
                    highest = Math.max(highest, sequence);
                }
            }
        }
    }
}
