package io.hearsay.discovery.auth;

import io.hearsay.identity.PkiId;

/**
 * What a channel keeps per sender, every sender's in one array of longs: a row per sender holding its token
 * bucket and its replay window (7 longs for a 256-message window, where a sender object and its window's array
 * took 136 bytes). Rows sit in an open-addressing table (linear probing), the row of slot {@code s} at {@code s * rowLongs}, and
 * the PKI-IDs in a parallel array. A lookup reads the slot's PKI-ID and the slot's row, two loads the processor
 * issues together, where a table of sender objects (and the window's own array) cost three misses one after
 * another: at 100,000 simulated peers a sender's state is cold on nearly every delivery.
 *
 * <p>Looked up per message, never iterated, so its order cannot leak into a decision. Grows with the senders, at
 * three quarters full. A row's offset holds until the next {@link #rowOf} that adds a sender.
 */
final class SenderStates {
    /** The token bucket: messages the sender may still send now, as a double's bits. */
    static final int TOKENS = 0;
    /** When the bucket was last refilled. */
    static final int LAST_MILLIS = 1;
    /** The replay window ({@link ReplayWindow}'s region). */
    static final int WINDOW = 2;

    /** Slots at first: a neighbourhood's senders fit without growing (growing mid-run was 1.5 % of a 10,000-peer run). */
    private static final int CAPACITY_INITIAL = 16;

    private final int windowWords;
    private final int rowLongs;
    private PkiId[] ids;
    private long[] rows;
    private int count;

    /** @param expectedSenders senders to make room for now, without growing (a channel's neighbours) */
    SenderStates(int windowMessages, int expectedSenders) {
        this.windowWords = ReplayWindow.words(windowMessages);
        this.rowLongs = WINDOW + ReplayWindow.longs(windowMessages);
        int capacity = CAPACITY_INITIAL;
        while (expectedSenders * 4 > capacity * 3) {
            capacity *= 2;
        }
        this.ids = new PkiId[capacity];
        this.rows = new long[capacity * rowLongs];
    }

    /** The array holding the rows; read it after {@link #rowOf}, which may replace it. */
    long[] rows() {
        return rows;
    }

    /** The replay window's bitmap words, for {@link ReplayWindow}'s methods. */
    int windowWords() {
        return windowWords;
    }

    /**
     * The offset of {@code sender}'s row, created on its first message with a bucket of {@code tokens} as of
     * {@code nowMillis} and an empty window. The window exists before any of the sender's messages passed the
     * checks; that changes nothing, as a window changes only when a verified message is recorded.
     */
    int rowOf(PkiId sender, double tokens, long nowMillis) {
        int mask = ids.length - 1;
        int hash = sender.hashCode();
        int slot = hash & mask;
        for (PkiId candidate = ids[slot]; candidate != null; candidate = ids[slot]) {
            if (candidate == sender || (candidate.hashCode() == hash && candidate.equals(sender))) {
                return slot * rowLongs;
            }
            slot = (slot + 1) & mask;
        }
        if ((count + 1) * 4 > ids.length * 3) {
            grow();
            return rowOf(sender, tokens, nowMillis);
        }
        count++;
        ids[slot] = sender;
        int row = slot * rowLongs;
        rows[row + TOKENS] = Double.doubleToRawLongBits(tokens);
        rows[row + LAST_MILLIS] = nowMillis;
        ReplayWindow.clear(rows, row + WINDOW);
        return row;
    }

    private void grow() {
        PkiId[] oldIds = ids;
        long[] oldRows = rows;
        ids = new PkiId[oldIds.length * 2];
        rows = new long[ids.length * rowLongs];
        int mask = ids.length - 1;
        for (int old = 0; old < oldIds.length; old++) {
            if (oldIds[old] != null) {
                int slot = oldIds[old].hashCode() & mask;
                while (ids[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                ids[slot] = oldIds[old];
                System.arraycopy(oldRows, old * rowLongs, rows, slot * rowLongs, rowLongs);
            }
        }
    }

    /** Senders with a row. */
    int size() {
        return count;
    }
}
