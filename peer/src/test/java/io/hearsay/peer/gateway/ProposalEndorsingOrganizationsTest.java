package io.hearsay.peer.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.ledger.Ledger;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.contract.Contracts;
import io.hearsay.peer.endorse.EndorsementCollector;
import io.hearsay.peer.endorse.EndorsementConfig;
import io.hearsay.peer.endorse.EndorserDirectory;
import io.hearsay.peer.endorse.LocalEndorser;
import io.hearsay.peer.endorse.ProposalChecker;
import io.hearsay.peer.endorse.TestChannel;
import io.hearsay.peer.endorse.TestEndorserServer;
import io.hearsay.peer.transport.TlsCredentials;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.hyperledger.fabric.protos.gateway.PreparedTransaction;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code EndorseRequest.endorsing_organizations}, set by the official client's {@code setEndorsingOrganizations}:
 * an Org1 gateway on a channel whose policy needs both organisations endorses with exactly the organisations named
 * (itself, Org2 over real gRPC, or both), and does not second-guess a set that misses the policy — the transaction
 * then fails validation with ENDORSEMENT_POLICY_FAILURE, as in Fabric. A named organisation with no known peer, or
 * whose only peer is down, is UNAVAILABLE with a detail naming it; the gateway keeps serving.
 */
class ProposalEndorsingOrganizationsTest {
    private static final Duration CALL = Duration.ofSeconds(10);

    @TempDir
    static Path directory;
    static TestChannel channel;
    static Ledger org1Ledger;
    static ExecutorService executor;
    static TestEndorserServer org2;
    static EndorsementCollector collector;
    static LoopbackTlsServer server;
    static ManagedChannel connection;
    static Gateway gateway;
    /** Org2's endpoint in the directory: the live server, or a port nobody listens on. */
    static volatile EndorserDirectory.Endpoint org2Endpoint;

    @BeforeAll
    static void start() throws Exception {
        channel = new TestChannel(directory, 2);
        org1Ledger = channel.ledger("org1-peer0");
        executor = Executors.newFixedThreadPool(4);
        org2 = new TestEndorserServer(channel, channel.sample.crypto.organization("Org2MSP").nodes().get(0),
                channel.ledger("org2-peer0"), executor);
        org2Endpoint = org2.endpoint();

        CryptoMaterial.Member org1Peer = channel.sample.crypto.organization("Org1MSP").nodes().get(0);
        TlsCredentials peerTls = TlsCredentials.of(org1Peer, channel.sample.crypto.msps());
        collector = new EndorsementCollector(new LocalEndorser(org1Peer.signingIdentity(), "localhost:7051"),
                mspId -> mspId.equals("Org2MSP") ? List.of(org2Endpoint) : List.of(), peerTls,
                new EndorsementConfig(Duration.ofSeconds(2)), executor);
        ProposalGateway proposals = new ProposalGateway(TestChannel.registry(org1Ledger),
                new ProposalChecker(TestChannel.registry(org1Ledger), Contracts.builtIn(), TimeWindow.defaults()),
                collector, new ProposalTestOrderer(), executor, new ProposalGatewayConfig(Duration.ofMillis(500)));
        server = LoopbackTlsServer.start(peerTls, new GatewayService(proposals, new NoCommits()));

        CryptoMaterial.Member user = channel.sample.crypto.organization("Org1MSP").users().get(1);
        connection = GatewayClients.dial("localhost", server.port(), TlsCredentials.of(user, channel.sample.crypto.msps()));
        gateway = GatewayClients.builder(connection, user, CALL).connect();
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

    @Test
    void withoutNamedOrganisationsThePolicyChoosesBoth() throws Exception {
        Transaction transaction = kv().newProposal("put").addArguments("policy", "both").build().endorse();

        assertThat(endorsers(transaction)).containsExactly("Org1MSP", "Org2MSP");
    }

    @Test
    void onlyTheNamedOrganisationEndorsesAndThePolicyDecidesAtCommit() throws Exception {
        Transaction transaction = kv().newProposal("put").addArguments("only-org1", "org1")
                .setEndorsingOrganizations("Org1MSP").build().endorse();

        assertThat(endorsers(transaction)).containsExactly("Org1MSP");
        assertThat(new String(transaction.getResult(), StandardCharsets.UTF_8)).isEqualTo("org1");
        Envelope signed = signed(transaction);
        assertThat(channel.commit(org1Ledger, signed).validationCodes())
                .containsExactly(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(org1Ledger.state("kv", "only-org1")).as("not applied").isEmpty();
    }

    @Test
    void aNamedRemoteOrganisationEndorsesWithoutThisPeersOwn() throws Exception {
        Transaction transaction = kv().newProposal("put").addArguments("named", "org2")
                .setEndorsingOrganizations("Org2MSP").build().endorse();

        assertThat(endorsers(transaction)).containsExactly("Org2MSP");
    }

    @Test
    void namingEveryOrganisationTheSetSatisfiesThePolicyAndCommitsValid() throws Exception {
        Transaction transaction = kv().newProposal("put").addArguments("both-named", "both")
                .setEndorsingOrganizations("Org2MSP", "Org1MSP").build().endorse();

        assertThat(endorsers(transaction)).containsExactly("Org1MSP", "Org2MSP");
        assertThat(channel.commit(org1Ledger, signed(transaction)).validationCodes())
                .containsExactly(TxValidationCode.VALID);
        assertThat(org1Ledger.state("kv", "both-named").orElseThrow().value().toStringUtf8()).isEqualTo("both");
    }

    @Test
    void anOrganisationWithNoKnownPeerIsUnavailable() throws Exception {
        assertThatThrownBy(() -> kv().newProposal("put").addArguments("named", "org3")
                .setEndorsingOrganizations("Org1MSP", "Org3MSP").build().endorse())
                .isInstanceOfSatisfying(EndorseException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).contains("Org3MSP");
                    assertThat(e.getDetails()).extracting(ErrorDetail::getMspId).containsExactly("Org3MSP");
                });
        assertThat(endorsers(kv().newProposal("put").addArguments("after", "unavailable").build().endorse()))
                .as("the gateway keeps serving").containsExactly("Org1MSP", "Org2MSP");
    }

