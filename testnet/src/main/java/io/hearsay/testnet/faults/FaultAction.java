package io.hearsay.testnet.faults;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one scenario step does, one record per kind of step. {@link #apply} performs it on a {@link FaultTarget};
 * {@link #toString} gives it back as the scenario file spells it, for logs and reports.
 */
public sealed interface FaultAction {
    /**
     * Does this step to {@code target}.
     *
     * @return false if the step ran but did not achieve what it waits for (a convergence that timed out)
     */
    boolean apply(FaultTarget target) throws InterruptedException;

    /** {@code load: {tps: 20}}, or {@code load: off} (tps 0). */
    record Load(double transactionsPerSecond) implements FaultAction {
        public Load {
            if (!(transactionsPerSecond >= 0) || Double.isInfinite(transactionsPerSecond)) {
                throw new IllegalArgumentException("transactions per second must be 0 or more, got " + transactionsPerSecond);
            }
        }

        @Override
        public boolean apply(FaultTarget target) {
            target.load(transactionsPerSecond);
            return true;
        }

        @Override
        public String toString() {
            return transactionsPerSecond == 0 ? "load: off" : "load: {tps: " + ScenarioReader.number(transactionsPerSecond) + "}";
        }
    }

    /** {@code kill: peer0.org1.example.com}: a clean stop. */
    record Kill(String peer) implements FaultAction {
        public Kill {
            Objects.requireNonNull(peer, "peer");
        }

        @Override
        public boolean apply(FaultTarget target) {
            target.kill(peer);
            return true;
        }

        @Override
        public String toString() {
            return "kill: " + peer;
        }
    }

    /** {@code sigkill: peer0.org1.example.com}: the process dies at once (process mode). */
    record Sigkill(String peer) implements FaultAction {
        public Sigkill {
            Objects.requireNonNull(peer, "peer");
        }

        @Override
        public boolean apply(FaultTarget target) {
            target.sigkill(peer);
            return true;
        }

        @Override
        public String toString() {
            return "sigkill: " + peer;
        }
    }

    /** {@code restart: peer0.org1.example.com}. */
    record Restart(String peer) implements FaultAction {
        public Restart {
            Objects.requireNonNull(peer, "peer");
        }

        @Override
        public boolean apply(FaultTarget target) {
            target.restart(peer);
            return true;
        }

        @Override
        public String toString() {
            return "restart: " + peer;
        }
    }

    /** {@code partition: [[Org1MSP], [Org2MSP]]}; see {@link FaultTarget#partition}. */
    record Partition(List<Set<String>> groups) implements FaultAction {
        public Partition {
            groups = groups.stream().map(Set::copyOf).toList();
        }

        @Override
        public boolean apply(FaultTarget target) {
            target.partition(groups);
            return true;
        }

        @Override
        public String toString() {
            return "partition: " + groups.stream()
                    .map(group -> group.stream().sorted().collect(Collectors.joining(", ", "[", "]")))
                    .collect(Collectors.joining(", ", "[", "]"));
        }
    }

    /** {@code heal: true}. */
    record Heal() implements FaultAction {
        @Override
        public boolean apply(FaultTarget target) {
            target.heal();
            return true;
        }

        @Override
        public String toString() {
            return "heal: true";
        }
    }

    /** {@code loss: {link: "*", rate: 0.05}}. */
    record Loss(LinkSelector links, double rate) implements FaultAction {
        public Loss {
            Objects.requireNonNull(links, "links");
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("rate must be between 0 and 1, got " + rate);
            }
        }

        @Override
        public boolean apply(FaultTarget target) {
            target.loss(links, rate);
            return true;
        }

        @Override
        public String toString() {
            return "loss: {link: " + links + ", rate: " + ScenarioReader.number(rate) + "}";
        }
    }

    /** {@code latency: {link: peer0.org1.example.com, delay: 50ms, jitter: 10ms}}. */
    record Latency(LinkSelector links, Duration delay, Duration jitter) implements FaultAction {
        public Latency {
            Objects.requireNonNull(links, "links");
            if (delay.isNegative() || jitter.isNegative()) {
                throw new IllegalArgumentException("delay and jitter must not be negative");
            }
        }

        @Override
        public boolean apply(FaultTarget target) {
            target.latency(links, delay, jitter);
            return true;
        }

        @Override
        public String toString() {
            return "latency: {link: " + links + ", delay: " + Durations.format(delay) + ", jitter: "
                    + Durations.format(jitter) + "}";
        }
    }

    /** {@code clog: peer0.org2.example.com}. */
    record Clog(String peer) implements FaultAction {
        public Clog {
            Objects.requireNonNull(peer, "peer");
        }

        @Override
        public boolean apply(FaultTarget target) {
            target.clog(peer);
            return true;
        }

        @Override
        public String toString() {
            return "clog: " + peer;
        }
    }

    /** {@code unclog: peer0.org2.example.com}. */
    record Unclog(String peer) implements FaultAction {
        public Unclog {
            Objects.requireNonNull(peer, "peer");
        }

        @Override
        public boolean apply(FaultTarget target) {
            target.unclog(peer);
            return true;
        }

        @Override
        public String toString() {
            return "unclog: " + peer;
        }
    }

    /** {@code converge: {timeout: 30s}}: waits; later steps' times are not moved, they run late if it overruns. */
    record Converge(Duration timeout) implements FaultAction {
        public Converge {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
        }

        @Override
        public boolean apply(FaultTarget target) throws InterruptedException {
            return target.awaitConvergence(timeout);
        }

        @Override
        public String toString() {
            return "converge: {timeout: " + Durations.format(timeout) + "}";
        }
    }
}
