package io.hearsay.discovery.runtime;

/**
 * The nondeterministic world a protocol component is given, grouped so constructors stay short: time,
 * timers and randomness. Each component gets its own {@link RandomSource#fork()}.
 */
public record PeerRuntime(Clock clock, Scheduler scheduler, RandomSource random) {
    /** The same clock and scheduler with an independent random stream, for a sub-component. */
    public PeerRuntime fork() {
        return new PeerRuntime(clock, scheduler, random.fork());
    }
}
