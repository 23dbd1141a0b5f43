package io.hearsay.ledger;

import com.google.protobuf.ByteString;
import io.hearsay.ledger.BlockRejectedException.Reason;
import io.hearsay.ledger.block.ConfigBlocks;
import io.hearsay.ledger.validation.BlockVerifier;
import io.hearsay.ledger.validation.CheckedTransaction;
import io.hearsay.ledger.validation.TransactionValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Every check of a block that needs no ledger state, started on the check threads and awaited by the
 * committer; the stateful ones (duplicates, MVCC) are the {@link CommitPlanner}'s. A rejection comes out
 * for the first failing check in {@link BlockVerifier}'s order however the work was spread.
 *
 * <pre>
 * start(block, expected number, expected previous hash)            committer thread
 *   size bound, header/data/metadata, number, previous hash  ──▶ a rejection is kept, nothing started
 *   content task: data hash, orderer signature               ──▶ one check thread
 *   transaction tasks: a slice of the entries each (parse,   ──▶ the other check threads
 *     canonical encoding, signatures, policy, read-write set)
 * await()                                                          committer thread
 *   kept rejection ▶ content's ▶ first non-canonical entry ▶ else the checked transactions, in order
 * </pre>
 *
 * A failed content check abandons the transaction tasks, so a forged block costs its checks only for as
 * long as the content check ran, not its transactions' signatures.
 */
final class BlockChecker {
    /** Fewer entries than this per task would cost more in hand-over than the checks take at block level. */
    static final int SLICE_TRANSACTIONS_MIN = 8;

    private final BlockVerifier verifier;
    private final TransactionValidator validator;
    private final long blockBytesMax;
    private final Executor executor;
    private final int slicesMax;

    /**
     * @param executor where the tasks run: the check threads, or the caller's thread ({@code Runnable::run})
     *     for a single-threaded, deterministic commit
     * @param slicesMax tasks a block's entries are split into at most: the number of threads running them
     */
    BlockChecker(BlockVerifier verifier, TransactionValidator validator, long blockBytesMax, Executor executor,
            int slicesMax) {
        this.verifier = verifier;
        this.validator = validator;
        this.blockBytesMax = blockBytesMax;
        this.executor = executor;
        this.slicesMax = slicesMax;
    }

    /**
     * Starts checking {@code block} as the successor of a head with height {@code expectedNumber} and header
     * hash {@code expectedPreviousHash} (empty for the genesis block).
     */
    Pending start(Block block, long expectedNumber, byte[] expectedPreviousHash) {
        try {
            int size = block.getSerializedSize();
            if (size > blockBytesMax) {
                throw new BlockRejectedException(Reason.MALFORMED, block.getHeader().getNumber(),
                        "block is " + size + " bytes, over the limit of " + blockBytesMax);
            }
            verifier.checkPosition(block, expectedNumber, expectedPreviousHash);
        } catch (BlockRejectedException e) {
            return new Pending(block, e);
        }
        return new Pending(block);
    }

    /** The checks of one block in flight. Used by one committer thread; its tasks run on the check threads. */
    final class Pending {
        private final Block block;
        private final BlockRejectedException early;
        private final CompletableFuture<BlockRejectedException> content;
        private final List<CompletableFuture<List<CheckedTransaction>>> slices = new ArrayList<>();
        /** Set when the block's fate is known without its transactions: their tasks then skip the work. */
        private volatile boolean abandoned;

        private Pending(Block block, BlockRejectedException early) {
            this.block = block;
            this.early = early;
            this.content = null;
        }

        private Pending(Block block) {
            this.block = block;
            this.early = null;
            this.content = CompletableFuture.supplyAsync(this::checkContent, executor);
            // The genesis block's one config transaction is trusted with the block; it changes no state.
            if (block.getHeader().getNumber() != 0) {
                List<ByteString> entries = block.getData().getDataList();
                int count = Math.max(1, Math.min(slicesMax, entries.size() / SLICE_TRANSACTIONS_MIN));
                for (int slice = 0; slice < count; slice++) {
                    int from = (int) ((long) entries.size() * slice / count);
                    int to = (int) ((long) entries.size() * (slice + 1) / count);
                    slices.add(CompletableFuture.supplyAsync(() -> checkEntries(entries.subList(from, to)), executor));
                }
            }
        }

        Block block() {
            return block;
        }

        /**
         * Waits for the checks and returns the checked transactions, one per entry in order.
         *
         * @throws BlockRejectedException for the first block-level check that failed
         */
        List<CheckedTransaction> await() throws BlockRejectedException {
            if (early != null) {
                throw early;
            }
            BlockRejectedException rejection = join(content);
            if (rejection != null) {
                throw rejection;
            }
            if (block.getHeader().getNumber() == 0) {
                return List.of(new CheckedTransaction(TxValidationCode.VALID, ConfigBlocks.CONFIG_TX_ID, List.of(), ""));
            }
            List<CheckedTransaction> checked = new ArrayList<>(block.getData().getDataCount());
            for (CompletableFuture<List<CheckedTransaction>> slice : slices) {
                checked.addAll(join(slice));
            }
            if (checked.size() != block.getData().getDataCount()) {
                throw new IllegalStateException("checks of block " + block.getHeader().getNumber() + " were abandoned");
            }
            BlockVerifier.requireCanonical(block.getHeader().getNumber(), checked);
            return checked;
        }

        /** Lets tasks not yet started skip their work: the committer will not await this block. */
        void abandon() {
            abandoned = true;
        }

        private BlockRejectedException checkContent() {
            try {
                verifier.checkContent(block);
                return null;
            } catch (BlockRejectedException e) {
                abandoned = true;
                return e;
            }
        }

        private List<CheckedTransaction> checkEntries(List<ByteString> entries) {
            List<CheckedTransaction> checked = new ArrayList<>(entries.size());
            for (ByteString entry : entries) {
                if (abandoned) {
                    return List.of();
                }
                checked.add(validator.check(entry));
            }
            return checked;
        }
    }

    /** The task's result; what it threw unwrapped, so a bug in a check surfaces as itself. */
    private static <T> T join(CompletableFuture<T> task) {
        try {
            return task.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
