package io.hearsay.peer.node;

import io.hearsay.discovery.routing.RoutedDelivery;
import io.hearsay.peer.runtime.SerialExecutor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where payloads routed to this node go: the overlay hands each one over on its own executor, which must not block,
 * and this inbox passes it to the embedder's subscribers on a serial executor of its own, in arrival order. At most
 * {@code pendingMax} payloads wait for subscribers; beyond it new ones are dropped, counted and logged, so a slow
 * subscriber costs its own payloads, never the overlay's progress. With no subscriber a payload is counted and logged
 * at DEBUG.
 */
final class RoutedInbox {
    private static final Logger LOG = LoggerFactory.getLogger(RoutedInbox.class);
    /** Payloads waiting for subscribers; at the routing default of 64 KiB per payload, at most 64 MiB held. */
    static final int PENDING_MAX = 1_024;

    private final String name;
    private final SerialExecutor executor;
    private final int pendingMax;
    private final List<Consumer<RoutedDelivery.Received>> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong unsubscribed = new AtomicLong();

    RoutedInbox(String name, SerialExecutor executor, int pendingMax) {
        this.name = name;
        this.executor = executor;
        this.pendingMax = pendingMax;
    }

    /** Called by the overlay, on its executor: never blocks. */
    void offer(RoutedDelivery.Received payload) {
        received.incrementAndGet();
        if (pending.incrementAndGet() > pendingMax) {
            pending.decrementAndGet();
            long count = dropped.incrementAndGet();
            if (Long.bitCount(count) == 1) { // the 1st, 2nd, 4th … drop: seen in the log, not flooding it
                LOG.warn("{}: routed inbox full ({} waiting): dropped a payload from {} ({} dropped so far); "
                        + "subscribers are too slow", name, pendingMax, payload.origin(), count);
            }
            return;
        }
        executor.execute(() -> {
            pending.decrementAndGet();
            hand(payload);
        });
    }

    private void hand(RoutedDelivery.Received payload) {
        if (subscribers.isEmpty()) {
            unsubscribed.incrementAndGet();
            LOG.debug("{}: routed payload of {} bytes from {}, no subscriber", name, payload.payload().length, payload.origin());
            return;
        }
        for (Consumer<RoutedDelivery.Received> subscriber : subscribers) {
            try {
                subscriber.accept(payload);
            } catch (RuntimeException e) {
                LOG.warn("{}: a routed-payload subscriber failed: {}", name, e.toString());
            }
        }
    }

    /** Adds {@code subscriber}; closing the result removes it. */
    AutoCloseable subscribe(Consumer<RoutedDelivery.Received> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /** Stops handing payloads over: none reaches a subscriber after the node closed. */
    void close() {
        executor.stop(() -> subscribers.clear(), java.time.Duration.ofSeconds(5));
    }

    long received() {
        return received.get();
    }

    long dropped() {
        return dropped.get();
    }

    /** Payloads that arrived while nobody subscribed. */
    long unsubscribed() {
        return unsubscribed.get();
    }
}
