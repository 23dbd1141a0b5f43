package io.hearsay.discovery.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The defaults hold together, and relations between the bounds are checked with a message that says which. */
class JoinConfigTest {
    @Test
    void defaultsDualHome() {
        assertThat(JoinConfig.defaults().parents()).isEqualTo(2);
    }

    @Test
    void childMustOutliveTheParentTimeout() {
        assertThatThrownBy(() -> new JoinConfig(2, 300, 500, 1_500, 1_000, 500, 8, 50, 1_500, 2_000, 2, 8, 100, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("childTimeoutMillis");
        assertThatThrownBy(() -> new JoinConfig(2, 300, 500, 400, 3_000, 500, 8, 50, 1_500, 2_000, 2, 8, 100, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parentTimeoutMillis");
        assertThatThrownBy(() -> JoinConfig.defaults().withJoinRate(0, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("joinRequestsPerSecond");
    }
}
