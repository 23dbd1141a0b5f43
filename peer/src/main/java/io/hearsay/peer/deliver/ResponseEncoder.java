package io.hearsay.peer.deliver;

import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Status;

/**
 * What one Deliver flavour sends for a block and for a status. Peers' {@code protos.Deliver} has three
 * flavours of {@code peer.DeliverResponse}; an orderer's {@code AtomicBroadcast.Deliver} would add a fourth
 * encoder over {@code orderer.DeliverResponse} and reuse the same {@link DeliverStream}.
 */
interface ResponseEncoder<R> {
    R block(String channelId, Block block);

    R status(Status status);
}
