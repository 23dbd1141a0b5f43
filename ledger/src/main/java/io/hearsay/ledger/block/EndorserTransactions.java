package io.hearsay.ledger.block;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.hearsay.identity.Hashes;
import io.hearsay.identity.SigningIdentity;
import java.util.HexFormat;
import java.util.List;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;

/**
 * Builds Fabric endorser transactions the way a client, its endorsing peers and Fabric's validators
 * agree on (the layout in {@code shared/reference/fabric-gateway-contract.md}, section 4.2):
 *
 * <pre>
 * Envelope{payload = Payload{header{channel_header, signature_header},
 *                            data = Transaction{actions[TransactionAction{header = signature_header,
 *                                   payload = ChaincodeActionPayload{chaincode_proposal_payload,
 *                                             action{proposal_response_payload, endorsements[]}}}]}},
 *          signature = creator's signature over payload}
 * </pre>
 *
 * Each step is a public static method so the peer's gateway can run them separately (the client signs
 * the envelope; endorsers sign the proposal response payload).
 */
public final class EndorserTransactions {
    private EndorserTransactions() {}

    /** Fabric's transaction id: lower-case hex SHA-256 of nonce ‖ creator bytes. */
    public static String transactionId(ByteString nonce, ByteString creator) {
        return HexFormat.of().formatHex(Hashes.sha256(nonce, creator));
    }

    /** The proposal's header: channel header (with chaincode extension) and signature header. */
    public static Header proposalHeader(String channelId, String chaincode, ByteString creator, ByteString nonce,
            Timestamp timestamp) {
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setChannelId(channelId)
                .setTxId(transactionId(nonce, creator))
                .setTimestamp(timestamp)
                .setExtension(ChaincodeHeaderExtension.newBuilder()
                        .setChaincodeId(ChaincodeID.newBuilder().setName(chaincode)).build().toByteString())
                .build();
        SignatureHeader signatureHeader = SignatureHeader.newBuilder().setCreator(creator).setNonce(nonce).build();
        return Header.newBuilder()
                .setChannelHeader(channelHeader.toByteString())
                .setSignatureHeader(signatureHeader.toByteString())
                .build();
    }

    /** The chaincode invocation without transient data: what stays in the transaction. */
    public static ChaincodeProposalPayload invocation(String chaincode, List<ByteString> args) {
        ChaincodeInvocationSpec spec = ChaincodeInvocationSpec.newBuilder()
                .setChaincodeSpec(ChaincodeSpec.newBuilder()
                        .setChaincodeId(ChaincodeID.newBuilder().setName(chaincode))
                        .setInput(ChaincodeInput.newBuilder().addAllArgs(args)))
                .build();
        return ChaincodeProposalPayload.newBuilder().setInput(spec.toByteString()).build();
    }

    /** SHA-256(channel header ‖ signature header ‖ invocation), over the raw bytes (pitfall P8). */
    public static byte[] proposalHash(Header header, ByteString invocationBytes) {
        return Hashes.sha256(header.getChannelHeader(), header.getSignatureHeader(), invocationBytes);
    }

    /** A read-write set over one namespace. */
    public static TxReadWriteSet readWriteSet(String namespace, KVRWSet kvRwSet) {
        return TxReadWriteSet.newBuilder()
                .setDataModel(TxReadWriteSet.DataModel.KV)
                .addNsRwset(NsReadWriteSet.newBuilder().setNamespace(namespace).setRwset(kvRwSet.toByteString()))
                .build();
    }

    /** What endorsers sign: the proposal hash and the simulation's results, events and response. */
    public static ProposalResponsePayload proposalResponsePayload(byte[] proposalHash, String chaincode,
            TxReadWriteSet results, ByteString events, ByteString result) {
        ChaincodeAction action = ChaincodeAction.newBuilder()
                .setResults(results.toByteString())
                .setEvents(events)
                .setResponse(Response.newBuilder().setStatus(200).setPayload(result))
                .setChaincodeId(ChaincodeID.newBuilder().setName(chaincode))
                .build();
        return ProposalResponsePayload.newBuilder()
                .setProposalHash(ByteString.copyFrom(proposalHash))
                .setExtension(action.toByteString())
                .build();
    }

    /** An endorsement: the endorser's signature over proposal response payload ‖ endorser identity. */
    public static Endorsement endorse(SigningIdentity endorser, ByteString proposalResponsePayload) {
        ByteString identity = endorser.identity().serialized();
        byte[] signature = endorser.sign(proposalResponsePayload.concat(identity).toByteArray());
        return Endorsement.newBuilder().setEndorser(identity).setSignature(ByteString.copyFrom(signature)).build();
    }

    /** The unsigned transaction payload, built from the proposal's own header bytes. */
    public static Payload transactionPayload(Header header, ByteString invocationBytes,
            ByteString proposalResponsePayload, List<Endorsement> endorsements) {
        ChaincodeActionPayload actionPayload = ChaincodeActionPayload.newBuilder()
                .setChaincodeProposalPayload(invocationBytes)
                .setAction(ChaincodeEndorsedAction.newBuilder()
                        .setProposalResponsePayload(proposalResponsePayload)
                        .addAllEndorsements(endorsements))
                .build();
        Transaction transaction = Transaction.newBuilder()
                .addActions(TransactionAction.newBuilder()
                        .setHeader(header.getSignatureHeader())
                        .setPayload(actionPayload.toByteString()))
                .build();
        return Payload.newBuilder().setHeader(header).setData(transaction.toByteString()).build();
    }

    /** The envelope signed by the client. */
    public static Envelope sign(SigningIdentity creator, Payload payload) {
        ByteString payloadBytes = payload.toByteString();
        return Envelope.newBuilder()
                .setPayload(payloadBytes)
                .setSignature(ByteString.copyFrom(creator.sign(payloadBytes.toByteArray())))
                .build();
    }

    /**
     * The whole flow in one call, for tests, benchmarks and the orderer's load generator: a client's
     * proposal, endorsed by each of {@code endorsers}, signed by the client.
     */
    public static Envelope build(String channelId, String chaincode, SigningIdentity creator, ByteString nonce,
            Timestamp timestamp, List<ByteString> args, KVRWSet kvRwSet, List<SigningIdentity> endorsers) {
        Header header = proposalHeader(channelId, chaincode, creator.identity().serialized(), nonce, timestamp);
        ByteString invocation = invocation(chaincode, args).toByteString();
        ByteString prp = proposalResponsePayload(proposalHash(header, invocation), chaincode,
                readWriteSet(chaincode, kvRwSet), ByteString.EMPTY, ByteString.EMPTY).toByteString();
        List<Endorsement> endorsements = endorsers.stream().map(endorser -> endorse(endorser, prp)).toList();
        return sign(creator, transactionPayload(header, invocation, prp, endorsements));
    }
}
