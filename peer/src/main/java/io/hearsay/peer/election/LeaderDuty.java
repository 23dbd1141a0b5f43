package io.hearsay.peer.election;

import io.hearsay.discovery.election.ElectionListener;
import io.hearsay.peer.orderer.OrdererBlockIntake;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A leader's duty on one channel: while this peer leads its organisation, an {@link OrdererBlockIntake} streams the
 * orderer's blocks into gossip; when it stops leading, the intake is closed, so exactly the organisation's leader
 * pulls from the orderer. An intake cannot be restarted once closed, so each term of leadership gets a fresh one
 * (it seeks from the ledger height, so a new term resumes where the organisation's chain is).
 *
 * <p>Thread-safe: the election calls it on the channel's serial executor, metrics and health read it from others.
 * Never blocks: opening and cancelling a Deliver stream are asynchronous.
 */
public final class LeaderDuty implements ElectionListener, AutoCloseable {
    private final Supplier<OrdererBlockIntake> intakes;
    // Guarded by this.
    private OrdererBlockIntake current;
    private boolean closed;
    private long terms;
    private volatile boolean leading;

    /** @param intakes a new, unstarted intake for the channel each time this peer becomes leader */
    public LeaderDuty(Supplier<OrdererBlockIntake> intakes) {
        this.intakes = Objects.requireNonNull(intakes, "intakes");
    }

    @Override
    public synchronized void onBecameLeader() {
        if (closed || current != null) {
            return;
        }
        leading = true;
        terms++;
        current = intakes.get();
        current.start();
    }

    @Override
    public synchronized void onLostLeadership() {
        leading = false;
        if (current != null) {
            current.close();
            current = null;
        }
    }

    /**
     * The channel's ledger reached {@code height}: the current intake, if any, may ask the orderer for more blocks
     * ({@link OrdererBlockIntake#onCommitted}). Any thread; never blocks.
     */
    public void onCommitted(long height) {
        OrdererBlockIntake intake;
        synchronized (this) {
            intake = current;
        }
        // Outside the lock: the intake takes its own, and a term ending meanwhile leaves a closed intake, which ignores it.
        if (intake != null) {
            intake.onCommitted(height);
        }
    }

    /** Whether this peer takes the channel's blocks from the orderer now. */
    public boolean leading() {
        return leading;
    }

    /** Whether a Deliver stream to the orderer is open now. */
    public synchronized boolean streaming() {
        return current != null && current.streaming();
    }

    /** How many times this peer became leader of the channel. */
    public synchronized long terms() {
        return terms;
    }

    /** Stops the duty for good: closes the intake and refuses further terms. */
    @Override
    public synchronized void close() {
        closed = true;
        onLostLeadership();
    }
}
