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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Commit;
import org.hyperledger.fabric.client.CommitStatusException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.gateway.CommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.GatewayGrpc;
import org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CommitStatus through the official Fabric Gateway client over mutual TLS: the answer comes only once the block
 * holding the transaction is committed on this peer's ledger (never a default "VALID in block 0"), carries the
 * validation code of an invalid transaction, and a client's deadline drops the server's waiter; malformed
 * requests, an unknown channel and a foreign identity get Fabric's codes.
 */
class CommitStatusTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final EventServerFixture node = EventServerFixture.perTest();

    private static Commit commit(Gateway client, CryptoMaterial.Member signer, String channelId, String transactionId) {
        CommitStatusRequest request = CommitStatusRequest.newBuilder()
                .setChannelId(channelId)
                .setTransactionId(transactionId)
                .setIdentity(signer.signingIdentity().identity().serialized())
                .build();
        // Unsigned: the client signs it with its own signer, as it does for a commit it submitted itself.
        return client.newCommit(SignedCommitStatusRequest.newBuilder().setRequest(request.toByteString()).build().toByteArray());
    }

    private Commit commit(String transactionId) {
        return commit(node.gateway(), node.server().channelClient(), SampleChannel.CHANNEL, transactionId);
    }

    @Test
    void answersOnlyAfterTheBlockHoldingTheTransactionCommits() throws Exception {
        Envelope transaction = node.chain().plain();
        Commit commit = commit(TestChain.transactionId(transaction));
        CompletableFuture<Status> status = CompletableFuture.supplyAsync(() -> {
            try {
                return commit.getStatus();
            } catch (CommitStatusException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(WAIT).until(() -> node.chain().feed.pendingWaiters() == 1);
        node.chain().commit(node.chain().plain()); // another block first: still no answer
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3)).until(() -> !status.isDone());

        node.chain().commit(node.chain().plain(), transaction);

        Status result = status.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(result.getCode()).isEqualTo(TxValidationCode.VALID);
        assertThat(result.getBlockNumber()).isEqualTo(2);
        assertThat(result.isSuccessful()).isTrue();
        assertThat(result.getTransactionId()).isEqualTo(TestChain.transactionId(transaction));
        // The waiter leaves the feed just after the answer went out.
        await().atMost(WAIT).until(() -> node.chain().feed.pendingWaiters() == 0);
    }

    @Test
    void anInvalidTransactionReportsItsValidationCode() throws Exception {
        Envelope conflicting = node.chain().conflictingWithEvent("kv", "put", "x");
        node.chain().commit(node.chain().plain());
        node.chain().commit(conflicting);

        Status result = commit(TestChain.transactionId(conflicting)).getStatus();

        assertThat(result.getCode()).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
        assertThat(result.getBlockNumber()).isEqualTo(2);
        assertThat(result.isSuccessful()).isFalse();
    }

    @Test
    void theClientsDeadlineDropsTheWaiter() {
        Commit commit = commit("a-transaction-that-never-commits");

        assertThatThrownBy(() -> commit.getStatus(options -> options.withDeadlineAfter(300, TimeUnit.MILLISECONDS)))
                .isInstanceOf(CommitStatusException.class)
                .satisfies(e -> assertThat(((CommitStatusException) e).getStatus().getCode())
                        .isEqualTo(io.grpc.Status.Code.DEADLINE_EXCEEDED));
        await().atMost(WAIT).until(() -> node.chain().feed.pendingWaiters() == 0);
    }

    @Test
    void anUnknownChannelIsNotFound() {
        Commit commit = commit(node.gateway(), node.server().channelClient(), "no-such-channel", "tx");

        assertThatThrownBy(commit::getStatus).isInstanceOf(CommitStatusException.class)
                .satisfies(e -> assertThat(((CommitStatusException) e).getStatus().getCode())
                        .isEqualTo(io.grpc.Status.Code.NOT_FOUND));
    }

    @Test
    void anIdentityFromAForeignCaIsPermissionDenied() {
        CryptoMaterial.Member foreigner = node.foreigner();
        try (Gateway foreign = TestEventServer.gateway(node.connection(), foreigner).connect()) {
            Commit commit = commit(foreign, foreigner, SampleChannel.CHANNEL, "tx");

            assertThatThrownBy(commit::getStatus).isInstanceOf(CommitStatusException.class)
                    .satisfies(e -> assertThat(((CommitStatusException) e).getStatus().getCode())
                            .isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED));
        }
        assertThat(node.chain().feed.pendingWaiters()).isZero();
    }

    @Test
    void malformedRequestsAreInvalidArguments() {
        GatewayGrpc.GatewayBlockingStub stub = GatewayGrpc.newBlockingStub(node.connection());
        List<SignedCommitStatusRequest> malformed = List.of(
                SignedCommitStatusRequest.getDefaultInstance(),
                SignedCommitStatusRequest.newBuilder().setRequest(ByteString.copyFromUtf8("not a request")).build(),
                SignedCommitStatusRequest.newBuilder().setRequest(CommitStatusRequest.newBuilder()
                        .setChannelId(SampleChannel.CHANNEL).setTransactionId("tx").build().toByteString()).build());
        for (SignedCommitStatusRequest request : malformed) {
            assertThatThrownBy(() -> stub.withDeadlineAfter(10, TimeUnit.SECONDS).commitStatus(request))
                    .isInstanceOf(StatusRuntimeException.class)
                    .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
                            .isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT));
        }
        assertThat(node.chain().feed.pendingWaiters()).isZero();
    }
}
