package io.hearsay.peer.endorse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.hearsay.ledger.block.EndorserTransactions;
import io.hearsay.ledger.sample.SampleChannel;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import io.hearsay.identity.CryptoGen;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.OrgSpec;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.contract.Contracts;
import io.hearsay.peer.endorse.ProposalRejectedException.Reason;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proposal checklist of the reference's section 3, one test per refusal: each bad proposal is refused with
 * its typed reason, the gRPC code Fabric's gateway uses, and a message saying what is wrong; a good one passes
 * with its raw header bytes kept.
 */
class ProposalCheckerTest {
    @TempDir
    static Path directory;
    static TestChannel channel;
    static ProposalChecker checker;
    static SigningIdentity client;
    static CryptoMaterial foreign;
    static CryptoMaterial impostor;

    @BeforeAll
    static void setUp() {
        channel = new TestChannel(directory, 1);
        checker = new ProposalChecker(TestChannel.registry(channel.ledger("peer0")), Contracts.builtIn(),
                TimeWindow.defaults());
        client = channel.sample.client;
        CryptoGen generator = CryptoGen.withDefaults();
        foreign = generator.generate(directory.resolve("foreign"), List.of(OrgSpec.peers("Org3MSP", "org3.example.com", 1)));
        impostor = generator.generate(directory.resolve("impostor"), List.of(OrgSpec.peers("Org1MSP", "org1.example.com", 1)));
    }

    @AfterAll
    static void tearDown() {
        channel.close();
    }

    @Test
    void aGoodProposalPassesWithItsHeaderBytesKept() throws Exception {
        TestProposals proposals = TestProposals.by(client).call("kv", "put", "k", "v");
        SignedProposal signed = proposals.build();

        CheckedProposal checked = checker.check(signed, proposals.transactionId(), "testchannel");

        assertThat(checked.transactionId()).isEqualTo(proposals.transactionId());
        assertThat(checked.function()).isEqualTo("put");
        assertThat(checked.args()).extracting(String::new).containsExactly("k", "v");
        assertThat(checked.creator().mspId()).isEqualTo("Org1MSP");
        var proposal = org.hyperledger.fabric.protos.peer.Proposal.parseFrom(signed.getProposalBytes());
        assertThat(checked.header().toByteString()).isEqualTo(proposal.getHeader());
    }

    @Test
    void emptyProposalBytes() {
        assertRefused(SignedProposal.getDefaultInstance(), Reason.MALFORMED, Status.Code.INVALID_ARGUMENT, "empty");
    }

    @Test
    void malformedProposalBytes() {
        SignedProposal garbage = SignedProposal.newBuilder()
                .setProposalBytes(ByteString.copyFromUtf8("\u00ff\u00ff not a proposal")).build();
        assertRefused(garbage, Reason.MALFORMED, Status.Code.INVALID_ARGUMENT, "does not parse");
    }

    @Test
    void wrongTransactionId() {
        SignedProposal signed = TestProposals.by(client).transactionId("00ff").build();
        assertRefused(signed, Reason.WRONG_TRANSACTION_ID, Status.Code.INVALID_ARGUMENT, "incorrectly computed transaction id");
    }

    @Test
    void requestTransactionIdDiffersFromTheHeader() {
        SignedProposal signed = TestProposals.by(client).build();
        assertThatThrownBy(() -> checker.check(signed, "another-id", null))
                .isInstanceOfSatisfying(ProposalRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.REQUEST_MISMATCH))
                .hasMessageContaining("another-id");
    }

    @Test
    void creatorFromAnOrganisationTheChannelDoesNotKnow() {
        SigningIdentity outsider = foreign.organization("Org3MSP").admin().signingIdentity();
        assertRefused(TestProposals.by(outsider).build(), Reason.BAD_CREATOR, Status.Code.PERMISSION_DENIED, "Org3MSP");
    }

    @Test
    void creatorClaimingAKnownOrganisationButIssuedByAForeignCa() {
        SigningIdentity fake = impostor.organization("Org1MSP").admin().signingIdentity();
        assertRefused(TestProposals.by(fake).build(), Reason.BAD_CREATOR, Status.Code.PERMISSION_DENIED,
                "not a member of channel");
    }

    @Test
    void signatureByAnotherKey() {
        SignedProposal signed = TestProposals.by(client).signedBy(channel.sample.org2Peer).build();
        assertRefused(signed, Reason.BAD_SIGNATURE, Status.Code.PERMISSION_DENIED, "signature is not valid");
    }

    @Test
    void timestampOutsideTheWindow() {
        SignedProposal stale = TestProposals.by(client).at(Instant.now().minus(Duration.ofMinutes(20))).build();
        assertRefused(stale, Reason.OUTSIDE_TIME_WINDOW, Status.Code.INVALID_ARGUMENT, "check the client's clock");
        SignedProposal future = TestProposals.by(client).at(Instant.now().plus(Duration.ofMinutes(20))).build();
        assertRefused(future, Reason.OUTSIDE_TIME_WINDOW, Status.Code.INVALID_ARGUMENT, "window");
    }

    @Test
    void unknownChannel() {
        SignedProposal signed = TestProposals.by(client).channel("otherchannel").build();
        assertRefused(signed, Reason.UNKNOWN_CHANNEL, Status.Code.NOT_FOUND, "does not serve channel 'otherchannel'");
    }

    @Test
    void aReplayOfACommittedTransaction() throws Exception {
        ByteString nonce = channel.sample.nextNonce();
        channel.commit(channel.ledger("peer0"), EndorserTransactions.build(SampleChannel.CHANNEL, "kv", client, nonce,
                Timestamp.newBuilder().setSeconds(1_700_000_000L).build(), List.of(ByteString.copyFromUtf8("put")),
                KVRWSet.getDefaultInstance(), List.of(channel.sample.org1Peer)));

        SignedProposal replay = TestProposals.by(client).nonce(nonce).build();

        assertRefused(replay, Reason.DUPLICATE_TRANSACTION, Status.Code.ALREADY_EXISTS, "already committed");
    }

    @Test
    void unknownContract() {
        SignedProposal signed = TestProposals.by(client).call("nosuch", "run").build();
        assertRefused(signed, Reason.UNKNOWN_CONTRACT, Status.Code.FAILED_PRECONDITION, "[bank, kv]");
    }

    private static void assertRefused(SignedProposal signed, Reason reason, Status.Code code, String message) {
        assertThatThrownBy(() -> checker.check(signed, null, null))
                .isInstanceOfSatisfying(ProposalRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.code()).isEqualTo(code);
                })
                .hasMessageContaining(message);
    }
}
