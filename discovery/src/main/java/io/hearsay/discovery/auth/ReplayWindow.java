package io.hearsay.discovery.auth;

import java.util.Arrays;

/**
 * Anti-replay for one signer's sequence numbers, as IPsec does it: the highest sequence seen and a bitmap
 * of the {@code size} below it. A sequence seen before is a replay; one below the window is too old to
 * tell and is refused too. Messages may arrive out of order within the window.
 *
 * <p>The bitmap is a ring indexed by sequence modulo {@code size}, not a shift register: a new highest
 * sequence clears only the bits of the sequences it skips, so a message touches one word of the bitmap
 * rather than shifting all of it (at 100,000 simulated peers, each word is a cache miss). The verdicts are
 * those of the shift register, bit for bit: bit {@code age} of the register (sequence {@code highest - age})
 * is ring bit {@code (highest - age) mod size}.
 *
 * <p>A window is {@link #longs} consecutive longs of some array, the highest sequence then the bitmap's words:
 * {@link SenderStates} keeps every sender's window inside the sender's row, so a delivery reads its sender's
 * state from one place. The static methods work on such a region; an instance is a window in an array of its own.
 */
final class ReplayWindow {
    /** Outcome of {@link #check}. */
    enum Verdict { FRESH, REPLAYED, TOO_OLD }

    private static final int HIGHEST = 0;
    private static final int BITS = 1;

    private final long[] state;
    private final int words;

    ReplayWindow(int size) {
        this.words = words(size);
        this.state = new long[longs(size)];
        clear(state, 0);
    }

    Verdict check(long sequence) {
        return check(state, 0, words, sequence);
    }

    void record(long sequence) {
        record(state, 0, words, sequence);
    }

    /** The bitmap's words for a window of {@code size} messages: whole words, so no bit beyond it survives. */
    static int words(int size) {
        return (size + 63) / 64;
    }

    /** Longs a window of {@code size} messages takes: the highest sequence and the bitmap. */
    static int longs(int size) {
        return BITS + words(size);
    }

    /** Makes the region at {@code at} an empty window: nothing seen yet. */
    static void clear(long[] state, int at) {
        state[at + HIGHEST] = -1;
    }

    /** Classifies {@code sequence} without recording it (record only once the signature verified). */
    static Verdict check(long[] state, int at, int words, long sequence) {
        long highest = state[at + HIGHEST];
        if (sequence > highest) {
            return Verdict.FRESH;
        }
        long age = highest - sequence;
        if (age >= (long) words << 6) {
            return Verdict.TOO_OLD;
        }
        int bit = ringBit(words, highest - registerPosition(words, age));
        return (state[at + BITS + (bit >>> 6)] & (1L << bit)) != 0 ? Verdict.REPLAYED : Verdict.FRESH;
    }

    static void record(long[] state, int at, int words, long sequence) {
        long highest = state[at + HIGHEST];
        long position;
        if (sequence > highest) {
            if (highest < 0) {
                Arrays.fill(state, at + BITS, at + BITS + words, 0);
            } else {
                forget(state, at, words, highest + 1, sequence - highest);
            }
            highest = sequence;
            state[at + HIGHEST] = highest;
            position = 0;
        } else {
            position = registerPosition(words, highest - sequence);
        }
        int bit = ringBit(words, highest - position);
        state[at + BITS + (bit >>> 6)] |= 1L << bit;
    }

    /**
     * Where the shift register looked for {@code age}: word {@code (int) (age >>> 6)}, bit {@code age & 63}.
     * That is {@code age} itself for every age a well-formed sequence gives (0 to size - 1); an age that
     * overflowed to a negative number lands where the register's arithmetic put it, and out of range throws
     * as the register's array did.
     */
    private static long registerPosition(int words, long age) {
        int word = (int) (age >>> 6);
        if (word < 0 || word >= words) {
            throw new ArrayIndexOutOfBoundsException("Index " + word + " out of bounds for length " + words);
        }
        return ((long) word << 6) | (age & 63);
    }

    /** The ring bit of {@code sequence}: a mask if the window's size is a power of two (the default 1,024 is). */
    private static int ringBit(int words, long sequence) {
        int size = words << 6;
        return (words & (words - 1)) == 0 ? (int) (sequence & (size - 1)) : (int) Math.floorMod(sequence, (long) size);
    }

    /** Clears the bits of {@code count} sequences from {@code first} on (never recorded: the sender skipped them). */
    private static void forget(long[] state, int at, int words, long first, long count) {
        int size = words << 6;
        if (count >= size) {
            Arrays.fill(state, at + BITS, at + BITS + words, 0);
            return;
        }
        int bit = ringBit(words, first);
        long left = count;
        while (left > 0) {
            int word = bit >>> 6;
            int offset = bit & 63;
            int span = (int) Math.min(64 - offset, left);
            long mask = span == 64 ? -1L : ((1L << span) - 1) << offset;
            state[at + BITS + word] &= ~mask;
            left -= span;
            bit += span;
            if (bit == size) {
                bit = 0;
            }
        }
    }
}
