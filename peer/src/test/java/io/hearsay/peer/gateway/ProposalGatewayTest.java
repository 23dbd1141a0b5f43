package io.hearsay.peer.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.hearsay.identity.CryptoGen;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.OrgSpec;
import io.hearsay.ledger.Ledger;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.contract.Contracts;
import io.hearsay.peer.endorse.EndorsementCollector;
import io.hearsay.peer.endorse.EndorsementConfig;
import io.hearsay.peer.endorse.LocalEndorser;
import io.hearsay.peer.endorse.ProposalChecker;
import io.hearsay.peer.endorse.TestChannel;
import io.hearsay.peer.endorse.TestEndorserServer;
import io.hearsay.peer.transport.TlsCredentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.SubmitException;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsResponse;
import org.hyperledger.fabric.protos.gateway.CommitStatusResponse;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.hyperledger.fabric.protos.gateway.EvaluateRequest;
import org.hyperledger.fabric.protos.gateway.GatewayGrpc;
import org.hyperledger.fabric.protos.gateway.PreparedTransaction;
import org.hyperledger.fabric.protos.gateway.ProposedTransaction;
import org.hyperledger.fabric.protos.gateway.SignedChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.SubmitRequest;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Gateway's Evaluate, Endorse and Submit driven by the official Fabric Gateway client (1.10.0) over mutual TLS,
 * against an Org1 peer's real gRPC server whose channel needs both organisations' endorsements: the Org1 peer
 * collects Org2's from a second in-process server over real gRPC. What it proves: the client gets evaluate results
 * and endorse-time results; the prepared transaction is unsigned and, once the client signs it, reaches the
 * orderer and commits VALID with a filled-in chaincode event; contract errors, orderer refusals, bad envelopes and
 * foreign identities come back as gRPC errors with Fabric's codes and details; and the server keeps serving.
 */
class ProposalGatewayTest {
    private static final Duration CALL = Duration.ofSeconds(10);

    @TempDir
    static Path directory;
    static TestChannel channel;
    static Ledger org1Ledger;
    static ExecutorService executor;
    static TestEndorserServer org2;
    static EndorsementCollector collector;
    static ProposalTestOrderer orderer;
    static LoopbackTlsServer server;
    static ManagedChannel connection;
    static Gateway gateway;
    static CryptoMaterial foreign;

    @BeforeAll
    static void start() throws Exception {
        channel = new TestChannel(directory, 2);
        org1Ledger = channel.ledger("org1-peer0");
        executor = Executors.newFixedThreadPool(4);
        org2 = new TestEndorserServer(channel, channel.sample.crypto.organization("Org2MSP").nodes().get(0),
                channel.ledger("org2-peer0"), executor);

        CryptoMaterial.Member org1Peer = channel.sample.crypto.organization("Org1MSP").nodes().get(0);
        TlsCredentials peerTls = TlsCredentials.of(org1Peer, channel.sample.crypto.msps());
        collector = new EndorsementCollector(new LocalEndorser(org1Peer.signingIdentity(), "localhost:7051"),
                mspId -> mspId.equals("Org2MSP") ? List.of(org2.endpoint()) : List.of(), peerTls,
                EndorsementConfig.defaults(), executor);
        orderer = new ProposalTestOrderer();
        ProposalGateway proposals = new ProposalGateway(TestChannel.registry(org1Ledger),
                new ProposalChecker(TestChannel.registry(org1Ledger), Contracts.builtIn(), TimeWindow.defaults()),
                collector, orderer, executor, new ProposalGatewayConfig(Duration.ofMillis(500)));
        server = LoopbackTlsServer.start(peerTls, new GatewayService(proposals, new UnimplementedCommits()));

        CryptoMaterial.Member user = channel.sample.crypto.organization("Org1MSP").users().get(1);
        connection = GatewayClients.dial("localhost", server.port(), TlsCredentials.of(user, channel.sample.crypto.msps()));
        gateway = connect(user);
        foreign = CryptoGen.withDefaults().generate(directory.resolve("foreign"),
                List.of(OrgSpec.peers("Org3MSP", "org3.example.com", 1)));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        connection.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
        collector.close();
        org2.close();
        executor.shutdownNow();
        channel.close();
    }

    @BeforeEach
    void reset() {
        orderer.behaviour = ProposalTestOrderer.Behaviour.ACCEPT;
        orderer.received.clear();
    }

    @Test
    void evaluateReturnsTheCommittedValue() throws Exception {
        channel.commit(org1Ledger, channel.sample.put("evaluated", "forty-two"));

        byte[] value = gateway.getNetwork("testchannel").getContract("kv").evaluateTransaction("get", "evaluated");

        assertThat(new String(value, StandardCharsets.UTF_8)).isEqualTo("forty-two");
    }

