package io.hearsay.testnet.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A {@link FaultTarget} that writes down each call with the clock's time ({@code "5s kill peer1"}); a convergence
 * takes {@code convergenceTime} on the clock and succeeds if that is within its timeout; a call matching
 * {@code refuse} throws as a target would for a fault it cannot inject.
 */
final class RecordingTarget implements FaultTarget {
    final List<String> calls = new ArrayList<>();
    private final VirtualClock clock;
    Duration convergenceTime = Duration.ofSeconds(1);
    Predicate<String> refuse = call -> false;

    RecordingTarget(VirtualClock clock) {
        this.clock = clock;
    }

    private void record(String call) {
        if (refuse.test(call)) {
            throw new UnsupportedOperationException(call + " is not supported by this network");
        }
        calls.add(Durations.format(clock.elapsed()) + " " + call);
    }

    @Override
    public void load(double transactionsPerSecond) {
        record("load " + ScenarioReader.number(transactionsPerSecond));
    }

    @Override
    public void kill(String peer) {
        record("kill " + peer);
    }

    @Override
    public void sigkill(String peer) {
        record("sigkill " + peer);
    }

    @Override
    public void restart(String peer) {
        record("restart " + peer);
    }

    @Override
    public void partition(List<Set<String>> groups) {
        record("partition " + groups.stream().map(TreeSet::new).toList());
    }

    @Override
    public void heal() {
        record("heal");
    }

    @Override
    public void loss(LinkSelector links, double rate) {
        record("loss " + links + " " + ScenarioReader.number(rate));
    }

    @Override
    public void latency(LinkSelector links, Duration delay, Duration jitter) {
        record("latency " + links + " " + Durations.format(delay) + "+" + Durations.format(jitter));
    }

    @Override
    public void clog(String peer) {
        record("clog " + peer);
    }

    @Override
    public void unclog(String peer) {
        record("unclog " + peer);
    }

    @Override
    public boolean awaitConvergence(Duration timeout) {
        record("converge " + Durations.format(timeout));
        boolean converged = convergenceTime.compareTo(timeout) <= 0;
        clock.advance(converged ? convergenceTime : timeout);
        return converged;
    }
}
