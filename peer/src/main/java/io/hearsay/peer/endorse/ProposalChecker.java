package io.hearsay.peer.endorse;

import static io.hearsay.peer.endorse.ProposalRejectedException.Reason.BAD_CREATOR;
import static io.hearsay.peer.endorse.ProposalRejectedException.Reason.BAD_SIGNATURE;
import static io.hearsay.peer.endorse.ProposalRejectedException.Reason.DUPLICATE_TRANSACTION;
import static io.hearsay.peer.endorse.ProposalRejectedException.Reason.MALFORMED;
import static io.hearsay.peer.endorse.ProposalRejectedException.Reason.OUTSIDE_TIME_WINDOW;
import static io.hearsay.peer.endorse.ProposalRejectedException.Reason.REQUEST_MISMATCH;
import static io.hearsay.peer.endorse.ProposalRejectedException.Reason.UNKNOWN_CHANNEL;
import static io.hearsay.peer.endorse.ProposalRejectedException.Reason.UNKNOWN_CONTRACT;
import static io.hearsay.peer.endorse.ProposalRejectedException.Reason.WRONG_TRANSACTION_ID;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hearsay.identity.Identity;
import io.hearsay.identity.IdentityException;
import io.hearsay.ledger.block.EndorserTransactions;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.channel.ChannelContext;
import io.hearsay.peer.channel.ChannelRegistry;
import io.hearsay.peer.contract.Contract;
import io.hearsay.peer.contract.Contracts;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * Parses and checks a client's {@code SignedProposal} before anything runs, in the order of the checklist in
 * {@code shared/reference/fabric-gateway-contract.md} section 3: the cheap structural checks first, then the
 * channel, the contract, the creator's membership, the signature, the time window, and that the transaction id is
 * not already committed (a replay). Every refusal is a
 * {@link ProposalRejectedException} with a typed reason and a message the client can act on.
 *
 * <p>Stateless and thread-safe; the signature check is the only costly step.
 */
public final class ProposalChecker {
    private final ChannelRegistry channels;
    private final Contracts contracts;
    private final TimeWindow timeWindow;

    public ProposalChecker(ChannelRegistry channels, Contracts contracts, TimeWindow timeWindow) {
        this.channels = channels;
        this.contracts = contracts;
        this.timeWindow = timeWindow;
    }

    /**
     * @param requestTransactionId the id the request carries in the clear (Evaluate/Endorse), or null when there
     *     is none (Endorser.ProcessProposal)
     * @param requestChannelId likewise for the channel id
     */
    public CheckedProposal check(SignedProposal signed, String requestTransactionId, String requestChannelId)
            throws ProposalRejectedException {
        if (signed.getProposalBytes().isEmpty()) {
            throw new ProposalRejectedException(MALFORMED, "the proposal is empty; send a signed proposal");
        }
        Proposal proposal = parse(signed.getProposalBytes(), Proposal.parser(), "Proposal");
        Header header = parse(proposal.getHeader(), Header.parser(), "Proposal.header");
        ChannelHeader channelHeader = parse(header.getChannelHeader(), ChannelHeader.parser(), "ChannelHeader");
        SignatureHeader signatureHeader = parse(header.getSignatureHeader(), SignatureHeader.parser(), "SignatureHeader");
        ChaincodeHeaderExtension extension = parse(channelHeader.getExtension(), ChaincodeHeaderExtension.parser(),
                "ChaincodeHeaderExtension");
        ChaincodeProposalPayload payload = parse(proposal.getPayload(), ChaincodeProposalPayload.parser(),
                "ChaincodeProposalPayload");
        ChaincodeInvocationSpec invocation = parse(payload.getInput(), ChaincodeInvocationSpec.parser(),
                "ChaincodeInvocationSpec");
        checkFields(channelHeader, signatureHeader, extension, invocation.getChaincodeSpec());
        checkTransactionId(channelHeader, signatureHeader);
        checkRequest(channelHeader, requestTransactionId, requestChannelId);

        ChannelContext channel = channels.channel(channelHeader.getChannelId())
                .orElseThrow(() -> new ProposalRejectedException(UNKNOWN_CHANNEL, "this peer does not serve channel '"
                        + channelHeader.getChannelId() + "'; it serves " + channels.channelIds()));
        String chaincode = extension.getChaincodeId().getName();
        Contract contract = contracts.contract(chaincode)
                .orElseThrow(() -> new ProposalRejectedException(UNKNOWN_CONTRACT, "no contract named '" + chaincode
                        + "' runs on this peer; it runs " + contracts.names()));
        Identity creator = verifyCreator(channel, signatureHeader.getCreator(), signed);
        Optional<String> late = timeWindow.violation(channelHeader.getTimestamp());
        if (late.isPresent()) {
            throw new ProposalRejectedException(OUTSIDE_TIME_WINDOW, late.get());
        }
        if (channel.ledger().transaction(channelHeader.getTxId()).isPresent()) {
            throw new ProposalRejectedException(DUPLICATE_TRANSACTION, "transaction '" + channelHeader.getTxId()
                    + "' is already committed on channel '" + channel.channelId() + "'; build a new proposal (new nonce)");
        }

        List<ByteString> input = invocation.getChaincodeSpec().getInput().getArgsList();
        ByteString withoutTransient = ChaincodeProposalPayload.newBuilder().setInput(payload.getInput()).build().toByteString();
        return new CheckedProposal(signed, header, channelHeader, signatureHeader, withoutTransient, channel, contract,
                creator, input.get(0).toStringUtf8(),
                input.subList(1, input.size()).stream().map(ByteString::toByteArray).toList());
    }