    @Test
    void endorsedBothOrganisationsSubmittedToTheOrdererAndCommitsValid() throws Exception {
        Transaction transaction = gateway.getNetwork("testchannel").getContract("kv")
                .newProposal("put").addArguments("colour", "blue").build().endorse();
        assertThat(new String(transaction.getResult(), StandardCharsets.UTF_8)).isEqualTo("blue");

        transaction.submitAsync();

        await().atMost(CALL).until(() -> orderer.received.size() == 1);
        Envelope submitted = orderer.received.get(0);
        assertThat(submitted.getSignature().isEmpty()).as("the client signed it").isFalse();
        ChaincodeAction action = action(submitted);
        assertThat(ChaincodeEvent.parseFrom(action.getEvents())).satisfies(event -> {
            assertThat(event.getTxId()).isEqualTo(transaction.getTransactionId());
            assertThat(event.getChaincodeId()).isEqualTo("kv");
            assertThat(event.getEventName()).isEqualTo("put");
        });
        assertThat(channel.commit(org1Ledger, submitted).validationCodes()).containsExactly(TxValidationCode.VALID);
        assertThat(org1Ledger.state("kv", "colour").orElseThrow().value().toStringUtf8()).isEqualTo("blue");
    }

    @Test
    void thePreparedTransactionIsUnsignedAndReusesTheProposalHeader() throws Exception {
        var proposal = gateway.getNetwork("testchannel").getContract("kv").newProposal("put").addArguments("p", "q").build();
        ByteString proposalHeader = org.hyperledger.fabric.protos.peer.Proposal.parseFrom(
                ProposedTransaction.parseFrom(proposal.getBytes()).getProposal().getProposalBytes()).getHeader();

        Transaction transaction = proposal.endorse();

        Envelope prepared = PreparedTransaction.parseFrom(transaction.getBytes()).getEnvelope();
        assertThat(prepared.getSignature().isEmpty()).as("left for the client to sign (pitfall P7)").isTrue();
        Payload payload = Payload.parseFrom(prepared.getPayload());
        assertThat(payload.getHeader().toByteString()).isEqualTo(proposalHeader);
        assertThat(action(prepared).getResponse().getPayload().toStringUtf8()).isEqualTo("q");
    }

    @Test
    void anEvaluateErrorIsAGatewayExceptionWithADetail() {
        assertThatThrownBy(() -> gateway.getNetwork("testchannel").getContract("kv").evaluateTransaction("get", "missing"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
                    assertThat(e.getStatus().getDescription()).contains("chaincode response 500, key 'missing' does not exist");
                    assertThat(e.getDetails()).singleElement().satisfies(detail -> {
                        assertThat(detail.getMspId()).isEqualTo("Org1MSP");
                        assertThat(detail.getAddress()).isEqualTo("localhost:7051");
                    });
                });
    }

