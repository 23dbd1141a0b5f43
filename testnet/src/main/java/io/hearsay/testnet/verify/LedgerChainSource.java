package io.hearsay.testnet.verify;

import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A peer's chain read straight from its ledger: an open one in this process (in-process networks), or a stopped
 * peer's RocksDB directory, opened for the read and closed after it. The state hash is known at every height.
 */
public final class LedgerChainSource implements ChainSource {
    private final String peer;
    private final LedgerOpener opener;
    private final boolean closeAfterRead;
    private final AtomicReference<Ledger> ledger = new AtomicReference<>();

    private LedgerChainSource(String peer, LedgerOpener opener, boolean closeAfterRead) {
        this.peer = Objects.requireNonNull(peer, "peer");
        this.opener = opener;
        this.closeAfterRead = closeAfterRead;
    }

    /** Opens a ledger, or says why it cannot. */
    @FunctionalInterface
    public interface LedgerOpener {
        Ledger open() throws BlockRejectedException;
    }

    /** An open ledger owned by someone else: reading it leaves it open. */
    public static LedgerChainSource of(String peer, Ledger ledger) {
        return new LedgerChainSource(peer, () -> ledger, false);
    }

    /**
     * The RocksDB ledger of a stopped peer in {@code directory}, for the channel {@code genesis} starts. Opened when
     * read and closed afterwards; if it does not open (corrupt files, another process holds it) that is the
     * peer's read failure in the report.
     */
    public static LedgerChainSource onDisk(String peer, Path directory, Block genesis) {
        return new LedgerChainSource(peer, () -> Ledgers.rocks(directory, genesis, LedgerOptions.defaults()), true);
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public Chain open() {
        Ledger opened;
        try {
            opened = opener.open();
        } catch (BlockRejectedException e) {
            throw new IllegalStateException("ledger does not open: " + e.getMessage(), e);
        }
        ledger.set(opened);
        long height = opened.height(); // a fixed end, so a ledger still committing is read to a stable height
        Iterator<Block> blocks = opened.blocks(0, height);
        return new Chain() {
            @Override
            public boolean hasNext() {
                return blocks.hasNext();
            }

            @Override
            public Block next() {
                return blocks.next();
            }

            @Override
            public void close() {
                Ledger current = ledger.getAndSet(null);
                if (current != null && closeAfterRead) {
                    current.close();
                }
            }
        };
    }

    @Override
    public Optional<byte[]> stateHashAfter(long number) {
        Ledger opened = ledger.get();
        return opened == null ? Optional.empty() : opened.stateHashAt(number);
    }
}
