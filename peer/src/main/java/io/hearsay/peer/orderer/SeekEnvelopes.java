package io.hearsay.peer.orderer;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.hearsay.identity.SigningIdentity;
import java.time.Instant;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekNewest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;

/**
 * The signed request that opens a Deliver stream, laid out as Fabric's peers and SDKs send it
 * ({@code shared/reference/fabric-gateway-contract.md}, 4.6): a {@code DELIVER_SEEK_INFO} channel header with the
 * channel, a timestamp and the TLS certificate binding, a signature header with the creator only (no nonce, no
 * transaction id), a {@code SeekInfo} as data, and the creator's signature over the payload.
 */
public final class SeekEnvelopes {
    private SeekEnvelopes() {
    }

    /**
     * Every block from {@code from} on, waiting for new ones when caught up.
     *
     * @param tlsCertificateHash SHA-256 of the requester's TLS client certificate (Fabric's {@code tls_cert_hash}
     *     binding, checked when the server requires client certificates), or empty
     */
    public static Envelope blocksFrom(String channelId, long from, SigningIdentity signer, Instant now,
            ByteString tlsCertificateHash) {
        SeekInfo seekInfo = SeekInfo.newBuilder()
                .setStart(SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(from)))
                .setStop(SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(Long.MAX_VALUE)))
                .setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY)
                .build();
        return seek(channelId, seekInfo, signer, now, tlsCertificateHash);
    }

    /**
     * The newest block only: a stream of one block then a status, which tells a client the height without a
     * status endpoint (the block's number plus one).
     *
     * @param tlsCertificateHash as for {@link #blocksFrom}
     */
    public static Envelope newestBlock(String channelId, SigningIdentity signer, Instant now,
            ByteString tlsCertificateHash) {
        SeekPosition newest = SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance()).build();
        SeekInfo seekInfo = SeekInfo.newBuilder().setStart(newest).setStop(newest)
                .setBehavior(SeekInfo.SeekBehavior.FAIL_IF_NOT_READY)
                .build();
        return seek(channelId, seekInfo, signer, now, tlsCertificateHash);
    }

    private static Envelope seek(String channelId, SeekInfo seekInfo, SigningIdentity signer, Instant now,
            ByteString tlsCertificateHash) {
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.DELIVER_SEEK_INFO_VALUE)
                .setChannelId(channelId)
                .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setTlsCertHash(tlsCertificateHash)
                .build();
        SignatureHeader signatureHeader = SignatureHeader.newBuilder()
                .setCreator(signer.identity().serialized())
                .build();
        ByteString payload = Payload.newBuilder()
                .setHeader(Header.newBuilder()
                        .setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(signatureHeader.toByteString()))
                .setData(seekInfo.toByteString())
                .build()
                .toByteString();
        return Envelope.newBuilder()
                .setPayload(payload)
                .setSignature(ByteString.copyFrom(signer.sign(payload.toByteArray())))
                .build();
    }
}
