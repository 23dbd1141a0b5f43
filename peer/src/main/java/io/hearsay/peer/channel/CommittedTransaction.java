package io.hearsay.peer.channel;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * One transaction of a committed block as the event services see it: its id, header type, the validation code
 * the committer wrote into the block's TRANSACTIONS_FILTER metadata, and the chaincode events it emitted
 * (from {@code ChaincodeAction.events} of each action). Parsing is lenient: a committed block may hold
 * envelopes the validator marked invalid precisely because they do not parse, and those must still be
 * reported (with an empty id and no events), never make the stream fail.
 *
 * @param position index of the transaction in the block's data
 * @param headerType the channel header's type, or -1 when the envelope's header does not parse
 */
public record CommittedTransaction(int position, String transactionId, int headerType,
        TxValidationCode validationCode, List<ChaincodeEvent> events) {

    public CommittedTransaction {
        events = List.copyOf(events);
    }

    public boolean valid() {
        return validationCode == TxValidationCode.VALID;
    }

    public boolean endorserTransaction() {
        return headerType == HeaderType.ENDORSER_TRANSACTION_VALUE;
    }

    /** The transactions of {@code block}, in block order. */
    public static List<CommittedTransaction> of(Block block) {
        ByteString filter = validationFilter(block);
        int count = block.getData().getDataCount();
        List<CommittedTransaction> transactions = new ArrayList<>(count);
        for (int position = 0; position < count; position++) {
            transactions.add(parse(position, block.getData().getData(position), code(filter, position)));
        }
        return transactions;
    }

    /**
     * Only the transaction ids of {@code block}, in block order (empty for an envelope that does not parse):
     * the cheap pass for completing commit-status waiters, which need no events.
     */
    public static List<String> transactionIds(Block block) {
        List<String> ids = new ArrayList<>(block.getData().getDataCount());
        for (ByteString data : block.getData().getDataList()) {
            try {
                ids.add(channelHeader(Envelope.parseFrom(data)).getTxId());
            } catch (InvalidProtocolBufferException e) {
                ids.add("");
            }
        }
        return ids;
    }

    private static ByteString validationFilter(Block block) {
        int slot = BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE;
        return block.getMetadata().getMetadataCount() > slot ? block.getMetadata().getMetadata(slot) : ByteString.EMPTY;
    }

    /** One byte per transaction, read unsigned (254 NOT_VALIDATED, 255 INVALID_OTHER_REASON). */
    private static TxValidationCode code(ByteString filter, int position) {
        if (position >= filter.size()) {
            return TxValidationCode.NOT_VALIDATED;
        }
        TxValidationCode code = TxValidationCode.forNumber(filter.byteAt(position) & 0xff);
        return code == null ? TxValidationCode.INVALID_OTHER_REASON : code;
    }

    private static CommittedTransaction parse(int position, ByteString data, TxValidationCode code) {
        Payload payload;
        ChannelHeader header;
        try {
            Envelope envelope = Envelope.parseFrom(data);
            payload = Payload.parseFrom(envelope.getPayload());
            header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
        } catch (InvalidProtocolBufferException e) {
            return new CommittedTransaction(position, "", -1, code, List.of());
        }
        List<ChaincodeEvent> events = header.getType() == HeaderType.ENDORSER_TRANSACTION_VALUE
                ? events(payload.getData(), header.getTxId())
                : List.of();
        return new CommittedTransaction(position, header.getTxId(), header.getType(), code, events);
    }

    private static ChannelHeader channelHeader(Envelope envelope) throws InvalidProtocolBufferException {
        return ChannelHeader.parseFrom(Payload.parseFrom(envelope.getPayload()).getHeader().getChannelHeader());
    }

    /**
     * The events of each action, in action order. The transaction id and chaincode are filled from the header and
     * the action when the contract left them empty: consumers filter and checkpoint on them (contract note 4.2).
     */
    private static List<ChaincodeEvent> events(ByteString transactionBytes, String transactionId) {
        List<ChaincodeEvent> events = new ArrayList<>(1);
        try {
            for (TransactionAction action : Transaction.parseFrom(transactionBytes).getActionsList()) {
                ChaincodeActionPayload actionPayload = ChaincodeActionPayload.parseFrom(action.getPayload());
                ProposalResponsePayload response = ProposalResponsePayload.parseFrom(
                        actionPayload.getAction().getProposalResponsePayload());
                ChaincodeAction chaincodeAction = ChaincodeAction.parseFrom(response.getExtension());
                if (chaincodeAction.getEvents().isEmpty()) {
                    continue;
                }
                ChaincodeEvent event = ChaincodeEvent.parseFrom(chaincodeAction.getEvents());
                if (event.getTxId().isEmpty() || event.getChaincodeId().isEmpty()) {
                    ChaincodeEvent.Builder filled = event.toBuilder();
                    if (event.getTxId().isEmpty()) {
                        filled.setTxId(transactionId);
                    }
                    if (event.getChaincodeId().isEmpty()) {
                        filled.setChaincodeId(chaincodeAction.getChaincodeId().getName());
                    }
                    event = filled.build();
                }
                events.add(event);
            }
        } catch (InvalidProtocolBufferException e) {
            // A valid transaction always parses (the validator parsed it); an invalid one emits no events anyway.
            return List.of();
        }
        return events;
    }
}
