package io.hearsay.peer.endorse;

import com.google.protobuf.ByteString;
import io.hearsay.identity.Identity;
import io.hearsay.peer.channel.ChannelContext;
import io.hearsay.peer.contract.Contract;
import java.util.List;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * A signed proposal that passed every check, parsed once. {@link #header()} keeps the proposal's raw header bytes
 * (pitfall P8): the proposal hash and the prepared transaction are built from them, never from re-serialised
 * parsed messages.
 *
 * @param signedProposal the proposal as received, forwarded unchanged to other organisations' endorsers
 * @param header the proposal's {@code common.Header}, with its channel and signature header bytes as received
 * @param invocation bytes of {@code ChaincodeProposalPayload{input}} without the transient map: what stays in
 *     the transaction and what the proposal hash covers
 * @param function {@code args[0]}; {@link #args()} are the rest
 */
public record CheckedProposal(SignedProposal signedProposal, Header header, ChannelHeader channelHeader,
        SignatureHeader signatureHeader, ByteString invocation, ChannelContext channel, Contract contract,
        Identity creator, String function, List<byte[]> args) {

    public String transactionId() {
        return channelHeader.getTxId();
    }

    public String channelId() {
        return channelHeader.getChannelId();
    }

    public String chaincode() {
        return contract.name();
    }
}
