package io.hearsay.testnet.verify;

import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Another peer's chain as a misbehaving peer would serve it: every block and state hash of {@code original}, with
 * one block or one reported state hash changed. Lets a verifier test break exactly one property of a chain that
 * real ledgers would refuse to store (a wrong previous_hash, a state hash that does not follow from the blocks).
 */
final class AlteredChainSource implements ChainSource {
    private final String peer;
    private final ChainSource original;
    private final long alteredBlock;
    private final UnaryOperator<Block> alterBlock;
    private final BiFunction<Long, Optional<byte[]>, Optional<byte[]>> alterStateHash;

    private AlteredChainSource(String peer, ChainSource original, long alteredBlock, UnaryOperator<Block> alterBlock,
            BiFunction<Long, Optional<byte[]>, Optional<byte[]>> alterStateHash) {
        this.peer = peer;
        this.original = original;
        this.alteredBlock = alteredBlock;
        this.alterBlock = alterBlock;
        this.alterStateHash = alterStateHash;
    }

    /** {@code original}'s chain under the name {@code peer}, with block {@code number} replaced by {@code alter}'s result. */
    static AlteredChainSource block(String peer, ChainSource original, long number, UnaryOperator<Block> alter) {
        return new AlteredChainSource(peer, original, number, alter, (n, hash) -> hash);
    }

    /** {@code original}'s chain under the name {@code peer}, reporting {@code stateHash} after block {@code number}. */
    static AlteredChainSource stateHash(String peer, ChainSource original, long number, byte[] stateHash) {
        return new AlteredChainSource(peer, original, -1, UnaryOperator.identity(),
                (n, hash) -> n == number ? Optional.of(stateHash.clone()) : hash);
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public Chain open() {
        Chain chain = original.open();
        return new Chain() {
            private long next;

            @Override
            public boolean hasNext() {
                return chain.hasNext();
            }

            @Override
            public Block next() {
                Block block = chain.next();
                return next++ == alteredBlock ? alterBlock.apply(block) : block;
            }

            @Override
            public void close() {
                chain.close();
            }
        };
    }

    @Override
    public Optional<byte[]> stateHashAfter(long number) {
        return alterStateHash.apply(number, original.stateHashAfter(number));
    }
}
