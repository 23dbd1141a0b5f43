package io.hearsay.peer.deliver;

import io.hearsay.peer.channel.CommittedTransaction;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.peer.BlockAndPrivateData;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.DeliverResponse;
import org.hyperledger.fabric.protos.peer.FilteredBlock;
import org.hyperledger.fabric.protos.peer.FilteredChaincodeAction;
import org.hyperledger.fabric.protos.peer.FilteredTransaction;
import org.hyperledger.fabric.protos.peer.FilteredTransactionActions;

/** The three {@code peer.DeliverResponse} flavours: whole blocks, filtered blocks, blocks with private data. */
final class DeliverResponses {
    private DeliverResponses() {}

    static final ResponseEncoder<DeliverResponse> BLOCKS = new ResponseEncoder<>() {
        @Override
        public DeliverResponse block(String channelId, Block block) {
            return DeliverResponse.newBuilder().setBlock(block).build();
        }

        @Override
        public DeliverResponse status(Status status) {
            return DeliverResponse.newBuilder().setStatus(status).build();
        }
    };

    static final ResponseEncoder<DeliverResponse> FILTERED_BLOCKS = new ResponseEncoder<>() {
        @Override
        public DeliverResponse block(String channelId, Block block) {
            return DeliverResponse.newBuilder().setFilteredBlock(filtered(channelId, block)).build();
        }

        @Override
        public DeliverResponse status(Status status) {
            return BLOCKS.status(status);
        }
    };

    /** Hearsay has no private data collections, so the map is always empty (what Fabric sends without any). */
    static final ResponseEncoder<DeliverResponse> BLOCKS_AND_PRIVATE_DATA = new ResponseEncoder<>() {
        @Override
        public DeliverResponse block(String channelId, Block block) {
            return DeliverResponse.newBuilder()
                    .setBlockAndPrivateData(BlockAndPrivateData.newBuilder().setBlock(block))
                    .build();
        }

        @Override
        public DeliverResponse status(Status status) {
            return BLOCKS.status(status);
        }
    };

    /**
     * Fabric's filtered block: per transaction its id, type and validation code; for endorser transactions the
     * actions, holding a chaincode action only for a valid transaction that emitted an event, and that event
     * without its payload (filtered blocks are for clients that may not see the data).
     */
    static FilteredBlock filtered(String channelId, Block block) {
        FilteredBlock.Builder filtered = FilteredBlock.newBuilder()
                .setChannelId(channelId)
                .setNumber(block.getHeader().getNumber());
        for (CommittedTransaction transaction : CommittedTransaction.of(block)) {
            FilteredTransaction.Builder entry = FilteredTransaction.newBuilder()
                    .setTxid(transaction.transactionId())
                    .setTxValidationCode(transaction.validationCode());
            if (transaction.headerType() >= 0) {
                entry.setTypeValue(transaction.headerType());
            }
            if (transaction.endorserTransaction()) {
                FilteredTransactionActions.Builder actions = FilteredTransactionActions.newBuilder();
                if (transaction.valid()) {
                    for (ChaincodeEvent event : transaction.events()) {
                        actions.addChaincodeActions(FilteredChaincodeAction.newBuilder()
                                .setChaincodeEvent(event.toBuilder().clearPayload()));
                    }
                }
                entry.setTransactionActions(actions);
            }
            filtered.addFilteredTransactions(entry);
        }
        return filtered.build();
    }

    /** {@code HEADER_WITH_SIG} content: the header and the orderer's signatures, without the transactions. */
    static Block headerWithSignatures(Block block) {
        Block.Builder stripped = block.toBuilder().clearData();
        int signatures = BlockMetadataIndex.SIGNATURES_VALUE;
        for (int slot = 0; slot < stripped.getMetadata().getMetadataCount(); slot++) {
            if (slot != signatures) {
                stripped.getMetadataBuilder().setMetadata(slot, com.google.protobuf.ByteString.EMPTY);
            }
        }
        return stripped.build();
    }
}
