package io.hearsay.discovery.runtime;

/**
 * Time as protocol code sees it: milliseconds on a monotonic clock the runtime injects. The simulator's
 * clock is virtual and advances only between events; the node's reads {@code System.nanoTime()}. Protocol
 * code never reads the wall clock itself, so a simulated run is a function of its seed.
 */
@FunctionalInterface
public interface Clock {
    /** Milliseconds since an arbitrary origin; never decreases. */
    long nowMillis();
}
