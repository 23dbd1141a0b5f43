package io.hearsay.peer.channel;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.ledger.BlockRejectedException;
import io.hearsay.ledger.CommitResult;
import io.hearsay.ledger.Ledger;
import io.hearsay.ledger.LedgerOptions;
import io.hearsay.ledger.Ledgers;
import io.hearsay.ledger.Version;
import io.hearsay.ledger.block.EndorserTransactions;
import io.hearsay.ledger.sample.SampleChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.Endorsement;

/**
 * A test channel on a real RocksDB ledger with its {@link LedgerCommitFeed}: builds endorsed transactions (some
 * carrying a chaincode event in {@code ChaincodeAction.events}), commits them in blocks with full validation, and
 * calls the feed's commit hook as the node's committer does. Also the one-channel {@link ChannelRegistry} the
 * services under test read from.
 */
public final class TestChain implements AutoCloseable {
    public final SampleChannel sample;
    public final Ledger ledger;
    public final LedgerCommitFeed feed;
    private final ExecutorService executor;
    private final AtomicInteger keys = new AtomicInteger();
    private Block head;

    public TestChain(SampleChannel sample, Path directory) {
        this(sample, directory, CommitFeedConfig.defaults());
    }

    public TestChain(SampleChannel sample, Path directory, CommitFeedConfig config) {
        this.sample = sample;
        try {
            this.ledger = Ledgers.rocks(directory, sample.genesis, LedgerOptions.defaults());
        } catch (BlockRejectedException e) {
            throw new IllegalStateException(e);
        }
        this.executor = Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task, "test-feed");
            thread.setDaemon(true);
            return thread;
        });
        this.feed = new LedgerCommitFeed(ledger, executor, config);
        this.head = sample.genesis;
    }

    public ChannelContext context() {
        return new ChannelContext(SampleChannel.CHANNEL, ledger, feed);
    }

    /** This chain as the only channel of a node. */
    public ChannelRegistry registry() {
        return registry(feed);
    }

    /** This chain as the only channel of a node, its commits seen through {@code commits}. */
    public ChannelRegistry registry(CommitFeed commits) {
        return ChannelRegistry.of(List.of(new ChannelContext(SampleChannel.CHANNEL, ledger, commits)));
    }

    /** A valid transaction of chaincode "kv" writing a fresh key, without an event. */
    public Envelope plain() {
        return sample.put("key" + keys.incrementAndGet(), "value");
    }

    /** A valid transaction of {@code chaincode} writing a fresh key and emitting {@code eventName} with {@code payload}. */
    public Envelope withEvent(String chaincode, String eventName, String payload) {
        KVRWSet writes = KVRWSet.newBuilder().addWrites(SampleChannel.write("key" + keys.incrementAndGet(), payload)).build();
        return eventTransaction(chaincode, eventName, payload, writes);
    }

    /**
     * A transaction of {@code chaincode} that emits an event but reads a key at a version it never had: the
     * validator marks it MVCC_READ_CONFLICT, so its event must never reach an event stream.
     */
    public Envelope conflictingWithEvent(String chaincode, String eventName, String payload) {
        KVRWSet rwSet = KVRWSet.newBuilder()
                .addReads(SampleChannel.read("never-written-" + keys.incrementAndGet(), new Version(1, 0)))
                .addWrites(SampleChannel.write("key" + keys.incrementAndGet(), payload))
                .build();
        return eventTransaction(chaincode, eventName, payload, rwSet);
    }

    /** Commits one block holding {@code transactions} and tells the feed; returns the block as stored. */
    public synchronized Block commit(Envelope... transactions) {
        Block block = sample.next(head, transactions);
        CommitResult result;
        try {
            result = ledger.commit(block);
        } catch (BlockRejectedException e) {
            throw new IllegalStateException("test block rejected: " + e.getMessage(), e);
        }
        head = result.block();
        feed.onCommitted(result.height());
        return result.block();
    }

    public static String transactionId(Envelope envelope) {
        try {
            Payload payload = Payload.parseFrom(envelope.getPayload());
            return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getTxId();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** {@link EndorserTransactions#build} with an event in the chaincode action (tx id and chaincode as the peer fills them). */
    private Envelope eventTransaction(String chaincode, String eventName, String payload, KVRWSet rwSet) {
        SigningIdentity client = sample.client;
        ByteString nonce = sample.nextNonce();
        Header header = EndorserTransactions.proposalHeader(SampleChannel.CHANNEL, chaincode, client.identity().serialized(),
                nonce, Timestamp.newBuilder().setSeconds(1_700_000_000L).build());
        String transactionId = EndorserTransactions.transactionId(nonce, client.identity().serialized());
        ByteString event = ChaincodeEvent.newBuilder()
                .setChaincodeId(chaincode)
                .setTxId(transactionId)
                .setEventName(eventName)
                .setPayload(ByteString.copyFromUtf8(payload))
                .build()
                .toByteString();
        ByteString invocation = EndorserTransactions.invocation(chaincode, List.of(ByteString.copyFromUtf8("put"))).toByteString();
        ByteString prp = EndorserTransactions.proposalResponsePayload(EndorserTransactions.proposalHash(header, invocation),
                chaincode, EndorserTransactions.readWriteSet(chaincode, rwSet), event, ByteString.EMPTY).toByteString();
        List<Endorsement> endorsements = List.of(EndorserTransactions.endorse(sample.org1Peer, prp),
                EndorserTransactions.endorse(sample.org2Peer, prp));
        return EndorserTransactions.sign(client, EndorserTransactions.transactionPayload(header, invocation, prp, endorsements));
    }

    @Override
    public void close() {
        feed.close();
        executor.shutdownNow();
        ledger.close();
    }
}
