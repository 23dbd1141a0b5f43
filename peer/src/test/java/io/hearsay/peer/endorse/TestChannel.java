package io.hearsay.peer.endorse;

import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.CommitResult;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.ledger.TransactionRecord;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.channel.ChannelContext;
import io.hearsay.peer.channel.ChannelRegistry;
import io.hearsay.peer.channel.CommitFeed;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * The sample channel on a real RocksDB ledger, for the endorsement tests: its crypto (two peer organisations of two
 * peers each, and the orderer), ledgers for any number of peers, a {@link ChannelRegistry} over a ledger, and
 * commits of blocks the sample orderer signs. The commit feed is inert: these tests never wait for commits.
 */
public final class TestChannel implements AutoCloseable {
    public final SampleChannel sample;
    private final Path directory;
    private final Map<String, Ledger> ledgers = new TreeMap<>();

    /** @param requiredEndorsements how many of Org1MSP, Org2MSP the channel's default policy requires */
    public TestChannel(Path directory, int requiredEndorsements) {
        this.directory = directory;
        this.sample = new SampleChannel(directory.resolve("crypto"), requiredEndorsements, 2);
    }

    /** The ledger of the peer called {@code name}, opened on first use. */
    public Ledger ledger(String name) {
        return ledgers.computeIfAbsent(name, n -> {
            try {
                return Ledgers.rocks(directory.resolve("ledger-" + n), sample.genesis, LedgerOptions.defaults());
            } catch (BlockRejectedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A registry serving only this channel, on {@code ledger}. */
    public static ChannelRegistry registry(Ledger ledger) {
        return ChannelRegistry.of(List.of(new ChannelContext(ledger.channelId(), ledger, new InertCommitFeed())));
    }

    /** Commits {@code envelopes} as the next block of {@code ledger}. */
    public CommitResult commit(Ledger ledger, Envelope... envelopes) throws BlockRejectedException {
        Block previous = ledger.block(ledger.height() - 1).orElseThrow();
        return ledger.commit(sample.next(previous, envelopes));
    }

    @Override
    public void close() {
        ledgers.values().forEach(Ledger::close);
    }

    private static final class InertCommitFeed implements CommitFeed {
        @Override
        public Subscription subscribe(long from, BlockSink sink) {
            throw new UnsupportedOperationException("not used by the endorsement tests");
        }

        @Override
        public CompletableFuture<TransactionRecord> committed(String transactionId) {
            return new CompletableFuture<>();
        }
    }
}
