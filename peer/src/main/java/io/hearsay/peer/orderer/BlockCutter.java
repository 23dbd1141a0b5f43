package io.hearsay.peer.orderer;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.runtime.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Batches one channel's envelopes into blocks the way Fabric's solo orderer does ({@link OrdererConfig} says
 * when a block is cut). A deterministic state machine: no threads, no clock of its own; its one timer comes from
 * the injected {@link Scheduler}, which must call back on the same serial context that calls {@link #offer}.
 *
 * <pre>
 *   offer(e) ── e > envelopeBytesMax ──────────────────────────────► refused (false)
 *      │──── e > batchBytesPreferred ──► cut(pending); cut([e])
 *      │──── pending + e > preferred ──► cut(pending); pending = [e]
 *      └──── else pending += e ────────► pending.size == batchEnvelopesMax ? cut(pending)
 *   first pending envelope ──► timer(batchTimeoutMillis) ──► cut(pending)
 * </pre>
 *
 * Not thread-safe.
 */
final class BlockCutter {
    private final OrdererConfig config;
    private final Scheduler scheduler;
    private final Consumer<List<ByteString>> batches;
    private List<ByteString> pending = new ArrayList<>();
    private long pendingBytes;
    private Scheduler.Timer timer;
    /** Counts cuts, so a timer that fires after its batch was cut by count or bytes cannot cut the next one early. */
    private long batchNumber;
    private boolean closed;

    /** @param batches receives each cut batch, in order, never empty */
    BlockCutter(OrdererConfig config, Scheduler scheduler, Consumer<List<ByteString>> batches) {
        this.config = Objects.requireNonNull(config, "config");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.batches = Objects.requireNonNull(batches, "batches");
    }

    /**
     * Adds {@code envelope} (its serialised bytes) to the pending batch, cutting as the config says.
     *
     * @return false, with nothing changed, if the envelope is larger than {@link OrdererConfig#envelopeBytesMax()}
     *     or the cutter is closed
     */
    boolean offer(ByteString envelope) {
        long size = envelope.size();
        if (closed || size > config.envelopeBytesMax()) {
            return false;
        }
        if (size > config.batchBytesPreferred()) {
            cut();
            batches.accept(List.of(envelope));
            return true;
        }
        if (pendingBytes + size > config.batchBytesPreferred()) {
            cut();
        }
        pending.add(envelope);
        pendingBytes += size;
        if (pending.size() == 1) {
            long batch = batchNumber;
            timer = scheduler.schedule(config.batchTimeoutMillis(), () -> onBatchTimeout(batch));
        }
        if (pending.size() >= config.batchEnvelopesMax()) {
            cut();
        }
        return true;
    }

    int pendingEnvelopes() {
        return pending.size();
    }

    long pendingBytes() {
        return pendingBytes;
    }

    /** Cuts the pending envelopes now, if any: what a clean shutdown does so that no accepted envelope is lost. */
    void flush() {
        cut();
    }

    /** Stops the timer; pending envelopes are dropped (they were never in a block, as after a crash). */
    void close() {
        closed = true;
        cancelTimer();
        pending = new ArrayList<>();
        pendingBytes = 0;
    }

    private void onBatchTimeout(long batch) {
        if (!closed && batch == batchNumber) {
            timer = null;
            cut();
        }
    }

    private void cut() {
        cancelTimer();
        if (pending.isEmpty()) {
            return;
        }
        List<ByteString> batch = List.copyOf(pending);
        batchNumber++;
        pending = new ArrayList<>();
        pendingBytes = 0;
        batches.accept(batch);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
