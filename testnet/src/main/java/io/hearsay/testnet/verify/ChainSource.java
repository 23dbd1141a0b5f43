package io.hearsay.testnet.verify;

import java.util.Iterator;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/**
 * One peer's chain as the {@link ConsistencyVerifier} reads it: the blocks from 0 in order, and, where the peer
 * can say, its state hash after a block. Implementations: {@link LedgerChainSource} (a ledger in this process or
 * on disk) and {@link DeliverChainSource} (a running peer, through the Fabric Gateway SDK).
 *
 * <p>Failures are data, not crashes: a chain that cannot be opened or read further throws from {@link #open} or
 * from the iterator, and the verifier reports it as that peer's read failure.
 */
public interface ChainSource {

    /** The peer's name as reports show it, e.g. {@code peer0.org1.example.com}. */
    String peer();

    /**
     * The peer's blocks from block 0, in order, ending at the peer's height. The verifier reads every source
     * once, in step with the others, and closes it.
     *
     * @throws RuntimeException if the chain cannot be read at all (peer unreachable, ledger corrupt)
     */
    Chain open();

    /**
     * The peer's world-state hash after committing block {@code number}, if it can say (a ledger keeps one per
     * block; a remote peer reports only its current one). Asked while the chain is open, right after block {@code number} was read from it.
     */
    Optional<byte[]> stateHashAfter(long number);

    /** An open chain: an iterator over its blocks that must be closed. */
    interface Chain extends Iterator<Block>, AutoCloseable {
        @Override
        void close();
    }
}
