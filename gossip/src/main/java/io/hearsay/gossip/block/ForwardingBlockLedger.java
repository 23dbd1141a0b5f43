package io.hearsay.gossip.block;

import com.google.protobuf.ByteString;
import io.hearsay.ledger.BlockRejectedException;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/** A {@link BlockLedger} that passes every call to another: decorators (timing, a committer thread) override what they change. */
public abstract class ForwardingBlockLedger implements BlockLedger {
    protected final BlockLedger delegate;

    protected ForwardingBlockLedger(BlockLedger delegate) {
        this.delegate = delegate;
    }

    @Override
    public long height() {
        return delegate.height();
    }

    @Override
    public byte[] headHash() {
        return delegate.headHash();
    }

    @Override
    public ByteString headHashString() {
        return delegate.headHashString();
    }

    @Override
    public Optional<Block> block(long number) {
        return delegate.block(number);
    }

    @Override
    public void commit(Block block) throws BlockRejectedException {
        delegate.commit(block);
    }

    @Override
    public void commitAll(List<Block> blocks) throws BlockRejectedException {
        delegate.commitAll(blocks);
    }
}
