package io.hearsay.peer.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.hearsay.identity.CryptoGen;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.OrgSpec;
import io.hearsay.ledger.block.BlockHashing;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.channel.TestChain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.peer.BlockAndPrivateData;
import org.hyperledger.fabric.protos.peer.FilteredBlock;
import org.hyperledger.fabric.protos.peer.FilteredTransaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deliver as the official Fabric Gateway client (1.10.0) sees it, over mutual TLS against a real RocksDB ledger:
 * block events replayed from block 0 with the ledger's header hashes and then live, live events from the next
 * commit, filtered blocks (codes, events without payload, only for valid transactions), blocks with (empty)
 * private data; an unknown channel and a foreign identity refused with Fabric's statuses, after which the server
 * keeps serving; a cancelled stream releases its subscription; the TLS binding enforced when configured.
 */
class DeliverEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path cryptoDirectory;
    static SampleChannel sample;
    /** Claims to be Org1MSP but its CA is not the channel's. */
    static CryptoMaterial impostor;

    @TempDir
    Path directory;
    private TestChain chain;
    private TestEventServer server;
    private ManagedChannel connection;
    private Gateway gateway;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void generate() {
        sample = new SampleChannel(cryptoDirectory.resolve("channel"));
        impostor = CryptoGen.withDefaults().generate(cryptoDirectory.resolve("impostor"),
                List.of(OrgSpec.peers("Org1MSP", "org1.example.com", 1)));
    }

    @BeforeEach
    void start() {
        chain = new TestChain(sample, directory.resolve("ledger"));
        server = new TestEventServer(chain, DeliverConfig.defaults());
        connection = server.dial(server.channelClient());
        gateway = TestEventServer.gateway(connection, server.channelClient()).connect();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        gateway.close();
        connection.shutdownNow();
        server.close();
        chain.close();
    }

    private Network network() {
        return gateway.getNetwork(SampleChannel.CHANNEL);
    }

    private <T> CloseableIterator<T> closing(CloseableIterator<T> iterator) {
        closeables.add(iterator::close);
        return iterator;
    }

    @Test
    void blockEventsFromZeroReplayTheLedgerThenGoLive() {
        for (int i = 0; i < 3; i++) {
            chain.commit(chain.plain(), chain.withEvent("kv", "put", "k" + i));
        }
        CloseableIterator<Block> blocks = closing(network().newBlockEventsRequest().startBlock(0).build().getEvents());

        for (long number = 0; number < 4; number++) {
            Block block = blocks.next();
            assertThat(block.getHeader().getNumber()).isEqualTo(number);
            assertThat(BlockHashing.headerHash(block.getHeader()))
                    .isEqualTo(BlockHashing.headerHash(chain.ledger.block(number).orElseThrow().getHeader()));
            assertThat(block).isEqualTo(chain.ledger.block(number).orElseThrow());
        }
        Block live = chain.commit(chain.plain());
        Block received = blocks.next();
        assertThat(received.getHeader().getNumber()).isEqualTo(4);
        assertThat(received).isEqualTo(live);
    }

    @Test
    void blockEventsByDefaultStartAtTheNextCommit() {
        chain.commit(chain.plain());
        CloseableIterator<Block> blocks = closing(network().getBlockEvents());
        // "Next commit" is resolved when the server handles the request (pitfall P14): wait until it has.
        await().atMost(WAIT).until(() -> chain.feed.subscriptions() == 1);

        chain.commit(chain.plain());
        chain.commit(chain.plain());

        assertThat(blocks.next().getHeader().getNumber()).isEqualTo(2);
        assertThat(blocks.next().getHeader().getNumber()).isEqualTo(3);
    }

    @Test
    void filteredBlocksCarryCodesAndEventsWithoutPayloadOnlyForValidTransactions() {
        Envelope withEvent = chain.withEvent("kv", "put", "secret-payload");
        Envelope conflicting = chain.conflictingWithEvent("kv", "put", "never");
        Envelope plain = chain.plain();
        chain.commit(withEvent, conflicting, plain);

        CloseableIterator<FilteredBlock> blocks = closing(network().newFilteredBlockEventsRequest().startBlock(1).build().getEvents());
        FilteredBlock block = blocks.next();

        assertThat(block.getChannelId()).isEqualTo(SampleChannel.CHANNEL);
        assertThat(block.getNumber()).isEqualTo(1);
        assertThat(block.getFilteredTransactionsList()).extracting(FilteredTransaction::getTxid).containsExactly(
                TestChain.transactionId(withEvent), TestChain.transactionId(conflicting), TestChain.transactionId(plain));
        assertThat(block.getFilteredTransactionsList()).extracting(FilteredTransaction::getTxValidationCode).containsExactly(
                TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT, TxValidationCode.VALID);
        assertThat(block.getFilteredTransactionsList()).extracting(FilteredTransaction::getType)
                .containsOnly(HeaderType.ENDORSER_TRANSACTION);
        FilteredTransaction valid = block.getFilteredTransactions(0);
        assertThat(valid.getTransactionActions().getChaincodeActionsList()).hasSize(1);
        var event = valid.getTransactionActions().getChaincodeActions(0).getChaincodeEvent();
        assertThat(event.getEventName()).isEqualTo("put");
        assertThat(event.getChaincodeId()).isEqualTo("kv");
        assertThat(event.getTxId()).isEqualTo(TestChain.transactionId(withEvent));
        assertThat(event.getPayload().isEmpty()).isTrue();
        assertThat(block.getFilteredTransactions(1).getTransactionActions().getChaincodeActionsList()).isEmpty();
        assertThat(block.getFilteredTransactions(2).getTransactionActions().getChaincodeActionsList()).isEmpty();
    }

    @Test
    void blockAndPrivateDataEventsCarryTheBlockAndAnEmptyMap() {
        chain.commit(chain.plain());
        chain.commit(chain.plain());
        CloseableIterator<BlockAndPrivateData> events = closing(
                network().newBlockAndPrivateDataEventsRequest().startBlock(1).build().getEvents());

        for (long number = 1; number <= 2; number++) {
            BlockAndPrivateData event = events.next();
            assertThat(event.getBlock()).isEqualTo(chain.ledger.block(number).orElseThrow());
            assertThat(event.getPrivateDataMapMap()).isEmpty();
        }
    }

    @Test
    void anUnknownChannelIsNotFoundAndTheServerKeepsServing() {
        CloseableIterator<Block> unknown = closing(gateway.getNetwork("no-such-channel").getBlockEvents());

        assertThatThrownBy(unknown::next).isInstanceOf(NoSuchElementException.class).hasMessageContaining("NOT_FOUND");

        CloseableIterator<Block> blocks = closing(network().newBlockEventsRequest().startBlock(0).build().getEvents());
        assertThat(blocks.next().getHeader().getNumber()).isZero();
    }

    @Test
    void anIdentityFromAForeignCaIsForbidden() {
        CryptoMaterial.Member foreigner = impostor.organization("Org1MSP").users().get(1);
        // The TLS connection is a channel member's; only the signing identity is foreign.
        try (Gateway foreign = TestEventServer.gateway(connection, foreigner).connect()) {
            CloseableIterator<Block> blocks = closing(foreign.getNetwork(SampleChannel.CHANNEL).getBlockEvents());
            assertThatThrownBy(blocks::next).isInstanceOf(NoSuchElementException.class).hasMessageContaining("FORBIDDEN");
        }
        assertThat(chain.feed.subscriptions()).isZero();
    }

    @Test
    void closingTheClientIteratorReleasesTheServerSubscription() {
        CloseableIterator<Block> blocks = network().newBlockEventsRequest().startBlock(0).build().getEvents();
        assertThat(blocks.next().getHeader().getNumber()).isZero();
        assertThat(chain.feed.subscriptions()).isEqualTo(1);

        blocks.close();

        await().atMost(WAIT).until(() -> chain.feed.subscriptions() == 0);
    }

    @Test
    void aRequiredTlsBindingAcceptsTheRightHashAndRefusesAMissingOrWrongOne() throws Exception {
        try (TestEventServer bound = new TestEventServer(chain, DeliverConfig.defaults().withTlsBindingRequired(true))) {
            ManagedChannel boundConnection = bound.dial(bound.channelClient());
            closeables.add(boundConnection::shutdownNow);
            byte[] rightHash = bound.tls(bound.channelClient()).certificateHash();
            byte[] wrongHash = bound.tls(sample.crypto.organization("Org2MSP").users().get(1)).certificateHash();

            try (Gateway withHash = TestEventServer.gateway(boundConnection, bound.channelClient())
                    .tlsClientCertificateHash(rightHash).connect()) {
                CloseableIterator<Block> blocks = closing(withHash.getNetwork(SampleChannel.CHANNEL)
                        .newBlockEventsRequest().startBlock(0).build().getEvents());
                assertThat(blocks.next().getHeader().getNumber()).isZero();
            }
            try (Gateway withoutHash = TestEventServer.gateway(boundConnection, bound.channelClient()).connect()) {
                CloseableIterator<Block> blocks = closing(withoutHash.getNetwork(SampleChannel.CHANNEL).getBlockEvents());
                assertThatThrownBy(blocks::next).hasMessageContaining("FORBIDDEN");
            }
            try (Gateway wrong = TestEventServer.gateway(boundConnection, bound.channelClient())
                    .tlsClientCertificateHash(wrongHash).connect()) {
                CloseableIterator<Block> blocks = closing(wrong.getNetwork(SampleChannel.CHANNEL).getBlockEvents());
                assertThatThrownBy(blocks::next).hasMessageContaining("FORBIDDEN");
            }
        }
    }
}
