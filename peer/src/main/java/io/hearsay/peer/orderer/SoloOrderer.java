package io.hearsay.peer.orderer;

import com.google.protobuf.ByteString;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.ledger.ValidationLevel;
import io.hearsay.ledger.block.BlockBuilder;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.runtime.NodeRuntime;
import io.hearsay.peer.runtime.SerialExecutor;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel of the solo orderer: envelopes accepted by Broadcast go through a {@link BlockCutter}, and each cut
 * batch becomes the next block of the channel's chain, signed with the orderer's identity and committed to the
 * orderer's own RocksDB ledger, then announced to the {@linkplain #onCommitted commit listeners} (the feed that
 * Deliver streams from).
 *
 * <pre>
 *   gRPC thread                 channel's serial executor                    ledger
 *   submit(e) ── bounded ──► cutter.offer(e) ──cut──► BlockBuilder.next ──► commit ──► listeners(height)
 * </pre>
 *
 * The ledger checks blocks only at {@link ValidationLevel#BLOCK} (hash chain, data hash, its own signature):
 * validating transactions is the peers' job, as in Fabric, and an invalid transaction still takes its place in
 * the block with its code. A restart resumes from the stored chain; envelopes accepted but not yet in a block
 * when the process dies are lost, as with Fabric's solo orderer (a clean {@link #close} cuts them first).
 *
 * <p>Thread-safe: {@link #submit} may be called from any thread and never blocks; everything else happens on
 * the channel's serial executor.
 */
public final class SoloOrderer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SoloOrderer.class);
    /** How long {@link #close} waits for a block being written to finish before closing the ledger under it. */
    private static final long CLOSE_WAIT_SECONDS = 10;

    /** What became of a submitted envelope. */
    public enum Admission {
        /** Queued for ordering; it will be in a block unless the orderer stops first. */
        ACCEPTED,
        /** Larger than {@link OrdererConfig#envelopeBytesMax()}; never queued. */
        OVERSIZED,
        /** {@link OrdererConfig#pendingEnvelopesMax()} envelopes are waiting for a block; try again later. */
        BUSY,
        /** The orderer is shutting down. */
        CLOSED
    }

    private final OrdererConfig config;
    private final Ledger ledger;
    private final BlockBuilder blocks;
    private final SerialExecutor serial;
    private final BlockCutter cutter;
    private final AtomicInteger pendingEnvelopes = new AtomicInteger();
    private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    /** The last block of the chain; touched only on the serial executor. */
    private Block head;

    private SoloOrderer(OrdererConfig config, Ledger ledger, SigningIdentity orderer, NodeResources resources) {
        this.config = config;
        this.ledger = ledger;
        this.blocks = new BlockBuilder(orderer);
        this.serial = resources.serialExecutor("orderer-" + ledger.channelId());
        this.cutter = new BlockCutter(config, NodeRuntime.scheduler(serial, resources.timers()), this::onBatch);
        this.head = ledger.block(ledger.height() - 1).orElseThrow(() -> new IllegalStateException(
                "the orderer's ledger for " + ledger.channelId() + " has height " + ledger.height() + " but no head block"));
    }

    /**
     * Opens (or creates from {@code genesis}) the channel's chain in {@code directory} and starts ordering.
     *
     * @param orderer the identity blocks are signed with; must belong to the channel's orderer organisation,
     *     or peers (and this orderer's own ledger) reject the blocks
     * @param resources the threads the cutter's timer and the block writes run on; close this orderer first
     * @throws BlockRejectedException if {@code genesis} does not match the chain already in {@code directory}
     */
    public static SoloOrderer open(Path directory, Block genesis, SigningIdentity orderer, OrdererConfig config,
            NodeResources resources) throws BlockRejectedException {
        Ledger ledger = Ledgers.rocks(directory, genesis,
                LedgerOptions.defaults().withValidationLevel(ValidationLevel.BLOCK));
        try {
            return new SoloOrderer(config, ledger, orderer, resources);
        } catch (RuntimeException e) {
            ledger.close();
            throw e;
        }
    }

    public String channelId() {
        return ledger.channelId();
    }

    /** The orderer's chain of this channel, for Deliver to read. */
    public Ledger ledger() {
        return ledger;
    }

    public OrdererConfig config() {
        return config;
    }

    /**
     * Calls {@code listener} with the new height after each block is committed, on the channel's serial executor,
     * in order. It must not block (hand the work on); an exception it throws is logged and ignored.
     */
    public void onCommitted(LongConsumer listener) {
        listeners.add(listener);
    }

    /** Queues a serialised envelope for ordering. Never blocks. */
    public Admission submit(ByteString envelope) {
        if (envelope.size() > config.envelopeBytesMax()) {
            return Admission.OVERSIZED;
        }
        if (closed) {
            return Admission.CLOSED;
        }
        if (pendingEnvelopes.incrementAndGet() > config.pendingEnvelopesMax()) {
            pendingEnvelopes.decrementAndGet();
            return Admission.BUSY;
        }
        serial.execute(() -> {
            if (!cutter.offer(envelope)) {
                pendingEnvelopes.decrementAndGet();
            }
        });
        return Admission.ACCEPTED;
    }

    /** Envelopes accepted and not yet in a committed block. */
    public int pendingEnvelopes() {
        return pendingEnvelopes.get();
    }

    private void onBatch(List<ByteString> batch) {
        Block block = blocks.next(head, batch);
        try {
            ledger.commit(block);
            head = block;
        } catch (BlockRejectedException | RuntimeException e) {
            // Our own block, built on our own head: only a bug or a failing disk gets here. The envelopes are lost
            // (their submitters were told SUCCESS, as Fabric's would be); the chain stays as it was.
            LOG.error("{}: could not commit block {} of {} envelopes; they are dropped", channelId(),
                    block.getHeader().getNumber(), batch.size(), e);
            return;
        } finally {
            pendingEnvelopes.addAndGet(-batch.size());
        }
        long height = ledger.height();
        for (LongConsumer listener : listeners) {
            try {
                listener.accept(height);
            } catch (RuntimeException e) {
                LOG.error("{}: a commit listener failed at height {}", channelId(), height, e);
            }
        }
    }

    /**
     * Stops accepting envelopes, cuts and commits the ones pending, and closes the ledger. Call it from a thread
     * of your own, not from one of {@code resources}' threads: it waits for the channel's serial executor.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<Void> drained = new CompletableFuture<>();
        serial.execute(() -> {
            try {
                cutter.flush();
                cutter.close();
            } finally {
                drained.complete(null);
            }
        });
        try {
            drained.get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("{}: the last block was not written within {} s of closing", channelId(), CLOSE_WAIT_SECONDS);
        }
        serial.close();
        ledger.close();
    }
}
