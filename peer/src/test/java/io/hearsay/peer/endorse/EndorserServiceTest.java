package io.hearsay.peer.endorse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.Identity;
import io.hearsay.peer.transport.TlsCredentials;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fabric's {@code Endorser/ProcessProposal} on a real mutual-TLS server, as another organisation's gateway peer
 * calls it: a good proposal is endorsed by this peer's identity; a bad one is a gRPC error with the check's code;
 * a contract error is Fabric's status-500 response without endorsement; and the server keeps serving.
 */
class EndorserServiceTest {
    @TempDir
    Path directory;
    private TestChannel channel;
    private ExecutorService executor;
    private TestEndorserServer server;
    private ManagedChannel connection;
    private EndorserGrpc.EndorserBlockingStub stub;

    @BeforeEach
    void start() {
        channel = new TestChannel(directory, 2);
        executor = Executors.newFixedThreadPool(2);
        server = new TestEndorserServer(channel, channel.sample.crypto.organization("Org2MSP").nodes().get(0),
                channel.ledger("org2-peer0"), executor);
        CryptoMaterial.Member caller = channel.sample.crypto.organization("Org1MSP").nodes().get(0);
        connection = NettyChannelBuilder.forTarget(server.endpoint().address())
                .sslContext(TlsCredentials.of(caller, channel.sample.crypto.msps()).clientContext())
                .overrideAuthority(server.endpoint().tlsServerName())
                .build();
        stub = EndorserGrpc.newBlockingStub(connection);
    }

    @AfterEach
    void stop() throws Exception {
        connection.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
        executor.shutdownNow();
        channel.close();
    }

    @Test
    void aGoodProposalIsEndorsedByThisPeer() {
        ProposalResponse response = call(TestProposals.by(channel.sample.client).call("kv", "put", "k", "v").build());

        assertThat(response.getResponse().getStatus()).isEqualTo(200);
        assertThat(response.getResponse().getPayload().toStringUtf8()).isEqualTo("v");
        assertThat(Identity.parse(response.getEndorsement().getEndorser()).mspId()).isEqualTo("Org2MSP");
    }

    @Test
    void aBadProposalIsAGrpcErrorAndTheServerKeepsServing() {
        SignedProposal forged = TestProposals.by(channel.sample.client).signedBy(channel.sample.org1Peer).build();
        assertThatThrownBy(() -> call(forged)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        SignedProposal garbage = SignedProposal.newBuilder().setProposalBytes(ByteString.copyFromUtf8("junk")).build();
        assertThatThrownBy(() -> call(garbage)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));

        assertThat(call(TestProposals.by(channel.sample.client).call("kv", "put", "k", "v").build())
                .getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void aContractErrorIsAStatus500ResponseWithoutEndorsement() {
        ProposalResponse response = call(TestProposals.by(channel.sample.client).call("kv", "get", "missing").build());

        assertThat(response.getResponse().getStatus()).isEqualTo(500);
        assertThat(response.getResponse().getMessage()).contains("'missing' does not exist");
        assertThat(response.hasEndorsement()).isFalse();
    }

    private ProposalResponse call(SignedProposal proposal) {
        return stub.withDeadlineAfter(10, TimeUnit.SECONDS).processProposal(proposal);
    }
}
