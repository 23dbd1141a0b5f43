package io.hearsay.peer.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hearsay.identity.CryptoGen;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.OrgSpec;
import io.hearsay.ledger.block.BlockHashing;
import io.hearsay.ledger.sample.SampleChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.CommitException;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.Checkpointer;
import org.hyperledger.fabric.client.InMemoryCheckpointer;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's acceptance: the official Fabric Gateway client (1.10.0), unchanged, against a two-organisation network of
 * our nodes over mutual TLS — submit through one organisation's peer, commit status, evaluation, block and chaincode
 * events on the other organisation's, an MVCC conflict, Fabric's error codes, and a foreign identity refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayAcceptanceTest {
    @TempDir
    static Path directory;

    private NodeNetwork network;
    private Gateway org1;
    private Gateway org2;
    private Gateway org1AtOrg2;

    @BeforeAll
    void start() throws Exception {
        network = new NodeNetwork(directory, 2);
        org1 = network.gateway(network.peer("Org1MSP", 0), "Org1MSP");
        // Org2's client talks to a peer that does not lead: everything it sees came by gossip.
        org2 = network.gateway(network.peer("Org2MSP", 1), "Org2MSP");
        org1AtOrg2 = network.gateway(network.peer("Org2MSP", 1), "Org1MSP");
    }

    @AfterAll
    void stop() {
        if (org1 != null) {
            org1.close();
        }
        if (org2 != null) {
            org2.close();
        }
        if (org1AtOrg2 != null) {
            org1AtOrg2.close();
        }
        if (network != null) {
            network.close();
        }
    }

    private static Contract kv(Gateway gateway) {
        return gateway.getNetwork(SampleChannel.CHANNEL).getContract("kv");
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void aTransactionSubmittedThroughOneOrganisationCommitsOnTheOthersPeer() throws Exception {
        SubmittedTransaction submitted = kv(org1).newProposal("put").addArguments("colour", "blue").build()
                .endorse().submitAsync();
        assertThat(utf8(submitted.getResult())).isEqualTo("blue");

        // Org1's client asks Org2's non-leading peer, which answers once it has committed the block itself.
        Status status = org1AtOrg2.newCommit(submitted.getBytes()).getStatus();
        assertThat(status.isSuccessful()).isTrue();
        assertThat(status.getCode()).isEqualTo(TxValidationCode.VALID);
        assertThat(status.getBlockNumber()).isPositive();
        assertThat(network.peer("Org2MSP", 1).ledger(SampleChannel.CHANNEL).height()).isGreaterThan(status.getBlockNumber());

        assertThat(utf8(kv(org2).evaluateTransaction("get", "colour"))).isEqualTo("blue");
        assertThat(utf8(kv(org1).evaluateTransaction("get", "colour"))).isEqualTo("blue");
    }

    @Test
    void blockEventsFromZeroReplayTheSameHeadersOnEveryPeer() throws Exception {
        kv(org1).submitTransaction("put", "replayed", "yes");
        long height = network.peer("Org1MSP", 0).ledger(SampleChannel.CHANNEL).height();
        awaitEveryPeerAtHeightOf(network.peer("Org1MSP", 0));
        List<String> org1Headers = headers(org1, height);
        List<String> org2Headers = headers(org2, height);
        assertThat(org1Headers).hasSize((int) height).isEqualTo(org2Headers);
    }

    @Test
    void blockEventsNeedTheTlsCertificateHashAsFabricAsksUnderMutualTls() throws Exception {
        PeerNode peer = network.peer("Org2MSP", 1);
        // The same client identity and TLS certificate as org2: only the missing hash differs.
        try (Gateway unbound = network.gatewayWithoutTlsBinding(peer, "Org2MSP")) {
            Network channel = unbound.getNetwork(SampleChannel.CHANNEL);
            for (CloseableIterator<?> events : List.of(
                    channel.newBlockEventsRequest().startBlock(0).build().getEvents(),
                    channel.newFilteredBlockEventsRequest().startBlock(0).build().getEvents(),
                    channel.newBlockAndPrivateDataEventsRequest().startBlock(0).build().getEvents())) {
                try (events) {
                    assertThatThrownBy(events::next).isInstanceOf(NoSuchElementException.class)
                            .hasMessageContaining("FORBIDDEN");
                }
            }
            // Calls other than Deliver do not carry the binding and still work for this client.
            assertThat(utf8(unbound.getNetwork(SampleChannel.CHANNEL).getContract("bank").evaluateTransaction("total")))
                    .isNotEmpty();
        }
        // The same client with the hash streams from the same peer.
        assertThat(headers(org2, 1)).hasSize(1);
    }

    private static List<String> headers(Gateway gateway, long count) {
        List<String> hashes = new ArrayList<>();
        try (CloseableIterator<Block> blocks = gateway.getNetwork(SampleChannel.CHANNEL).newBlockEventsRequest()
                .startBlock(0).build().getEvents(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))) {
            while (hashes.size() < count) {
                Block block = blocks.next();
                assertThat(block.getHeader().getNumber()).isEqualTo(hashes.size());
                hashes.add(HexFormat.of().formatHex(BlockHashing.headerHash(block.getHeader())));
            }
        }
        return hashes;
    }

    @Test
    void chaincodeEventsArriveReplayedLiveAndResumedFromACheckpoint() throws Exception {
        Network channel = org2.getNetwork(SampleChannel.CHANNEL);
        SubmittedTransaction first = kv(org1).newProposal("put").addArguments("event-1", "a").build().endorse().submitAsync();
        long firstBlock = first.getStatus().getBlockNumber();

        // Replayed from the block that holds the first event, then live: the second event is submitted while reading.
        try (CloseableIterator<ChaincodeEvent> events = channel.newChaincodeEventsRequest("kv").startBlock(firstBlock)
                .build().getEvents(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))) {
            ChaincodeEvent replayed = events.next();
            assertThat(replayed.getTransactionId()).isEqualTo(first.getTransactionId());
            assertThat(replayed.getEventName()).isEqualTo("put");
            assertThat(utf8(replayed.getPayload())).isEqualTo("event-1");
            assertThat(replayed.getBlockNumber()).isEqualTo(firstBlock);

            SubmittedTransaction second = kv(org1).newProposal("put").addArguments("event-2", "b").build().endorse()
                    .submitAsync();
            ChaincodeEvent live = events.next();
            assertThat(live.getTransactionId()).isEqualTo(second.getTransactionId());
            assertThat(utf8(live.getPayload())).isEqualTo("event-2");
        }

        // Resumed from a checkpoint taken after the first event: the next event is the second, not the first again.
        Checkpointer checkpoint = new InMemoryCheckpointer();
        checkpoint.checkpointChaincodeEvent(chaincodeEventAt(channel, firstBlock, first.getTransactionId()));
        try (CloseableIterator<ChaincodeEvent> events = channel.newChaincodeEventsRequest("kv").checkpoint(checkpoint)
                .build().getEvents(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))) {
            assertThat(utf8(events.next().getPayload())).isEqualTo("event-2");
        }
    }

    private static ChaincodeEvent chaincodeEventAt(Network channel, long block, String transactionId) {
        try (CloseableIterator<ChaincodeEvent> events = channel.newChaincodeEventsRequest("kv").startBlock(block)
                .build().getEvents(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))) {
            while (true) {
                ChaincodeEvent event = events.next();
                if (event.getTransactionId().equals(transactionId)) {
                    return event;
                }
            }
        }
    }

    @Test
    void twoTransactionsEndorsedOnTheSameStateConflict() throws Exception {
        kv(org1).submitTransaction("put", "contested", "0");
        // Endorsers must simulate on the same state, or their results differ and endorsement fails (as in Fabric).
        awaitEveryPeerAtHeightOf(network.peer("Org1MSP", 0));
        var first = kv(org1).newProposal("put").addArguments("contested", "1").build().endorse();
        var second = kv(org2).newProposal("put").addArguments("contested", "2").build().endorse();
        first.submit();
        assertThatThrownBy(second::submit).isInstanceOfSatisfying(CommitException.class, e ->
                assertThat(e.getCode()).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT));
        assertThat(utf8(kv(org2).evaluateTransaction("get", "contested"))).isEqualTo("1");
    }

    private void awaitEveryPeerAtHeightOf(PeerNode reference) {
        long height = reference.ledger(SampleChannel.CHANNEL).height();
        await().atMost(Duration.ofSeconds(20)).until(() -> network.peers().stream()
                .allMatch(p -> p.ledger(SampleChannel.CHANNEL).height() >= height));
    }

    @Test
    void aContractErrorCarriesFabricsCodeAndDetails() {
        assertThatThrownBy(() -> kv(org2).evaluateTransaction("get", "no-such-key"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNKNOWN);
                    assertThat(e.getDetails()).extracting(ErrorDetail::getMspId).contains("Org2MSP");
                });
    }

    @Test
    void anIdentityFromAnOrganisationTheChannelDoesNotKnowIsRefused() throws Exception {
        CryptoMaterial foreign = new CryptoGen(new SecureRandom(), Instant.now().minusSeconds(60), Duration.ofDays(1))
                .generate(directory.resolve("foreign"), List.of(OrgSpec.peers("Org3MSP", "org3.example.com", 1)));
        CryptoMaterial.Member stranger = foreign.organization("Org3MSP").users().get(1);
        // Its TLS connection is Org1's client's (a foreign TLS CA fails the handshake before any request).
        try (Gateway gateway = network.gateway(network.peer("Org1MSP", 0), stranger, network.client("Org1MSP"))) {
            assertThatThrownBy(() -> kv(gateway).evaluateTransaction("get", "colour"))
                    .isInstanceOfSatisfying(GatewayException.class, e ->
                            assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED));
        }
    }

    @Test
    void eachChannelHasItsOwnLedger() throws Exception {
        Contract second = org1.getNetwork(NodeNetwork.SECOND_CHANNEL).getContract("kv");
        SubmittedTransaction submitted = second.newProposal("put").addArguments("only-on-second", "x").build()
                .endorse().submitAsync();
        assertThat(org1AtOrg2.newCommit(submitted.getBytes()).getStatus().isSuccessful()).isTrue();
        assertThat(utf8(org2.getNetwork(NodeNetwork.SECOND_CHANNEL).getContract("kv")
                .evaluateTransaction("get", "only-on-second"))).isEqualTo("x");
        assertThatThrownBy(() -> kv(org2).evaluateTransaction("get", "only-on-second")).isInstanceOf(GatewayException.class);
    }
}
