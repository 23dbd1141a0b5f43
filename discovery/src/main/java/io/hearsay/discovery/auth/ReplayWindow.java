package io.hearsay.discovery.auth;

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
 * <p>Not final: {@link AuthenticatedChannel} extends it with the rest of a sender's state, one object per sender.
 */
class ReplayWindow {
    /** Outcome of {@link #check}. */
    enum Verdict { FRESH, REPLAYED, TOO_OLD }

    private final long[] bits;
    private final int size;
    /** {@code size - 1} if size is a power of two (the default 1,024 is), so the modulo is a mask; else -1. */
    private final int mask;
    private long highest = -1;

    ReplayWindow(int size) {
        // Whole words only, so no bit beyond the window survives a shift.
        this.bits = new long[(size + 63) / 64];
        this.size = bits.length * 64;
        this.mask = Integer.bitCount(this.size) == 1 ? this.size - 1 : -1;
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
        return isSet(registerPosition(age)) ? Verdict.REPLAYED : Verdict.FRESH;
    }

    void record(long sequence) {
        if (sequence > highest) {
            if (highest < 0) {
                java.util.Arrays.fill(bits, 0);
            } else {
                forget(highest + 1, sequence - highest);
            }
            highest = sequence;
            set(0);
        } else {
            set(registerPosition(highest - sequence));
        }
    }

    /**
     * Where the shift register looked for {@code age}: word {@code (int) (age >>> 6)}, bit {@code age & 63}.
     * That is {@code age} itself for every age a well-formed sequence gives (0 to size - 1); an age that
     * overflowed to a negative number lands where the register's arithmetic put it, and out of range throws
     * as the register's array did.
     */
    private long registerPosition(long age) {
        int word = (int) (age >>> 6);
        if (word < 0 || word >= bits.length) {
            throw new ArrayIndexOutOfBoundsException("Index " + word + " out of bounds for length " + bits.length);
        }
        return ((long) word << 6) | (age & 63);
    }

    /** Ring bit of sequence {@code highest - position}. */
    private boolean isSet(long position) {
        int bit = ringBit(highest - position);
        return (bits[bit >>> 6] & (1L << bit)) != 0;
    }

    private void set(long position) {
        int bit = ringBit(highest - position);
        bits[bit >>> 6] |= 1L << bit;
    }

    private int ringBit(long sequence) {
        return mask >= 0 ? (int) (sequence & mask) : (int) Math.floorMod(sequence, (long) size);
    }

    /** Clears the bits of {@code count} sequences from {@code first} on (never recorded: the sender skipped them). */
    private void forget(long first, long count) {
        if (count >= size) {
            java.util.Arrays.fill(bits, 0);
            return;
        }
        int bit = ringBit(first);
        long left = count;
        while (left > 0) {
            int word = bit >>> 6;
            int offset = bit & 63;
            int span = (int) Math.min(64 - offset, left);
            long mask = span == 64 ? -1L : ((1L << span) - 1) << offset;
            bits[word] &= ~mask;
            left -= span;
            bit += span;
            if (bit == size) {
                bit = 0;
            }
        }
    }
}
