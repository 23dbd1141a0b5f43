package io.hearsay.discovery.swim;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearsay.identity.PkiId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Updates go out fewest-sent first (newest first among equals), each a bounded number of times; newer replaces older; the bound holds. */
class UpdateQueueTest {
    private static PkiId peer(int i) {
        return PkiId.fromBytes(ByteBuffer.allocate(PkiId.LENGTH_BYTES).putInt(i).array());
    }

    private static Accusation suspect(int subject, long incarnation) {
        return new Accusation(Accusation.Charge.SUSPECT, peer(subject), incarnation, peer(99), new byte[8]);
    }

    @Test
    void fewestSentFirstThenNewestAndDroppedAtTheLimit() {
        SwimCounters counters = new SwimCounters();
        UpdateQueue queue = new UpdateQueue(100, counters);
        queue.add(suspect(1, 1));
        queue.add(suspect(2, 1));
        assertThat(queue.take(1, 3)).containsExactly(suspect(2, 1));
        assertThat(queue.take(2, 3)).as("1 was sent 0 times, 2 once").containsExactly(suspect(1, 1), suspect(2, 1));
        List<MemberUpdate> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.addAll(queue.take(2, 3));
        }
        assertThat(sent).filteredOn(update -> update.subject().equals(peer(1))).hasSize(2);
        assertThat(sent).filteredOn(update -> update.subject().equals(peer(2))).hasSize(1);
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void newerUpdateAboutAMemberReplacesTheQueuedOne() {
        UpdateQueue queue = new UpdateQueue(100, new SwimCounters());
        queue.add(suspect(1, 1));
        queue.take(1, 5);
        queue.add(suspect(1, 2));
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.take(5, 5)).containsExactly(suspect(1, 2));
    }

    @Test
    void aFullQueueEvictsTheMostSentAndCountsIt() {
        SwimCounters counters = new SwimCounters();
        UpdateQueue queue = new UpdateQueue(2, counters);
        queue.add(suspect(1, 1));
        queue.take(1, 10);
        queue.add(suspect(2, 1));
        queue.add(suspect(3, 1));
        assertThat(counters.get(SwimCounters.Counter.QUEUE_OVERFLOWS)).isEqualTo(1);
        assertThat(queue.take(5, 10)).extracting(MemberUpdate::subject).containsExactly(peer(3), peer(2));
    }
}
