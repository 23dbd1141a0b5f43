package io.hearsay.discovery.swim;

import io.hearsay.discovery.runtime.Scheduler;
import io.hearsay.identity.PkiId;
import java.util.TreeSet;

/**
 * One suspicion of one member at one incarnation, with Lifeguard's shrinking timeout: it starts at the
 * maximum for a lone accuser and falls towards the minimum as independent accusers confirm it, so a crash
 * (which every prober notices) is declared quickly and a false alarm (usually one accuser, after lost
 * messages) leaves the member long to refute.
 *
 * <pre>
 *   timeout(C) = max(min, max − (max − min) × log(C + 1) / log(K + 1)),   C = accusers − 1
 * </pre>
 */
final class Suspicion {
    final long incarnation;
    /** Accusers counted, at most K + 1: more would not shorten the timeout. */
    private final TreeSet<PkiId> accusers = new TreeSet<>();
    private final int accusersMax;
    private long startMillis;
    /** The timeout for each number of confirmations, fixed at the start (n does not move it later). */
    private final long[] timeoutByConfirmations;
    Scheduler.Timer timer;
    /** A last probe is running or has been answered since the timer was last armed. */
    boolean finalProbeSent;

    Suspicion(long incarnation, PkiId firstAccuser, long startMillis, SwimConfig config, int members) {
        this.incarnation = incarnation;
        this.startMillis = startMillis;
        this.accusersMax = config.suspicionConfirmations() + 1;
        this.timeoutByConfirmations = new long[accusersMax];
        for (int c = 0; c < accusersMax; c++) {
            timeoutByConfirmations[c] = config.suspicionTimeoutMillis(members, c);
        }
        accusers.add(firstAccuser);
    }

    /** Counts {@code accuser}; true if it is new and shortens (or could shorten) the timeout. */
    boolean confirm(PkiId accuser) {
        if (accusers.size() >= accusersMax || accusers.contains(accuser)) {
            return false;
        }
        accusers.add(accuser);
        return true;
    }

    /** K + 1 accusers are counted: more would not shorten the timeout. */
    boolean isFull() {
        return accusers.size() >= accusersMax;
    }

    boolean isAccuser(PkiId peer) {
        return accusers.contains(peer);
    }

    int confirmations() {
        return accusers.size() - 1;
    }

    long deadlineMillis() {
        return startMillis + timeoutByConfirmations[Math.min(confirmations(), timeoutByConfirmations.length - 1)];
    }

    /** Starts the timeout again from {@code nowMillis}, keeping the accusers (the member answered a last probe). */
    void restart(long nowMillis) {
        startMillis = nowMillis;
        finalProbeSent = false;
    }

    void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
