package io.hearsay.peer.endorse;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.ledger.block.EndorserTransactions;
import io.hearsay.ledger.sample.SampleChannel;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * Signed proposals laid out as the Fabric Gateway client builds them (reference section 3), with a knob for each
 * field a test may want wrong.
 */
public final class TestProposals {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SigningIdentity creator;
    private SigningIdentity signer;
    private String channel = SampleChannel.CHANNEL;
    private String chaincode = "kv";
    private Instant timestamp = Instant.now();
    private String transactionId;
    private List<String> args = List.of("get", "k");
    private ByteString nonce;

    private TestProposals(SigningIdentity creator) {
        this.creator = creator;
        this.signer = creator;
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        this.nonce = ByteString.copyFrom(bytes);
    }

    public static TestProposals by(SigningIdentity creator) {
        return new TestProposals(creator);
    }

    public TestProposals call(String chaincodeName, String... functionAndArgs) {
        this.chaincode = chaincodeName;
        this.args = Arrays.asList(functionAndArgs);
        return this;
    }

    public TestProposals channel(String channelId) {
        this.channel = channelId;
        return this;
    }

    public TestProposals at(Instant time) {
        this.timestamp = time;
        return this;
    }

    public TestProposals nonce(ByteString value) {
        this.nonce = value;
        return this;
    }

    /** Signs with another key than the creator's. */
    public TestProposals signedBy(SigningIdentity other) {
        this.signer = other;
        return this;
    }

    public TestProposals transactionId(String id) {
        this.transactionId = id;
        return this;
    }

    public String transactionId() {
        return transactionId != null ? transactionId
                : EndorserTransactions.transactionId(nonce, creator.identity().serialized());
    }

    public SignedProposal build() {
        ByteString creatorBytes = creator.identity().serialized();
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setChannelId(channel)
                .setTxId(transactionId())
                .setTimestamp(Timestamp.newBuilder().setSeconds(timestamp.getEpochSecond()).setNanos(timestamp.getNano()))
                .setExtension(ChaincodeHeaderExtension.newBuilder()
                        .setChaincodeId(ChaincodeID.newBuilder().setName(chaincode)).build().toByteString())
                .build();
        Header header = Header.newBuilder()
                .setChannelHeader(channelHeader.toByteString())
                .setSignatureHeader(SignatureHeader.newBuilder().setCreator(creatorBytes).setNonce(nonce).build().toByteString())
                .build();
        ByteString payload = EndorserTransactions.invocation(chaincode, args.stream().map(ByteString::copyFromUtf8).toList())
                .toByteString();
        ByteString proposalBytes = Proposal.newBuilder().setHeader(header.toByteString()).setPayload(payload).build()
                .toByteString();
        return SignedProposal.newBuilder()
                .setProposalBytes(proposalBytes)
                .setSignature(ByteString.copyFrom(signer.sign(proposalBytes.toByteArray())))
                .build();
    }
}
