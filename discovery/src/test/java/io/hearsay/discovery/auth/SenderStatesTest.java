package io.hearsay.discovery.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.identity.PkiId;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The table of sender rows keeps each sender's state apart and intact as it grows: random senders (given as the
 * very object or as an equal copy) get a fresh row on first sight (the bucket given, an empty window) and the same row contents ever after, checked against a map of what was written into each row; and each
 * row's window gives the verdicts of a window of its own fed the same sequences.
 */
class SenderStatesTest {
    private static final long SEED = 23;

    @Test
    void eachSenderKeepsItsOwnRowThroughGrowth() {
        for (int window : new int[] {64, 256, 1024, 1000}) {
            Random random = new Random(SEED + window);
            int universe = 300;
            SenderStates table = new SenderStates(window, 0);
            Map<Integer, Long> marks = new HashMap<>();
            Map<Integer, ReplayWindow> windows = new HashMap<>();
            Map<Integer, Long> nextSequence = new HashMap<>();
            for (int step = 0; step < 20_000; step++) {
                int which = random.nextInt(1 + Math.min(universe - 1, step / 40));
                PkiId sender = id(which);
                String where = "SEED=" + (SEED + window) + " window " + window + " step " + step + " sender " + which;
                int row = table.rowOf(sender, 7.5, 1_000 + step);
                long[] rows = table.rows();
                if (!marks.containsKey(which)) {
                    assertThat(Double.longBitsToDouble(rows[row + SenderStates.TOKENS])).as(where).isEqualTo(7.5);
                    assertThat(rows[row + SenderStates.LAST_MILLIS]).as(where).isEqualTo(1_000 + step);
                    windows.put(which, new ReplayWindow(window));
                    nextSequence.put(which, 0L);
                } else {
                    assertThat(rows[row + SenderStates.LAST_MILLIS]).as(where).isEqualTo(marks.get(which));
                }
                long mark = random.nextLong();
                rows[row + SenderStates.LAST_MILLIS] = mark;
                marks.put(which, mark);
                // Sequences near the sender's newest, sometimes replayed: the row's window and a window of its own agree.
                long next = nextSequence.get(which);
                long sequence = Math.max(0, next - random.nextInt(window + 8));
                nextSequence.put(which, next + 1 + random.nextInt(3));
                ReplayWindow own = windows.get(which);
                ReplayWindow.Verdict verdict = ReplayWindow.check(rows, row + SenderStates.WINDOW, table.windowWords(),
                        sequence);
                assertThat(verdict).as(where + " sequence " + sequence).isEqualTo(own.check(sequence));
                if (verdict == ReplayWindow.Verdict.FRESH) {
                    ReplayWindow.record(rows, row + SenderStates.WINDOW, table.windowWords(), sequence);
                    own.record(sequence);
                }
                assertThat(table.size()).as(where).isEqualTo(marks.size());
            }
        }
    }

    private static PkiId id(int i) {
        return PkiId.fromBytes(ByteBuffer.allocate(PkiId.LENGTH_BYTES).putInt(3, i * 40_503).putInt(20, ~i).array());
    }
}
