package io.hearsay.ledger;

import io.hearsay.identity.MspDirectory;
import io.hearsay.proto.ChannelConfig;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/**
 * One channel's ledger: a hash-chained store of Fabric blocks and the versioned world state they
 * produce, changed only by {@link #commit}, which validates a block and applies it atomically.
 *
 * <p>Contract: when {@link #commit} returns, the block is durable (per the storage's durability setting)
 * and every read reflects it; gossip may therefore advertise the new height only after {@code commit}
 * returns. A crash at any instant leaves the ledger as it was before or after a commit, never between.
 *
 * <p>Threading: reads may run on any thread, concurrently with a commit; commits are serialised.
 */
public interface Ledger extends AutoCloseable {

    String channelId();

    /** The channel configuration from the genesis block. */
    ChannelConfig config();

    /**
     * The channel's organisations (from {@link #config()}), with their CAs: what identities claiming
     * membership of this channel are checked against.
     */
    MspDirectory organizations();

    /** Number of committed blocks; the number of the next block to commit. */
    long height();

    /** Header hash of the last committed block (empty array when the ledger is empty). */
    byte[] headHash();

    Optional<Block> block(long number);

    Optional<Block> blockByHash(byte[] headerHash);

    /** Blocks {@code from} (inclusive) to {@code toExclusive}, clipped to the height, in order. */
    Iterator<Block> blocks(long from, long toExclusive);

    Optional<VersionedValue> state(String namespace, String key);

    /**
     * State entries of {@code namespace} with {@code startKey <= key < endKey} in key order (UTF-8 byte
     * order); an empty {@code endKey} means to the end of the namespace. Close the iterator when done.
     */
    StateIterator stateRange(String namespace, String startKey, String endKey);

    /** The order-independent hash of the whole world state after the last committed block. */
    byte[] stateHash();

    /** The state hash after block {@code number}, if it is committed. */
    Optional<byte[]> stateHashAt(long number);

    Optional<TransactionRecord> transaction(String transactionId);

    /**
     * Validates {@code block} and, if it passes the block-level checks, stores it with each
     * transaction's validation code and applies its valid transactions to the state, atomically.
     *
     * @throws BlockRejectedException if a block-level check fails; then nothing was written
     */
    CommitResult commit(Block block) throws BlockRejectedException;

    /**
     * Commits {@code blocks} in list order, each exactly as {@link #commit} would, and returns their results
     * in the same order: the path for catch-up and bulk import. Each block is still its own atomic, durable
     * write, so the crash guarantee is {@link #commit}'s; what differs is that later blocks are checked
     * (signatures included) on other threads while earlier ones are written. Readers see the height grow
     * block by block. An empty list commits nothing.
     *
     * @throws BlockRejectedException for the first block that fails a block-level check (a list out of order
     *     fails as {@code WRONG_NUMBER}): every block before it is committed and durable, listed by {@link
     *     BlockRejectedException#committed()}, and nothing of it or after it was written. Any other
     *     exception, such as a storage failure, leaves the blocks committed so far committed; {@link
     *     #height()} then tells how far the call got.
     */
    List<CommitResult> commitAll(List<Block> blocks) throws BlockRejectedException;

    @Override
    void close();

    /** A closeable iterator over state entries. */
    interface StateIterator extends Iterator<StateEntry>, AutoCloseable {
        @Override
        void close();
    }
}
