package io.hearsay.peer.gateway;

import java.time.Duration;

/**
 * Settings of the {@link ProposalGateway}.
 *
 * @param broadcastTimeout how long Submit waits for the orderer to accept a transaction before answering
 *     {@code DEADLINE_EXCEEDED}. Default 10 s, Fabric's {@code peer.gateway.broadcastTimeout}: a solo orderer
 *     accepts in milliseconds, so reaching it means the orderer is stuck, not busy
 */
public record ProposalGatewayConfig(Duration broadcastTimeout) {
    public static final Duration DEFAULT_BROADCAST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration BROADCAST_TIMEOUT_MAX = Duration.ofMinutes(10);

    public ProposalGatewayConfig {
        if (broadcastTimeout.isNegative() || broadcastTimeout.isZero()
                || broadcastTimeout.compareTo(BROADCAST_TIMEOUT_MAX) > 0) {
            throw new IllegalArgumentException("broadcastTimeout is " + broadcastTimeout
                    + "; it must be positive and at most " + BROADCAST_TIMEOUT_MAX);
        }
    }

    public static ProposalGatewayConfig defaults() {
        return new ProposalGatewayConfig(DEFAULT_BROADCAST_TIMEOUT);
    }
}
