package io.hearsay.discovery.routing;

import io.hearsay.identity.PkiId;

/** What the caller of {@link RoutedDelivery#send} learns, exactly once per send. */
public sealed interface DeliveryOutcome {
    /** The target acknowledged the payload. */
    record Delivered(PkiId target, long elapsedMillis) implements DeliveryOutcome {}

    /**
     * Not confirmed: the route broke at hop {@code hop} (0: refused before leaving this peer; 1: no parent anchor;
     * 2: no anchor of the target; 3: the target). A failure is a missing confirmation, not proof the target
     * never got the payload: an acknowledgement can be lost after delivery.
     */
    record Failed(int hop, String reason) implements DeliveryOutcome {}
}
