package io.hearsay.peer.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.channel.TestChain;
import io.hearsay.peer.deliver.EventServerFixture;
import io.hearsay.peer.deliver.TestEventServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayRuntimeException;
import org.hyperledger.fabric.client.InMemoryCheckpointer;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsResponse;
import org.hyperledger.fabric.protos.gateway.GatewayGrpc;
import org.hyperledger.fabric.protos.gateway.SignedChaincodeEventsRequest;
import org.hyperledger.fabric.protos.orderer.SeekOldest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ChaincodeEvents through the official Fabric Gateway client over mutual TLS, from blocks committed into a real
 * RocksDB ledger: events replayed from a block (only the chaincode's, only from VALID transactions, in transaction
 * order, each with its block number and tx id), live from the next commit, resumed from a checkpoint inside a
 * block; an unknown channel, a foreign identity and a bad start position refused with Fabric's codes; closing the
 * client's iterator releases the server's subscription.
 */
class ChaincodeEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final EventServerFixture node = EventServerFixture.perTest();

    private static String payload(ChaincodeEvent event) {
        return new String(event.getPayload(), StandardCharsets.UTF_8);
    }

    @Test
    void eventsAreReplayedFromABlockOnlyFromValidTransactionsOfTheChaincodeInOrder() {
        node.chain().commit(node.chain().withEvent("kv", "put", "before")); // block 1, before the start
        Envelope a = node.chain().withEvent("kv", "put", "a");
        node.chain().commit(a, node.chain().withEvent("bank", "transfer", "other chaincode"),
                node.chain().conflictingWithEvent("kv", "put", "invalid")); // block 2
        node.chain().commit(node.chain().plain()); // block 3: no event
        Envelope c = node.chain().withEvent("kv", "put", "c");
        Envelope d = node.chain().withEvent("kv", "del", "d");
        node.chain().commit(c, d); // block 4

        Iterator<ChaincodeEvent> events = node.closing(node.network().newChaincodeEventsRequest("kv").startBlock(2).build().getEvents());

        ChaincodeEvent first = events.next();
        assertThat(first.getBlockNumber()).isEqualTo(2);
        assertThat(first.getTransactionId()).isEqualTo(TestChain.transactionId(a));
        assertThat(first.getChaincodeName()).isEqualTo("kv");
        assertThat(first.getEventName()).isEqualTo("put");
        assertThat(payload(first)).isEqualTo("a");
        ChaincodeEvent second = events.next();
        ChaincodeEvent third = events.next();
        assertThat(List.of(payload(second), payload(third))).containsExactly("c", "d");
        assertThat(List.of(second.getBlockNumber(), third.getBlockNumber())).containsExactly(4L, 4L);
        assertThat(third.getTransactionId()).isEqualTo(TestChain.transactionId(d));
        assertThat(third.getEventName()).isEqualTo("del");
    }

    @Test
    void eventsArriveLiveFromTheNextCommit() {
        node.chain().commit(node.chain().withEvent("kv", "put", "old"));
        Iterator<ChaincodeEvent> events = node.closing(node.network().getChaincodeEvents("kv"));
        // "Next commit" is the height when the node.server() handles the request (pitfall P14): wait until it has.
        await().atMost(WAIT).until(() -> node.chain().feed.subscriptions() == 1);

        node.chain().commit(node.chain().withEvent("kv", "put", "new"));

        ChaincodeEvent event = events.next();
        assertThat(payload(event)).isEqualTo("new");
        assertThat(event.getBlockNumber()).isEqualTo(2);
    }

    @Test
    void aStreamCaughtUpWithTheLedgerContinuesLive() {
        node.chain().commit(node.chain().withEvent("kv", "put", "replayed"));
        Iterator<ChaincodeEvent> events = node.closing(node.network().newChaincodeEventsRequest("kv").startBlock(0).build().getEvents());
        assertThat(payload(events.next())).isEqualTo("replayed");

        node.chain().commit(node.chain().plain());
        node.chain().commit(node.chain().withEvent("kv", "put", "live"));

        ChaincodeEvent live = events.next();
        assertThat(payload(live)).isEqualTo("live");
        assertThat(live.getBlockNumber()).isEqualTo(3);
    }

    @Test
    void aCheckpointResumesAfterTheLastEventSeenInsideItsBlock() {
        node.chain().commit(node.chain().withEvent("kv", "put", "e1"), node.chain().withEvent("kv", "put", "e2")); // block 1
        node.chain().commit(node.chain().withEvent("kv", "put", "e3")); // block 2
        InMemoryCheckpointer checkpointer = new InMemoryCheckpointer();

        CloseableIterator<ChaincodeEvent> first = node.network().newChaincodeEventsRequest("kv").startBlock(1).build().getEvents();
        ChaincodeEvent e1 = first.next();
        assertThat(payload(e1)).isEqualTo("e1");
        checkpointer.checkpointChaincodeEvent(e1);
        first.close();

        Iterator<ChaincodeEvent> resumed = node.closing(node.network().newChaincodeEventsRequest("kv")
                .checkpoint(checkpointer).build().getEvents());
        assertThat(payload(resumed.next())).isEqualTo("e2");
        assertThat(payload(resumed.next())).isEqualTo("e3");
    }

    @Test
    void closingTheIteratorReleasesTheServerSubscription() {
        CloseableIterator<ChaincodeEvent> events = node.network().getChaincodeEvents("kv");
        await().atMost(WAIT).until(() -> node.chain().feed.subscriptions() == 1);

        events.close();

        await().atMost(WAIT).until(() -> node.chain().feed.subscriptions() == 0);
    }

    @Test
    void anUnknownChannelIsNotFound() {
        Iterator<ChaincodeEvent> events = node.closing(node.gateway().getNetwork("no-such-channel").getChaincodeEvents("kv"));

        assertThatThrownBy(events::hasNext).isInstanceOf(GatewayRuntimeException.class)
                .satisfies(e -> assertThat(((GatewayRuntimeException) e).getStatus().getCode())
                        .isEqualTo(io.grpc.Status.Code.NOT_FOUND));
    }

    @Test
    void anIdentityFromAForeignCaIsPermissionDenied() {
        CryptoMaterial.Member foreigner = node.foreigner();
        try (Gateway foreign = TestEventServer.gateway(node.connection(), foreigner).connect()) {
            Iterator<ChaincodeEvent> events = node.closing(foreign.getNetwork(SampleChannel.CHANNEL).getChaincodeEvents("kv"));

            assertThatThrownBy(events::hasNext).isInstanceOf(GatewayRuntimeException.class)
                    .satisfies(e -> assertThat(((GatewayRuntimeException) e).getStatus().getCode())
                            .isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED));
        }
        assertThat(node.chain().feed.subscriptions()).isZero();
    }

    @Test
    void malformedRequestsAndOldestOrNewestStartsAreInvalidArguments() {
        GatewayGrpc.GatewayBlockingStub stub = GatewayGrpc.newBlockingStub(node.connection());
        ByteString identity = node.server().channelClient().signingIdentity().identity().serialized();
        ChaincodeEventsRequest oldest = ChaincodeEventsRequest.newBuilder()
                .setChannelId(SampleChannel.CHANNEL).setChaincodeId("kv").setIdentity(identity)
                .setStartPosition(SeekPosition.newBuilder().setOldest(SeekOldest.getDefaultInstance()))
                .build();
        List<SignedChaincodeEventsRequest> malformed = List.of(
                SignedChaincodeEventsRequest.getDefaultInstance(),
                SignedChaincodeEventsRequest.newBuilder().setRequest(ByteString.copyFromUtf8("garbage")).build(),
                SignedChaincodeEventsRequest.newBuilder().setRequest(oldest.toBuilder().clearChaincodeId().build().toByteString()).build(),
                SignedChaincodeEventsRequest.newBuilder().setRequest(oldest.toByteString()).build());
        for (SignedChaincodeEventsRequest request : malformed) {
            Iterator<ChaincodeEventsResponse> responses = stub.withDeadlineAfter(10, TimeUnit.SECONDS).chaincodeEvents(request);
            assertThatThrownBy(responses::hasNext).isInstanceOf(StatusRuntimeException.class)
                    .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
                            .isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT));
        }
        assertThat(node.chain().feed.subscriptions()).isZero();
    }
}
