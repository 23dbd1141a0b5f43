package io.hearsay.ledger.block;

import com.google.protobuf.InvalidProtocolBufferException;
import io.hearsay.proto.ChannelConfig;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;

/**
 * Block 0 carries the channel configuration as the data of one CONFIG envelope. Fabric puts a
 * {@code common.ConfigEnvelope} there; Hearsay's {@link ChannelConfig} is deliberately smaller (orgs,
 * CAs, orderer org, endorsement policies), so Fabric tools can read our blocks but not our config.
 */
public final class ConfigBlocks {
    /** Transaction id of the genesis config transaction (it has no client nonce to derive one from). */
    public static final String CONFIG_TX_ID = "genesis";

    private ConfigBlocks() {}

    /**
     * The channel configuration in a genesis block.
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static ChannelConfig channelConfig(Block genesis) {
        if (genesis.getHeader().getNumber() != 0) {
            throw new IllegalArgumentException("block " + Long.toUnsignedString(genesis.getHeader().getNumber())
                    + " is not a genesis block (number 0)");
        }
        if (genesis.getData().getDataCount() != 1) {
            throw new IllegalArgumentException("genesis block must hold exactly one CONFIG envelope, it holds "
                    + genesis.getData().getDataCount() + " entries");
        }
        try {
            Envelope envelope = Envelope.parseFrom(genesis.getData().getData(0));
            Payload payload = Payload.parseFrom(envelope.getPayload());
            ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            if (header.getType() != HeaderType.CONFIG_VALUE) {
                throw new IllegalArgumentException("genesis envelope has header type " + header.getType()
                        + ", expected CONFIG (" + HeaderType.CONFIG_VALUE + ")");
            }
            ChannelConfig config = ChannelConfig.parseFrom(payload.getData());
            if (!config.getChannelId().equals(header.getChannelId())) {
                throw new IllegalArgumentException("genesis config names channel '" + config.getChannelId()
                        + "' but its header names '" + header.getChannelId() + "'");
            }
            return config;
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("genesis block does not carry a parseable channel config: "
                    + e.getMessage(), e);
        }
    }
}
