package io.hearsay.gossip.block;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A hedge waits for a body about as long as bodies have lately taken, never less than configured, and boundedly. */
class FetchPaceTest {
    private static final BlockGossipConfig LAN = BlockGossipConfig.lan();
    private static final int MIB = 1 << 20;

    @Test
    void withoutFetchesTheConfiguredDelayHolds() {
        assertThat(new FetchPace().hedgeDelayMillis(LAN, MIB)).isEqualTo(LAN.hedgeDelayMillis(MIB)).isEqualTo(50 + 262);
    }

    @Test
    void fetchesFasterThanConfiguredNeverShortenTheDelay() {
        FetchPace pace = new FetchPace();
        for (int i = 0; i < 20; i++) {
            pace.record(MIB, 10);
        }
        assertThat(pace.hedgeDelayMillis(LAN, MIB)).isEqualTo(LAN.hedgeDelayMillis(MIB));
    }

    @Test
    void slowFetchesLengthenTheDelayToTwiceTheirTimeAndNoFurtherThanTheCap() {
        FetchPace pace = new FetchPace();
        pace.record(MIB, 1_000);
        // 1 MiB took 1 s: given 2 s (plus the base delay) rather than 312 ms.
        assertThat(pace.hedgeDelayMillis(LAN, MIB)).isBetween(2_000L + 50 - 5, 2_000L + 50 + 5);
        // A smaller body at the same pace gets proportionally less; a tiny one about the base delay.
        assertThat(pace.hedgeDelayMillis(LAN, MIB / 4)).isBetween(500L + 50 - 5, 500L + 50 + 5);
        assertThat(pace.hedgeDelayMillis(LAN, 1_000)).isBetween(LAN.hedgeDelayMillis(1_000), LAN.hedgeDelayMillis(1_000) + 2);

        FetchPace stalled = new FetchPace();
        stalled.record(MIB, 600_000);
        assertThat(stalled.hedgeDelayMillis(LAN, MIB)).isEqualTo(FetchPace.STRETCH_MAX * LAN.hedgeDelayMillis(MIB));
    }

    @Test
    void theAverageFollowsThePaceBackWhenFetchesSpeedUp() {
        FetchPace pace = new FetchPace();
        pace.record(MIB, 2_000);
        long slow = pace.hedgeDelayMillis(LAN, MIB);
        for (int i = 0; i < 40; i++) {
            pace.record(MIB, 50);
        }
        assertThat(slow).isGreaterThan(LAN.hedgeDelayMillis(MIB));
        assertThat(pace.hedgeDelayMillis(LAN, MIB)).isEqualTo(LAN.hedgeDelayMillis(MIB));
    }
}
