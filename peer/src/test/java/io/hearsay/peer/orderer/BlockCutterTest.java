package io.hearsay.peer.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cutter against virtual time: blocks are cut by count, by preferred bytes and by timeout since the first
 * pending envelope, in Fabric's order; an envelope over the absolute limit is refused and changes nothing.
 */
class BlockCutterTest {
    private static final OrdererConfig CONFIG = OrdererConfig.defaults()
            .withBatchEnvelopesMax(3)
            .withBatchBytes(4096, 8192)
            .withBatchTimeoutMillis(200);

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<List<ByteString>> blocks = new ArrayList<>();
    private final BlockCutter cutter = new BlockCutter(CONFIG, scheduler, blocks::add);

    private static ByteString envelope(int size, int tag) {
        byte[] bytes = new byte[size];
        bytes[0] = (byte) tag;
        return ByteString.copyFrom(bytes);
    }

    @Test
    void cutsWhenTheCountIsReached() {
        ByteString a = envelope(10, 1);
        ByteString b = envelope(10, 2);
        ByteString c = envelope(10, 3);
        cutter.offer(a);
        cutter.offer(b);
        assertThat(blocks).isEmpty();
        cutter.offer(c);
        assertThat(blocks).containsExactly(List.of(a, b, c));
        assertThat(cutter.pendingEnvelopes()).isZero();
        assertThat(scheduler.pendingDelays()).as("the batch timer is cancelled with its batch").isEmpty();
    }

    @Test
    void cutsThePendingEnvelopesBeforeOneThatWouldPassThePreferredBytes() {
        ByteString a = envelope(3000, 1);
        ByteString b = envelope(1500, 2);
        cutter.offer(a);
        cutter.offer(b);
        assertThat(blocks).containsExactly(List.of(a));
        assertThat(cutter.pendingEnvelopes()).isEqualTo(1);
        assertThat(cutter.pendingBytes()).isEqualTo(1500);
    }

    @Test
    void anEnvelopeLargerThanThePreferredBytesGoesAloneAfterThePendingOnes() {
        ByteString small = envelope(100, 1);
        ByteString large = envelope(5000, 2);
        cutter.offer(small);
        cutter.offer(large);
        assertThat(blocks).containsExactly(List.of(small), List.of(large));
        assertThat(cutter.pendingEnvelopes()).isZero();
    }

    @Test
    void cutsOnTimeoutCountedFromTheFirstPendingEnvelope() {
        ByteString a = envelope(10, 1);
        ByteString b = envelope(10, 2);
        cutter.offer(a);
        scheduler.advance(150);
        cutter.offer(b);
        scheduler.advance(49);
        assertThat(blocks).as("a later envelope does not restart the timer, and 199 ms is not yet 200").isEmpty();
        scheduler.advance(1);
        assertThat(blocks).containsExactly(List.of(a, b));
        scheduler.advance(10_000);
        assertThat(blocks).as("no empty blocks while idle").hasSize(1);
    }

    @Test
    void aBatchCutByCountDoesNotLeaveItsTimerToCutTheNextBatchEarly() {
        for (int i = 0; i < 3; i++) {
            cutter.offer(envelope(10, i));
        }
        scheduler.advance(100);
        ByteString next = envelope(10, 9);
        cutter.offer(next);
        scheduler.advance(199);
        assertThat(blocks).hasSize(1);
        scheduler.advance(1);
        assertThat(blocks).hasSize(2).last().isEqualTo(List.of(next));
    }

    @Test
    void refusesAnEnvelopeOverTheAbsoluteLimitAndKeepsWhatIsPending() {
        ByteString pending = envelope(10, 1);
        cutter.offer(pending);
        assertThat(cutter.offer(envelope(8193, 2))).isFalse();
        assertThat(cutter.offer(envelope(8192, 3))).as("exactly the limit is allowed").isTrue();
        assertThat(blocks).containsExactly(List.of(pending), List.of(envelope(8192, 3)));
    }

    @Test
    void flushCutsWhatIsPendingAndCloseRefusesMore() {
        ByteString a = envelope(10, 1);
        cutter.offer(a);
        cutter.flush();
        cutter.close();
        assertThat(blocks).containsExactly(List.of(a));
        assertThat(cutter.offer(envelope(10, 2))).isFalse();
        scheduler.advance(1000);
        assertThat(blocks).hasSize(1);
    }

    @Test
    void configRefusesInconsistentLimits() {
        OrdererConfig defaults = OrdererConfig.defaults();
        assertThatThrownBy(() -> defaults.withBatchBytes(8192, 4096))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchBytesPreferred");
        assertThatThrownBy(() -> defaults.withBatchEnvelopesMax(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchEnvelopesMax");
        assertThatThrownBy(() -> defaults.withBatchTimeoutMillis(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchTimeoutMillis");
        assertThatThrownBy(() -> defaults.withPendingEnvelopesMax(10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one full block");
    }
}