    @Test
    void anEndorseErrorIsAbortedWithADetail() {
        assertThatThrownBy(() -> gateway.getNetwork("testchannel").getContract("bank")
                .newProposal("transfer").addArguments("nobody", "someone", "5").build().endorse())
                .isInstanceOfSatisfying(EndorseException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
                    assertThat(e.getDetails()).extracting(ErrorDetail::getMessage)
                            .singleElement().asString().contains("account 'nobody' does not exist");
                });
    }

    @Test
    void anUnknownChannelIsNotFound() {
        assertThatThrownBy(() -> gateway.getNetwork("nochannel").getContract("kv").evaluateTransaction("get", "k"))
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void aForeignIdentityIsRefusedAndTheServerKeepsServing() throws Exception {
        try (Gateway outsider = connect(foreign.organization("Org3MSP").admin())) {
            assertThatThrownBy(() -> outsider.getNetwork("testchannel").getContract("kv").evaluateTransaction("get", "k"))
                    .isInstanceOfSatisfying(GatewayException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        }
        channel.commit(org1Ledger, channel.sample.put("still", "serving"));
        assertThat(gateway.getNetwork("testchannel").getContract("kv").evaluateTransaction("get", "still"))
                .asString().isEqualTo("serving");
    }

    @Test
    void ordererRefusalUnreachabilityAndSilenceMapToFabricCodes() throws Exception {
        assertThat(submitFailure(ProposalTestOrderer.Behaviour.REFUSE)).satisfies(e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
            assertThat(e.getStatus().getDescription()).contains("status=BAD_REQUEST");
            assertThat(e.getDetails()).singleElement().satisfies(d -> assertThat(d.getMspId()).isEqualTo("OrdererMSP"));
        });
        assertThat(submitFailure(ProposalTestOrderer.Behaviour.UNREACHABLE).getStatus().getCode())
                .isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(submitFailure(ProposalTestOrderer.Behaviour.SILENT).getStatus().getCode())
                .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }

    @Test
    void submitRefusesAnUnsignedOrWronglySignedEnvelopeBeforeTheOrderer() throws Exception {
        Transaction transaction = gateway.getNetwork("testchannel").getContract("kv")
                .newProposal("put").addArguments("unsigned", "x").build().endorse();
        Envelope prepared = PreparedTransaction.parseFrom(transaction.getBytes()).getEnvelope().toBuilder()
                .clearSignature().build();
        GatewayGrpc.GatewayBlockingStub stub = GatewayGrpc.newBlockingStub(connection);

        assertThatThrownBy(() -> stub.withDeadlineAfter(CALL.toMillis(), TimeUnit.MILLISECONDS)
                .submit(SubmitRequest.newBuilder().setChannelId("testchannel").setPreparedTransaction(prepared).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("prepared transaction must be signed");
                });
        Envelope signedByAPeer = prepared.toBuilder().setSignature(ByteString.copyFrom(
                channel.sample.org2Peer.sign(prepared.getPayload().toByteArray()))).build();
        assertThatThrownBy(() -> stub.withDeadlineAfter(CALL.toMillis(), TimeUnit.MILLISECONDS)
                .submit(SubmitRequest.newBuilder().setChannelId("testchannel").setPreparedTransaction(signedByAPeer).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
                    assertThat(e.getStatus().getDescription()).contains("status=FORBIDDEN");
                });
        assertThat(orderer.received).isEmpty();
    }

    @Test
    void garbageIsInvalidArgumentAndTheServerKeepsServing() throws Exception {
        GatewayGrpc.GatewayBlockingStub stub = GatewayGrpc.newBlockingStub(connection);
        EvaluateRequest garbage = EvaluateRequest.newBuilder()
                .setProposedTransaction(SignedProposal.newBuilder().setProposalBytes(ByteString.copyFromUtf8("junk")))
                .build();

        assertThatThrownBy(() -> stub.withDeadlineAfter(CALL.toMillis(), TimeUnit.MILLISECONDS).evaluate(garbage))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("does not parse");
                });
        assertThatThrownBy(() -> stub.withDeadlineAfter(CALL.toMillis(), TimeUnit.MILLISECONDS)
                .submit(SubmitRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        channel.commit(org1Ledger, channel.sample.put("after-garbage", "fine"));
        assertThat(gateway.getNetwork("testchannel").getContract("kv").evaluateTransaction("get", "after-garbage"))
                .asString().isEqualTo("fine");
    }

    // ---- fixtures ----

    private static SubmitException submitFailure(ProposalTestOrderer.Behaviour behaviour) throws Exception {
        orderer.behaviour = behaviour;
        Transaction transaction = gateway.getNetwork("testchannel").getContract("kv")
                .newProposal("put").addArguments("orderer-" + behaviour, "x").build().endorse();
        try {
            transaction.submitAsync();
        } catch (SubmitException e) {
            return e;
        }
        throw new AssertionError("submit succeeded although the orderer was " + behaviour);
    }

    private static ChaincodeAction action(Envelope envelope) throws Exception {
        Payload payload = Payload.parseFrom(envelope.getPayload());
        var transaction = org.hyperledger.fabric.protos.peer.Transaction.parseFrom(payload.getData());
        var actionPayload = ChaincodeActionPayload.parseFrom(transaction.getActions(0).getPayload());
        var responsePayload = ProposalResponsePayload.parseFrom(actionPayload.getAction().getProposalResponsePayload());
        return ChaincodeAction.parseFrom(responsePayload.getExtension());
    }

    /** The official client as {@code member}, over the shared mutual-TLS connection, with a deadline on every call. */
    private static Gateway connect(CryptoMaterial.Member member) {
        return GatewayClients.builder(connection, member, CALL).connect();
    }

    /** The commit half is another component; these tests never reach it. */
    private static final class UnimplementedCommits implements CommitHandler {
        @Override
        public void commitStatus(SignedCommitStatusRequest request, StreamObserver<CommitStatusResponse> response) {
            response.onError(Status.UNIMPLEMENTED.withDescription("commit status is not part of this test").asRuntimeException());
        }

        @Override
        public void chaincodeEvents(SignedChaincodeEventsRequest request, StreamObserver<ChaincodeEventsResponse> response) {
            response.onError(Status.UNIMPLEMENTED.withDescription("chaincode events are not part of this test").asRuntimeException());
        }
    }
}