    private static void checkFields(ChannelHeader channelHeader, SignatureHeader signatureHeader,
            ChaincodeHeaderExtension extension, ChaincodeSpec spec) throws ProposalRejectedException {
        if (channelHeader.getType() != HeaderType.ENDORSER_TRANSACTION_VALUE) {
            throw malformed("the channel header type is " + channelHeader.getType() + ", not ENDORSER_TRANSACTION ("
                    + HeaderType.ENDORSER_TRANSACTION_VALUE + ")");
        }
        if (channelHeader.getEpoch() != 0) {
            throw malformed("the channel header epoch must be 0, got " + channelHeader.getEpoch());
        }
        if (channelHeader.getChannelId().isEmpty()) {
            throw malformed("the channel header names no channel");
        }
        if (signatureHeader.getNonce().isEmpty() || signatureHeader.getCreator().isEmpty()) {
            throw malformed("the signature header needs a nonce and a creator");
        }
        String chaincode = extension.getChaincodeId().getName();
        if (chaincode.isEmpty()) {
            throw malformed("the chaincode header extension names no chaincode");
        }
        if (!chaincode.equals(spec.getChaincodeId().getName())) {
            throw malformed("the header names chaincode '" + chaincode + "' but the invocation names '"
                    + spec.getChaincodeId().getName() + "'");
        }
        if (!spec.hasInput() || spec.getInput().getArgsCount() == 0) {
            throw malformed("the invocation has no input; args[0] must name the function");
        }
    }

    private static void checkTransactionId(ChannelHeader channelHeader, SignatureHeader signatureHeader)
            throws ProposalRejectedException {
        String expected = EndorserTransactions.transactionId(signatureHeader.getNonce(), signatureHeader.getCreator());
        if (!expected.equals(channelHeader.getTxId())) {
            throw new ProposalRejectedException(WRONG_TRANSACTION_ID, "incorrectly computed transaction id '"
                    + channelHeader.getTxId() + "': it must be the hex SHA-256 of nonce ‖ creator, here " + expected);
        }
    }

    private static void checkRequest(ChannelHeader channelHeader, String requestTransactionId, String requestChannelId)
            throws ProposalRejectedException {
        if (requestTransactionId != null && !requestTransactionId.equals(channelHeader.getTxId())) {
            throw new ProposalRejectedException(REQUEST_MISMATCH, "the request's transaction id '" + requestTransactionId
                    + "' differs from the proposal's '" + channelHeader.getTxId() + "'");
        }
        if (requestChannelId != null && !requestChannelId.equals(channelHeader.getChannelId())) {
            throw new ProposalRejectedException(REQUEST_MISMATCH, "the request's channel '" + requestChannelId
                    + "' differs from the proposal's '" + channelHeader.getChannelId() + "'");
        }
    }

    private static Identity verifyCreator(ChannelContext channel, ByteString creator, SignedProposal signed)
            throws ProposalRejectedException {
        Identity identity;
        try {
            identity = channel.organizations().validate(creator);
        } catch (IdentityException e) {
            throw new ProposalRejectedException(BAD_CREATOR, "the proposal's creator is not a member of channel '"
                    + channel.channelId() + "': " + e.getMessage());
        }
        try {
            identity.verify(signed.getProposalBytes(), signed.getSignature().toByteArray());
        } catch (IdentityException e) {
            throw new ProposalRejectedException(BAD_SIGNATURE, "the proposal's signature is not valid for its creator "
                    + identity.commonName() + " (" + identity.mspId() + "): " + e.getMessage());
        }
        return identity;
    }

    private static <T> T parse(ByteString bytes, com.google.protobuf.Parser<T> parser, String what)
            throws ProposalRejectedException {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw malformed("the " + what + " does not parse: " + e.getMessage());
        }
    }

    private static ProposalRejectedException malformed(String message) {
        return new ProposalRejectedException(MALFORMED, message);
    }
}
