package io.hearsay.testnet.verify;

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
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The writes a committed block's valid transactions made to one namespace, read the way a Fabric committer
 * applies them:
 *
 * <pre>
 * metadata[TRANSACTIONS_FILTER][i] == VALID ?
 *   data[i] → Envelope → Payload (ENDORSER_TRANSACTION) → Transaction → actions[] → ChaincodeActionPayload
 *     → action.proposal_response_payload → ProposalResponsePayload.extension → ChaincodeAction.results
 *     → TxReadWriteSet → ns_rwset[namespace] → KVRWSet.writes
 * </pre>
 *
 * Invalid transactions stay in the block unapplied, so they are skipped; so are config transactions.
 */
final class BlockWrites {
    private BlockWrites() {}

    /** Per valid transaction, in block order, its writes to {@code namespace} (transactions without any omitted). */
    static List<List<KVWrite>> validWrites(Block block, String namespace) throws MalformedBlockException {
        int transactions = block.getData().getDataCount();
        ByteString filter = block.getMetadata().getMetadataCount() > BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE
                ? block.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE) : ByteString.EMPTY;
        if (filter.size() != transactions) {
            throw new MalformedBlockException("its validation codes (metadata TRANSACTIONS_FILTER) cover " + filter.size()
                    + " transactions but it holds " + transactions + ": it cannot have been committed by a peer");
        }
        List<List<KVWrite>> writes = new ArrayList<>();
        for (int i = 0; i < transactions; i++) {
            if (Byte.toUnsignedInt(filter.byteAt(i)) != TxValidationCode.VALID_VALUE) {
                continue;
            }
            try {
                List<KVWrite> transactionWrites = writes(block.getData().getData(i), namespace);
                if (!transactionWrites.isEmpty()) {
                    writes.add(transactionWrites);
                }
            } catch (InvalidProtocolBufferException e) {
                throw new MalformedBlockException("transaction " + i + " is marked VALID but does not parse: "
                        + e.getMessage(), e);
            }
        }
        return writes;
    }

    private static List<KVWrite> writes(ByteString envelopeBytes, String namespace) throws InvalidProtocolBufferException {
        Payload payload = Payload.parseFrom(Envelope.parseFrom(envelopeBytes).getPayload());
        ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
        if (header.getType() != HeaderType.ENDORSER_TRANSACTION_VALUE) {
            return List.of();
        }
        List<KVWrite> writes = new ArrayList<>();
        for (TransactionAction action : Transaction.parseFrom(payload.getData()).getActionsList()) {
            ChaincodeActionPayload actionPayload = ChaincodeActionPayload.parseFrom(action.getPayload());
            ProposalResponsePayload response = ProposalResponsePayload.parseFrom(
                    actionPayload.getAction().getProposalResponsePayload());
            ChaincodeAction chaincodeAction = ChaincodeAction.parseFrom(response.getExtension());
            TxReadWriteSet readWriteSet = TxReadWriteSet.parseFrom(chaincodeAction.getResults());
            for (NsReadWriteSet nsReadWriteSet : readWriteSet.getNsRwsetList()) {
                if (nsReadWriteSet.getNamespace().equals(namespace)) {
                    writes.addAll(KVRWSet.parseFrom(nsReadWriteSet.getRwset()).getWritesList());
                }
            }
        }
        return writes;
    }
}
