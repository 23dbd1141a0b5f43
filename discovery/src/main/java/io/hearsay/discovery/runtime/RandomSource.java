package io.hearsay.discovery.runtime;

import java.util.SplittableRandom;

/**
 * Seeded randomness for protocol code. Each component gets its own {@link #fork()}, so a component that
 * draws one more number does not shift every other component's stream (Accord's and TigerBeetle's rule);
 * the whole run stays a function of one seed.
 *
 * <p>Not thread-safe: each fork belongs to one serial context.
 */
public final class RandomSource {
    private final SplittableRandom random;

    private RandomSource(SplittableRandom random) {
        this.random = random;
    }

    public static RandomSource seeded(long seed) {
        return new RandomSource(new SplittableRandom(seed));
    }

    /** An independent generator derived from this one. */
    public RandomSource fork() {
        return new RandomSource(random.split());
    }

    public int nextInt(int boundExclusive) {
        return random.nextInt(boundExclusive);
    }

    public long nextLong(long originInclusive, long boundExclusive) {
        return random.nextLong(originInclusive, boundExclusive);
    }

    public long nextLong() {
        return random.nextLong();
    }

    public double nextDouble() {
        return random.nextDouble();
    }

    public boolean chance(double probability) {
        return probability > 0 && random.nextDouble() < probability;
    }
}
