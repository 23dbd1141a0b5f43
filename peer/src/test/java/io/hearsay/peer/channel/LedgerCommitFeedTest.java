package io.hearsay.peer.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hearsay.ledger.TransactionRecord;
import io.hearsay.ledger.sample.SampleChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit feed over a real RocksDB ledger: subscriptions replay and then go live in order with no gap or
 * duplicate while a committer races them, pause when their sink says so and continue on resume, end with a reason
 * when the feed closes; transaction waiters complete whether registered before or after the commit, carry the
 * validation code, and are dropped when cancelled or beyond their bound.
 */
class LedgerCommitFeedTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path cryptoDirectory;
    static SampleChannel sample;

    @TempDir
    Path directory;
    private TestChain chain;

    @BeforeAll
    static void generate() {
        sample = new SampleChannel(cryptoDirectory);
    }

    @BeforeEach
    void open() {
        chain = new TestChain(sample, directory.resolve("ledger"), new CommitFeedConfig(3, 4));
    }

    @AfterEach
    void close() {
        chain.close();
    }

    /** A sink recording block numbers; it flags any block delivered concurrently with another. */
    private static final class Recorder implements CommitFeed.BlockSink {
        final List<Long> numbers = new CopyOnWriteArrayList<>();
        final AtomicBoolean busy = new AtomicBoolean();
        final AtomicBoolean overlapped = new AtomicBoolean();
        final AtomicReference<String> closedReason = new AtomicReference<>();
        volatile boolean ready = true;

        @Override
        public boolean accept(Block block) {
            if (!busy.compareAndSet(false, true)) {
                overlapped.set(true);
            }
            numbers.add(block.getHeader().getNumber());
            busy.set(false);
            return ready;
        }

        @Override
        public void closed(String reason) {
            closedReason.set(reason);
        }
    }

    @Test
    void subscriptionsReplayThenGoLiveInOrderWhileACommitterRaces() throws Exception {
        for (int i = 0; i < 5; i++) {
            chain.commit(chain.plain());
        }
        int liveBlocks = 25;
        List<Recorder> recorders = new ArrayList<>();
        Thread committer = new Thread(() -> {
            for (int i = 0; i < liveBlocks; i++) {
                chain.commit(chain.plain());
            }
        });
        committer.start();
        // Subscribe while the committer runs: each subscription starts at a different point of the race.
        List<CommitFeed.Subscription> subscriptions = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Recorder recorder = new Recorder();
            recorders.add(recorder);
            subscriptions.add(chain.feed.subscribe(i % 2 == 0 ? 0 : 3, recorder));
        }
        committer.join(WAIT.toMillis());
        long finalHeight = chain.ledger.height();
        assertThat(finalHeight).isEqualTo(1 + 5 + liveBlocks);
        for (int i = 0; i < recorders.size(); i++) {
            Recorder recorder = recorders.get(i);
            long from = i % 2 == 0 ? 0 : 3;
            List<Long> expected = LongStream.range(from, finalHeight).boxed().toList();
            await().atMost(WAIT).until(() -> recorder.numbers.size() >= expected.size());
            assertThat(recorder.numbers).containsExactlyElementsOf(expected);
            assertThat(recorder.overlapped).isFalse();
        }
        subscriptions.forEach(CommitFeed.Subscription::close);
        await().atMost(WAIT).until(() -> chain.feed.subscriptions() == 0);
    }

    @Test
    void aSubscriptionBeyondTheHeightWaitsForItsFirstBlock() {
        Recorder recorder = new Recorder();
        chain.feed.subscribe(3, recorder);
        chain.commit(chain.plain()); // block 1
        chain.commit(chain.plain()); // block 2
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> recorder.numbers.isEmpty());
        chain.commit(chain.plain()); // block 3
        await().atMost(WAIT).until(() -> recorder.numbers.equals(List.of(3L)));
    }

    @Test
    void aSinkThatIsNotReadyPausesTheSubscriptionUntilResumed() {
        for (int i = 0; i < 4; i++) {
            chain.commit(chain.plain());
        }
        Recorder recorder = new Recorder();
        recorder.ready = false;
        CommitFeed.Subscription subscription = chain.feed.subscribe(0, recorder);
        await().atMost(WAIT).until(() -> recorder.numbers.size() == 1);
        chain.commit(chain.plain()); // a commit does not wake a paused subscription
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> recorder.numbers.size() == 1);

        subscription.resume();
        await().atMost(WAIT).until(() -> recorder.numbers.size() == 2);
        recorder.ready = true;
        subscription.resume();
        await().atMost(WAIT).until(() -> recorder.numbers.size() == 6);
        assertThat(recorder.numbers).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void closingTheFeedEndsSubscriptionsWithAReasonAndFailsWaiters() {
        Recorder recorder = new Recorder();
        chain.feed.subscribe(0, recorder);
        await().atMost(WAIT).until(() -> recorder.numbers.size() == 1);
        CompletableFuture<TransactionRecord> waiter = chain.feed.committed("unknown-transaction");

        chain.feed.close("the test closes the channel");

        await().atMost(WAIT).until(() -> recorder.closedReason.get() != null);
        assertThat(recorder.closedReason.get()).isEqualTo("the test closes the channel");
        assertThat(waiter).isCompletedExceptionally();
        Recorder late = new Recorder();
        chain.feed.subscribe(0, late);
        await().atMost(WAIT).until(() -> late.closedReason.get() != null);
        assertThat(late.numbers).isEmpty();
    }

    @Test
    void ownerClosedSubscriptionStopsWithoutNotice() {
        Recorder recorder = new Recorder();
        CommitFeed.Subscription subscription = chain.feed.subscribe(0, recorder);
        await().atMost(WAIT).until(() -> recorder.numbers.size() == 1);
        subscription.close();
        chain.commit(chain.plain());
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> recorder.numbers.size() == 1);
        assertThat(recorder.closedReason.get()).isNull();
        assertThat(chain.feed.subscriptions()).isZero();
    }

    @Test
    void aWaiterRegisteredBeforeTheCommitCompletesWhenTheBlockCommits() throws Exception {
        Envelope transaction = chain.plain();
        CompletableFuture<TransactionRecord> waiter = chain.feed.committed(TestChain.transactionId(transaction));
        chain.commit(chain.plain());
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !waiter.isDone());

        chain.commit(chain.plain(), transaction);

        TransactionRecord record = waiter.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(record.blockNumber()).isEqualTo(2);
        assertThat(record.position()).isEqualTo(1);
        assertThat(record.validationCode()).isEqualTo(TxValidationCode.VALID);
        await().atMost(WAIT).until(() -> chain.feed.pendingWaiters() == 0);
    }

    @Test
    void aWaiterForAnAlreadyCommittedTransactionCompletesAtOnceWithItsCode() throws Exception {
        Envelope conflicting = chain.conflictingWithEvent("kv", "put", "x");
        chain.commit(conflicting);

        CompletableFuture<TransactionRecord> waiter = chain.feed.committed(TestChain.transactionId(conflicting));

        assertThat(waiter).isDone();
        assertThat(waiter.get().validationCode()).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
        assertThat(chain.feed.pendingWaiters()).isZero();
    }

    @Test
    void waitersRacingACommitterAllComplete() throws Exception {
        List<Envelope> transactions = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            transactions.add(chain.plain());
        }
        CommitFeedConfig roomy = new CommitFeedConfig(3, 100);
        try (TestChain racing = new TestChain(sample, directory.resolve("racing"), roomy)) {
            Thread committer = new Thread(() -> transactions.forEach(racing::commit));
            committer.start();
            List<CompletableFuture<TransactionRecord>> waiters = new ArrayList<>();
            for (Envelope transaction : transactions) {
                waiters.add(racing.feed.committed(TestChain.transactionId(transaction)));
            }
            committer.join(WAIT.toMillis());
            CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            for (int i = 0; i < waiters.size(); i++) {
                assertThat(waiters.get(i).get().blockNumber()).isEqualTo(i + 1);
            }
            await().atMost(WAIT).until(() -> racing.feed.pendingWaiters() == 0);
        }
    }

    @Test
    void cancellingAWaiterDropsIt() {
        CompletableFuture<TransactionRecord> waiter = chain.feed.committed("never-committed");
        assertThat(chain.feed.pendingWaiters()).isEqualTo(1);

        waiter.cancel(false);

        assertThat(chain.feed.pendingWaiters()).isZero();
        chain.commit(chain.plain()); // the scan after a commit finds nobody to complete
        assertThat(chain.feed.pendingWaiters()).isZero();
    }

    @Test
    void waitersBeyondTheBoundAreRefused() {
        for (int i = 0; i < 4; i++) {
            chain.feed.committed("pending-" + i);
        }
        CompletableFuture<TransactionRecord> refused = chain.feed.committed("one-too-many");

        assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TooManyWaitersException.class);
        assertThat(chain.feed.pendingWaiters()).isEqualTo(4);
    }
}
