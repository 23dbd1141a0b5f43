package io.hearsay.testnet.bench;

import io.hearsay.identity.Identity;
import io.hearsay.identity.SigningIdentity;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * How many ECDSA P-256 signatures one core verifies per second through {@link Identity#verify}, the call
 * full validation makes for every creator and endorsement signature. It sets the bound on (c): no commit
 * can check signatures faster than cores × this rate.
 */
final class SignatureRate {
    /** Of the order of a transaction's signed payload; SHA-256 of it is a few percent of a verification. */
    static final int MESSAGE_BYTES = 1024;

    /** One measurement, with the CPU other processes took meanwhile (see {@link Throughput#otherCores}). */
    record Rate(double verifiesPerSecond, double otherCores) {}

    private final Identity identity;
    private final byte[][] messages;
    private final byte[][] signatures;

    /** Signs {@code samples} distinct random messages (untimed) and verifies them all once to warm the JIT up. */
    SignatureRate(SigningIdentity signer, int samples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        identity = signer.identity();
        messages = new byte[samples][MESSAGE_BYTES];
        signatures = new byte[samples][];
        for (int i = 0; i < samples; i++) {
            random.nextBytes(messages[i]);
            signatures[i] = signer.sign(messages[i]);
        }
        verifyAll();
    }

    /** Times verifying every signature on this thread. */
    Rate measure() {
        int cores = Runtime.getRuntime().availableProcessors();
        Optional<CpuSample> before = CpuSample.now();
        long started = System.nanoTime();
        verifyAll();
        long nanos = System.nanoTime() - started;
        return new Rate(messages.length / (nanos / 1e9), CpuSample.otherCores(before, CpuSample.now(), cores));
    }

    private void verifyAll() {
        for (int i = 0; i < messages.length; i++) {
            identity.verify(messages[i], signatures[i]); // throws if a signature does not verify
        }
    }
}