    @Test
    void anOrganisationWhosePeersAreDownIsUnavailable() throws Exception {
        EndorserDirectory.Endpoint live = org2Endpoint;
        org2Endpoint = new EndorserDirectory.Endpoint("localhost:" + freePort(), live.tlsServerName());
        try {
            assertThatThrownBy(() -> kv().newProposal("put").addArguments("named", "down")
                    .setEndorsingOrganizations("Org2MSP").build().endorse())
                    .isInstanceOfSatisfying(EndorseException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(e.getDetails()).singleElement().satisfies(detail -> {
                            assertThat(detail.getMspId()).isEqualTo("Org2MSP");
                            assertThat(detail.getAddress()).isEqualTo(org2Endpoint.address());
                        });
                    });
        } finally {
            org2Endpoint = live;
        }
    }

    @Test
    void aNamedOrganisationsContractErrorIsStillAborted() {
        assertThatThrownBy(() -> gateway.getNetwork("testchannel").getContract("bank").newProposal("transfer")
                .addArguments("nobody", "someone", "5").setEndorsingOrganizations("Org1MSP").build().endorse())
                .isInstanceOfSatisfying(EndorseException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
    }

    // ---- fixtures ----

    private static Contract kv() {
        return gateway.getNetwork("testchannel").getContract("kv");
    }

    /** The MSP ids of the prepared transaction's endorsements, in their order. */
    private static List<String> endorsers(Transaction transaction) throws Exception {
        Envelope prepared = PreparedTransaction.parseFrom(transaction.getBytes()).getEnvelope();
        var tx = org.hyperledger.fabric.protos.peer.Transaction.parseFrom(Payload.parseFrom(prepared.getPayload()).getData());
        List<Endorsement> endorsements = ChaincodeActionPayload.parseFrom(tx.getActions(0).getPayload())
                .getAction().getEndorsementsList();
        return endorsements.stream().map(e -> {
            try {
                return SerializedIdentity.parseFrom(e.getEndorser()).getMspid();
            } catch (Exception x) {
                throw new AssertionError(x);
            }
        }).toList();
    }

    /** The prepared transaction signed by the client, as Submit would carry it. */
    private static Envelope signed(Transaction transaction) throws Exception {
        Envelope prepared = PreparedTransaction.parseFrom(transaction.getBytes()).getEnvelope();
        CryptoMaterial.Member user = channel.sample.crypto.organization("Org1MSP").users().get(1);
        return prepared.toBuilder().setSignature(com.google.protobuf.ByteString.copyFrom(
                user.signingIdentity().sign(prepared.getPayload().toByteArray()))).build();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The commit half is another component; these tests never reach it. */
    private static final class NoCommits implements CommitHandler {
        @Override
        public void commitStatus(org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest request,
                io.grpc.stub.StreamObserver<org.hyperledger.fabric.protos.gateway.CommitStatusResponse> response) {
            response.onError(Status.UNIMPLEMENTED.asRuntimeException());
        }

        @Override
        public void chaincodeEvents(org.hyperledger.fabric.protos.gateway.SignedChaincodeEventsRequest request,
                io.grpc.stub.StreamObserver<org.hyperledger.fabric.protos.gateway.ChaincodeEventsResponse> response) {
            response.onError(Status.UNIMPLEMENTED.asRuntimeException());
        }
    }
}
