package io.hearsay.discovery.swim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The presets are valid, the formulas give the documented figures, and inconsistent settings are refused. */
class SwimConfigTest {
    @Test
    void lanFormulasGiveTheDocumentedFigures() {
        SwimConfig lan = SwimConfig.lan();
        assertThat(lan.retransmitLimit(1_000)).as("4 × ceil(log10 1001)").isEqualTo(16);
        assertThat(lan.suspicionMinMillis(1_000)).as("4 × log10 1000 × 100 ms").isEqualTo(1_200);
        assertThat(lan.suspicionMaxMillis(1_000)).isEqualTo(7_200);
        assertThat(lan.suspicionTimeoutMillis(1_000, 0)).as("a lone accuser waits the maximum").isEqualTo(7_200);
        assertThat(lan.suspicionTimeoutMillis(1_000, 3)).as("K confirmations bring it to the minimum").isEqualTo(1_200);
        assertThat(lan.suspicionTimeoutMillis(1_000, 1)).isBetween(1_200L, 7_200L);
        assertThat(lan.suspicionTimeoutMillis(1_000, 1)).isGreaterThan(lan.suspicionTimeoutMillis(1_000, 2));
        assertThat(lan.suspicionMinMillis(3)).as("small clusters: log10 n floored at 1").isEqualTo(400);
        assertThat(SwimConfig.wan().probeIntervalMillis()).isGreaterThan(lan.probeIntervalMillis());
        assertThat(lan.syncRepliesPerSecond() * lan.syncIntervalMillis() / 1_000)
                .as("tokens a sender earns per sync round: its periodic push/pull is never refused").isGreaterThanOrEqualTo(1);
    }

    @Test
    void inconsistentSettingsAreRefusedWithTheirReason() {
        SwimConfig lan = SwimConfig.lan();
        assertThatThrownBy(() -> new SwimConfig(100, 60, 3, 4, 6, 3, true, 100, 3, 4, 16, 4_096, 256, 1_000, 600_000, 30_000, 0.2, 4, 10_000))
                .hasMessageContaining("at most half");
        assertThatThrownBy(() -> new SwimConfig(100, 40, 3, 1, 6, 3, true, 100, 3, 4, 16, 4_096, 256, 1_000, 600_000, 30_000, 0.2, 4, 10_000))
                .hasMessageContaining("suspicionMultiplier");
        assertThatThrownBy(() -> new SwimConfig(100, 40, 3, 4, 6, 3, true, 100, 3, 4, 16, 8, 256, 1_000, 600_000, 30_000, 0.2, 4, 10_000))
                .hasMessageContaining("updateQueueMax");
        assertThatThrownBy(() -> new SwimConfig(100, 40, 3, 4, 6, 3, true, 100, 3, 4, 16, 4_096, 256, 1_000, 5_000, 30_000, 0.2, 4, 10_000))
                .hasMessageContaining("deadRetentionMillis");
        assertThatThrownBy(() -> new SwimConfig(100, 40, 3, 4, 6, 3, true, 100, 3, 4, 16, 4_096, 256, 1_000, 600_000, 50, 0.2, 4, 10_000))
                .hasMessageContaining("syncIntervalMillis");
        assertThat(lan.syncIntervalMillis()).isPositive();
        // 0.01/s refills one token in 100 s: a member syncing with this one every 30 s round would be refused.
        assertThatThrownBy(() -> new SwimConfig(100, 40, 3, 4, 6, 3, true, 100, 3, 4, 16, 4_096, 256, 1_000, 600_000,
                30_000, 0.01, 4, 10_000)).hasMessageContaining("syncRepliesPerSecond");
        assertThatThrownBy(() -> new SwimConfig(100, 40, 3, 4, 6, 3, true, 100, 3, 4, 16, 4_096, 256, 1_000, 600_000,
                30_000, 0.2, 0, 10_000)).hasMessageContaining("syncReplyBurst");
        assertThatThrownBy(() -> new SwimConfig(100, 40, 3, 4, 6, 3, true, 100, 3, 4, 16, 4_096, 256, 1_000, 600_000,
                30_000, 0.2, 4, 0)).hasMessageContaining("syncRequestersMax");
    }
}
