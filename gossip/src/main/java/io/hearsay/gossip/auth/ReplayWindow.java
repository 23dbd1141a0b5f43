package io.hearsay.gossip.auth;

/**
 * Anti-replay for one signer's sequence numbers, as IPsec does it: the highest sequence seen and a bitmap
 * of the {@code size} below it. A sequence seen before is a replay; one below the window is too old to
 * tell and is refused too. Messages may arrive out of order within the window.
 */
final class ReplayWindow {
    /** Outcome of {@link #check}. */
    enum Verdict { FRESH, REPLAYED, TOO_OLD }

    private final long[] bits;
    private final int size;
    private long highest = -1;

    ReplayWindow(int size) {
        // Whole words only, so no bit beyond the window survives a shift.
        this.bits = new long[(size + 63) / 64];
        this.size = bits.length * 64;
    }

    /** Classifies {@code sequence} without recording it (record only once the signature verified). */
    Verdict check(long sequence) {
        if (sequence > highest) {
            return Verdict.FRESH;
        }
        long age = highest - sequence;
        if (age >= size) {
            return Verdict.TOO_OLD;
        }
        return isSet(age) ? Verdict.REPLAYED : Verdict.FRESH;
    }

    void record(long sequence) {
        if (sequence > highest) {
            long shift = highest < 0 ? size : sequence - highest;
            shiftLeft(shift);
            highest = sequence;
            set(0);
        } else {
            set(highest - sequence);
        }
    }

    private boolean isSet(long age) {
        return (bits[(int) (age >>> 6)] & (1L << (age & 63))) != 0;
    }

    private void set(long age) {
        bits[(int) (age >>> 6)] |= 1L << (age & 63);
    }

    /** Ages every recorded sequence by {@code shift}: bit i moves to bit i + shift, a word at a time. */
    private void shiftLeft(long shift) {
        if (shift >= size) {
            java.util.Arrays.fill(bits, 0);
            return;
        }
        int words = (int) (shift >>> 6);
        int offset = (int) (shift & 63);
        for (int i = bits.length - 1; i >= 0; i--) {
            int source = i - words;
            long value = source >= 0 ? bits[source] << offset : 0;
            if (offset != 0 && source - 1 >= 0) {
                value |= bits[source - 1] >>> (64 - offset);
            }
            bits[i] = value;
        }
    }
}
