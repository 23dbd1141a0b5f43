package io.hearsay.peer.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.ledger.block.BlockHashing;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.channel.TestChain;
import java.time.Duration;
import java.util.NoSuchElementException;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.peer.BlockAndPrivateData;
import org.hyperledger.fabric.protos.peer.FilteredBlock;
import org.hyperledger.fabric.protos.peer.FilteredTransaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deliver as the official Fabric Gateway client (1.10.0) sees it, over mutual TLS against a real RocksDB ledger:
 * block events replayed from block 0 with the ledger's header hashes and then live, live events from the next
 * commit, filtered blocks (codes, events without payload, only for valid transactions), blocks with (empty)
 * private data; an unknown channel and a foreign identity refused with Fabric's statuses, after which the server
 * keeps serving; a cancelled stream releases its subscription; the TLS binding enforced when configured.
 */
class DeliverEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final EventServerFixture node = EventServerFixture.perTest();

    @Test
    void blockEventsFromZeroReplayTheLedgerThenGoLive() {
        for (int i = 0; i < 3; i++) {
            node.chain().commit(node.chain().plain(), node.chain().withEvent("kv", "put", "k" + i));
        }
        CloseableIterator<Block> blocks = node.closing(node.network().newBlockEventsRequest().startBlock(0).build().getEvents());

        for (long number = 0; number < 4; number++) {
            Block block = blocks.next();
            assertThat(block.getHeader().getNumber()).isEqualTo(number);
            assertThat(BlockHashing.headerHash(block.getHeader()))
                    .isEqualTo(BlockHashing.headerHash(node.chain().ledger.block(number).orElseThrow().getHeader()));
            assertThat(block).isEqualTo(node.chain().ledger.block(number).orElseThrow());
        }
        Block live = node.chain().commit(node.chain().plain());
        Block received = blocks.next();
        assertThat(received.getHeader().getNumber()).isEqualTo(4);
        assertThat(received).isEqualTo(live);
    }

    @Test
    void blockEventsByDefaultStartAtTheNextCommit() {
        node.chain().commit(node.chain().plain());
        CloseableIterator<Block> blocks = node.closing(node.network().getBlockEvents());
        // "Next commit" is resolved when the node.server() handles the request (pitfall P14): wait until it has.
        await().atMost(WAIT).until(() -> node.chain().feed.subscriptions() == 1);

        node.chain().commit(node.chain().plain());
        node.chain().commit(node.chain().plain());

        assertThat(blocks.next().getHeader().getNumber()).isEqualTo(2);
        assertThat(blocks.next().getHeader().getNumber()).isEqualTo(3);
    }

    @Test
    void filteredBlocksCarryCodesAndEventsWithoutPayloadOnlyForValidTransactions() {
        Envelope withEvent = node.chain().withEvent("kv", "put", "secret-payload");
        Envelope conflicting = node.chain().conflictingWithEvent("kv", "put", "never");
        Envelope plain = node.chain().plain();
        node.chain().commit(withEvent, conflicting, plain);

        CloseableIterator<FilteredBlock> blocks = node.closing(node.network().newFilteredBlockEventsRequest().startBlock(1).build().getEvents());
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
        node.chain().commit(node.chain().plain());
        node.chain().commit(node.chain().plain());
        CloseableIterator<BlockAndPrivateData> events = node.closing(
                node.network().newBlockAndPrivateDataEventsRequest().startBlock(1).build().getEvents());

        for (long number = 1; number <= 2; number++) {
            BlockAndPrivateData event = events.next();
            assertThat(event.getBlock()).isEqualTo(node.chain().ledger.block(number).orElseThrow());
            assertThat(event.getPrivateDataMapMap()).isEmpty();
        }
    }

    @Test
    void anUnknownChannelIsNotFoundAndTheServerKeepsServing() {
        CloseableIterator<Block> unknown = node.closing(node.gateway().getNetwork("no-such-channel").getBlockEvents());

        assertThatThrownBy(unknown::next).isInstanceOf(NoSuchElementException.class).hasMessageContaining("NOT_FOUND");

        CloseableIterator<Block> blocks = node.closing(node.network().newBlockEventsRequest().startBlock(0).build().getEvents());
        assertThat(blocks.next().getHeader().getNumber()).isZero();
    }

    @Test
    void anIdentityFromAForeignCaIsForbidden() {
        CryptoMaterial.Member foreigner = node.foreigner();
        // The TLS node.connection() is a channel member's; only the signing identity is foreign.
        try (Gateway foreign = TestEventServer.gateway(node.connection(), foreigner).connect()) {
            CloseableIterator<Block> blocks = node.closing(foreign.getNetwork(SampleChannel.CHANNEL).getBlockEvents());
            assertThatThrownBy(blocks::next).isInstanceOf(NoSuchElementException.class).hasMessageContaining("FORBIDDEN");
        }
        assertThat(node.chain().feed.subscriptions()).isZero();
    }

    @Test
    void closingTheClientIteratorReleasesTheServerSubscription() {
        CloseableIterator<Block> blocks = node.network().newBlockEventsRequest().startBlock(0).build().getEvents();
        assertThat(blocks.next().getHeader().getNumber()).isZero();
        assertThat(node.chain().feed.subscriptions()).isEqualTo(1);

        blocks.close();

        await().atMost(WAIT).until(() -> node.chain().feed.subscriptions() == 0);
    }

    @Test
    void aRequiredTlsBindingAcceptsTheRightHashAndRefusesAMissingOrWrongOne() throws Exception {
        try (TestEventServer bound = new TestEventServer(node.chain(), DeliverConfig.defaults().withTlsBindingRequired(true))) {
            ManagedChannel boundConnection = bound.dial(bound.channelClient());
            node.closeLater(boundConnection::shutdownNow);
            byte[] rightHash = bound.tls(bound.channelClient()).certificateHash();
            byte[] wrongHash = bound.tls(node.sample().crypto.organization("Org2MSP").users().get(1)).certificateHash();

            try (Gateway withHash = TestEventServer.gateway(boundConnection, bound.channelClient())
                    .tlsClientCertificateHash(rightHash).connect()) {
                CloseableIterator<Block> blocks = node.closing(withHash.getNetwork(SampleChannel.CHANNEL)
                        .newBlockEventsRequest().startBlock(0).build().getEvents());
                assertThat(blocks.next().getHeader().getNumber()).isZero();
            }
            try (Gateway withoutHash = TestEventServer.gateway(boundConnection, bound.channelClient()).connect()) {
                CloseableIterator<Block> blocks = node.closing(withoutHash.getNetwork(SampleChannel.CHANNEL).getBlockEvents());
                assertThatThrownBy(blocks::next).hasMessageContaining("FORBIDDEN");
            }
            try (Gateway wrong = TestEventServer.gateway(boundConnection, bound.channelClient())
                    .tlsClientCertificateHash(wrongHash).connect()) {
                CloseableIterator<Block> blocks = node.closing(wrong.getNetwork(SampleChannel.CHANNEL).getBlockEvents());
                assertThatThrownBy(blocks::next).hasMessageContaining("FORBIDDEN");
            }
        }
    }
}
