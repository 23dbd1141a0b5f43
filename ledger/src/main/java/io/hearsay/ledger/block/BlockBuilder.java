package io.hearsay.ledger.block;

import com.google.protobuf.ByteString;
import io.hearsay.identity.Hashes;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.proto.ChannelConfig;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * Cuts and signs Fabric {@code common.Block}s, as an orderer does: header (number, previous hash, data
 * hash), the transaction envelopes as data, and metadata with the orderer's signature in slot
 * SIGNATURES. Used by the orderer and by tests and benchmarks.
 *
 * <p>Deterministic: the signature nonce is derived from the header, and signatures are RFC 6979, so the
 * same inputs give byte-identical blocks (simulations and crash tests rebuild blocks to compare).
 */
public final class BlockBuilder {
    /** Fabric's block metadata has five slots (SIGNATURES … COMMIT_HASH). */
    public static final int METADATA_SLOTS = BlockMetadataIndex.COMMIT_HASH_VALUE + 1;

    private final SigningIdentity orderer;

    public BlockBuilder(SigningIdentity orderer) {
        this.orderer = orderer;
    }

    /** Block 0: one CONFIG envelope carrying the channel configuration, signed by the orderer. */
    public Block genesis(ChannelConfig config) {
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.CONFIG_VALUE)
                .setChannelId(config.getChannelId())
                .setTxId(ConfigBlocks.CONFIG_TX_ID)
                .build();
        SignatureHeader signatureHeader = SignatureHeader.newBuilder()
                .setCreator(orderer.identity().serialized())
                .build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder()
                        .setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(signatureHeader.toByteString()))
                .setData(config.toByteString())
                .build();
        ByteString payloadBytes = payload.toByteString();
        Envelope envelope = Envelope.newBuilder()
                .setPayload(payloadBytes)
                .setSignature(ByteString.copyFrom(orderer.sign(payloadBytes.toByteArray())))
                .build();
        return build(0, ByteString.EMPTY, List.of(envelope.toByteString()));
    }

    /** The block after {@code previous}, holding these serialised envelopes in this order. */
    public Block next(Block previous, List<ByteString> envelopes) {
        return build(previous.getHeader().getNumber() + 1,
                ByteString.copyFrom(BlockHashing.headerHash(previous.getHeader())), envelopes);
    }

    /** A block with the given number and previous hash (for tests that build forks or gaps). */
    public Block build(long number, ByteString previousHash, List<ByteString> envelopes) {
        BlockData data = BlockData.newBuilder().addAllData(envelopes).build();
        BlockHeader header = BlockHeader.newBuilder()
                .setNumber(number)
                .setPreviousHash(previousHash)
                .setDataHash(ByteString.copyFrom(BlockHashing.dataHash(data)))
                .build();
        BlockMetadata.Builder metadata = BlockMetadata.newBuilder();
        for (int slot = 0; slot < METADATA_SLOTS; slot++) {
            metadata.addMetadata(ByteString.EMPTY);
        }
        metadata.setMetadata(BlockMetadataIndex.SIGNATURES_VALUE, signatureMetadata(header).toByteString());
        return Block.newBuilder().setHeader(header).setData(data).setMetadata(metadata).build();
    }

    private Metadata signatureMetadata(BlockHeader header) {
        byte[] headerBytes = BlockHashing.headerBytes(header);
        ByteString value = OrdererBlockMetadata.newBuilder()
                .setLastConfig(LastConfig.newBuilder().setIndex(0))
                .build().toByteString();
        ByteString signatureHeader = SignatureHeader.newBuilder()
                .setCreator(orderer.identity().serialized())
                .setNonce(ByteString.copyFrom(Hashes.sha256(headerBytes), 0, 24))
                .build().toByteString();
        byte[] signature = orderer.sign(BlockSignatures.signedBytes(value, signatureHeader, headerBytes));
        return Metadata.newBuilder()
                .setValue(value)
                .addSignatures(MetadataSignature.newBuilder()
                        .setSignatureHeader(signatureHeader)
                        .setSignature(ByteString.copyFrom(signature)))
                .build();
    }
}
