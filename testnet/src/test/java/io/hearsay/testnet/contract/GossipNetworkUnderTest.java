package io.hearsay.testnet.contract;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.IntStream;
import org.hyperledger.fabric.protos.common.Block;

/**
 * What {@link BlockGossipContract} needs of a gossip network: peers to stop, restart and wipe, an orderer feeding
 * the leader, heights, and a bounded wait for convergence. One implementation drives the seeded simulator in
 * virtual time, the other real RocksDB peers over gRPC with mutual TLS on loopback, so one set of protocol tests
 * runs on both (DESIGN.md, "The central idea").
 *
 * <p>Peer 0 is the leader: the orderer's blocks are handed to it, and the contract never stops it. A stopped
 * peer keeps its ledger; {@link #restartEmpty} throws it away.
 */
interface GossipNetworkUnderTest extends AutoCloseable {
    /** Number of peers, running or not. */
    int size();

    /**
     * Has the orderer cut {@code blocks} new blocks and hands each to the leader (its {@code onOrdererBlock}).
     * Returns without waiting for them to spread; the simulator spaces them by its block interval of virtual time.
     */
    void produce(int blocks);

    /** Blocks the orderer has cut, genesis included: the height every peer converges to. */
    long ordererHeight();

    /** The orderer's block {@code number} as cut (without the validation codes a peer adds on commit). */
    Block ordererBlock(long number);

    /** Stops {@code peer} (a crash in the simulator; a closed process on loopback); its ledger survives. */
    void stop(int peer);

    /** Restarts a stopped peer from the ledger it had; it must catch up from its neighbours. */
    void restart(int peer);

    /** Stops {@code peer} if it runs, wipes its ledger back to genesis and starts it: it must sync the whole chain. */
    void restartEmpty(int peer);

    boolean isRunning(int peer);

    /** Height of a running peer's ledger; -1 for a stopped peer. */
    long height(int peer);

    default long[] heights() {
        return IntStream.range(0, size()).mapToLong(this::height).toArray();
    }

    /**
     * Waits until every running peer has exactly {@code height} blocks, at most {@code bound} (virtual time in
     * the simulator, which stays deterministic; wall-clock time on loopback); fails with an {@link AssertionError}
     * naming the heights (and the simulator's seed) if they do not get there.
     */
    void awaitAllAt(long height, Duration bound);

    /** Header hash of the last block of a running peer. */
    byte[] headHash(int peer);

    /** Header hash of block {@code number} as stored by a running peer; empty if it does not hold it. */
    Optional<byte[]> blockHash(int peer, long number);

    /** World-state hash of a running peer at its head (every peer validates and applies every block itself). */
    byte[] stateHash(int peer);

    /** What runs and how to reproduce it (the simulator's seed): put in every failure message. */
    @Override
    String toString();

    @Override
    void close();
}
