package io.hearsay.peer.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.CommitResult;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.ledger.block.BlockHashing;
import io.hearsay.peer.orderer.SoloOrderer.Admission;
import io.hearsay.peer.runtime.NodeResources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The solo orderer on a real RocksDB chain: what it cuts and signs is a chain a peer's fully validating ledger
 * commits with every transaction VALID; a restart continues the numbering and the hash chain; closing writes the
 * envelopes still pending; the queue of unordered envelopes is bounded.
 */
class SoloOrdererTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path cryptoDirectory;
    private static OrdererCrypto crypto;

    @TempDir
    Path directory;
    private final NodeResources resources = new NodeResources(2);

    @BeforeAll
    static void generateCrypto() {
        crypto = new OrdererCrypto(cryptoDirectory);
    }

    @AfterEach
    void closeResources() {
        resources.close();
    }

    private SoloOrderer open(OrdererConfig config) throws BlockRejectedException {
        return SoloOrderer.open(directory.resolve("orderer"), crypto.channel.genesis, crypto.channel.orderer, config,
                resources);
    }

    private static OrdererConfig batchesOf(int envelopes, long timeoutMillis) {
        return OrdererConfig.defaults().withBatchEnvelopesMax(envelopes).withBatchTimeoutMillis(timeoutMillis);
    }

    private static List<Block> chain(Ledger ledger) {
        List<Block> blocks = new ArrayList<>();
        ledger.blocks(0, ledger.height()).forEachRemaining(blocks::add);
        return blocks;
    }

    @Test
    void cutsSignedBlocksThatAPeerCommitsAsValid() throws Exception {
        List<Long> announced = new CopyOnWriteArrayList<>();
        List<Block> blocks;
        try (SoloOrderer orderer = open(batchesOf(3, 50))) {
            orderer.onCommitted(announced::add);
            for (int i = 0; i < 7; i++) {
                assertThat(orderer.submit(crypto.channel.put("k" + i, "v" + i).toByteString())).isEqualTo(Admission.ACCEPTED);
            }
            // 3 + 3 by count, then the last one by timeout.
            await().atMost(WAIT).until(() -> orderer.ledger().height() == 4);
            assertThat(orderer.pendingEnvelopes()).isZero();
            blocks = chain(orderer.ledger());
        }
        assertThat(announced).containsExactly(2L, 3L, 4L);
        assertThat(blocks.subList(1, 4)).extracting(b -> b.getData().getDataCount()).containsExactly(3, 3, 1);

        try (Ledger peer = Ledgers.rocks(directory.resolve("peer"), crypto.channel.genesis, LedgerOptions.defaults())) {
            for (Block block : blocks.subList(1, blocks.size())) {
                CommitResult result = peer.commit(block);
                assertThat(result.validationCodes()).containsOnly(TxValidationCode.VALID);
            }
            assertThat(peer.headHash()).isEqualTo(BlockHashing.headerHash(blocks.get(3).getHeader()));
            assertThat(peer.state("kv", "k6")).hasValueSatisfying(
                    v -> assertThat(v.value().toString(StandardCharsets.UTF_8)).isEqualTo("v6"));
        }
    }

    @Test
    void aRestartContinuesTheChainWhereItStopped() throws Exception {
        Block lastBeforeRestart;
        try (SoloOrderer orderer = open(batchesOf(2, 50))) {
            orderer.submit(crypto.channel.put("a", "1").toByteString());
            orderer.submit(crypto.channel.put("b", "2").toByteString());
            await().atMost(WAIT).until(() -> orderer.ledger().height() == 2);
            lastBeforeRestart = orderer.ledger().block(1).orElseThrow();
        }
        List<Block> blocks;
        try (SoloOrderer orderer = open(batchesOf(2, 50))) {
            assertThat(orderer.ledger().height()).isEqualTo(2);
            orderer.submit(crypto.channel.put("c", "3").toByteString());
            await().atMost(WAIT).until(() -> orderer.ledger().height() == 3);
            blocks = chain(orderer.ledger());
        }
        Block next = blocks.get(2);
        assertThat(next.getHeader().getNumber()).isEqualTo(2);
        assertThat(next.getHeader().getPreviousHash().toByteArray())
                .isEqualTo(BlockHashing.headerHash(lastBeforeRestart.getHeader()));
        try (Ledger peer = Ledgers.rocks(directory.resolve("peer"), crypto.channel.genesis, LedgerOptions.defaults())) {
            for (Block block : blocks.subList(1, blocks.size())) {
                assertThat(peer.commit(block).validationCodes()).containsOnly(TxValidationCode.VALID);
            }
        }
    }

    @Test
    void closingWritesThePendingEnvelopesAsALastBlock() throws Exception {
        try (SoloOrderer orderer = open(batchesOf(100, 60_000))) {
            orderer.submit(crypto.channel.put("late", "1").toByteString());
        }
        try (SoloOrderer reopened = open(batchesOf(100, 60_000))) {
            assertThat(reopened.ledger().height()).isEqualTo(2);
            assertThat(reopened.ledger().block(1).orElseThrow().getData().getDataCount()).isEqualTo(1);
        }
    }

    @Test
    void refusesOversizedEnvelopesAndEnvelopesBeyondTheQueueBound() throws Exception {
        long megabyte = 1024 * 1024;
        OrdererConfig config = batchesOf(1, 60_000).withBatchBytes(megabyte, megabyte).withPendingEnvelopesMax(2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean holding = new AtomicBoolean();
        try (SoloOrderer orderer = open(config)) {
            // The first commit's listener holds the channel's executor, so what is submitted next stays pending.
            orderer.onCommitted(height -> {
                if (holding.compareAndSet(false, true)) {
                    awaitQuietly(release);
                }
            });
            assertThat(orderer.submit(ByteString.copyFrom(new byte[(int) megabyte + 1]))).isEqualTo(Admission.OVERSIZED);
            assertThat(orderer.submit(crypto.channel.put("a", "1").toByteString())).isEqualTo(Admission.ACCEPTED);
            await().atMost(WAIT).untilTrue(holding);
            assertThat(orderer.submit(crypto.channel.put("b", "2").toByteString())).isEqualTo(Admission.ACCEPTED);
            assertThat(orderer.submit(crypto.channel.put("c", "3").toByteString())).isEqualTo(Admission.ACCEPTED);
            assertThat(orderer.submit(crypto.channel.put("d", "4").toByteString())).isEqualTo(Admission.BUSY);
            release.countDown();
            await().atMost(WAIT).until(() -> orderer.ledger().height() == 4);
            assertThat(orderer.pendingEnvelopes()).isZero();
            assertThat(orderer.submit(crypto.channel.put("e", "5").toByteString())).isEqualTo(Admission.ACCEPTED);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
