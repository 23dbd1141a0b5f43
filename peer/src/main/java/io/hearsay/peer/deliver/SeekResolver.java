package io.hearsay.peer.deliver;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hearsay.identity.IdentityException;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.channel.ChannelContext;
import io.hearsay.peer.channel.ChannelRegistry;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;

/**
 * Checks a Deliver seek envelope and resolves its start and stop against the channel's height, in the order
 * Fabric's {@code common/deliver} does (contract note 4.6):
 *
 * <ol>
 *   <li>payload, header, channel and signature headers parse; type DELIVER_SEEK_INFO; timestamp inside the
 *       {@link TimeWindow} — else BAD_REQUEST;
 *   <li>the channel is served here — else NOT_FOUND;
 *   <li>the TLS binding holds (when the header carries a hash or the config requires one), the creator is a
 *       member of one of the channel's organisations and signed the payload — else FORBIDDEN;
 *   <li>SeekInfo parses with a start and a stop, stop not before start — else BAD_REQUEST; a specified start
 *       beyond the height — NOT_FOUND.
 * </ol>
 *
 * Block numbers are uint64 on the wire and compared unsigned (pitfall P15): Go clients send {@code MaxUint64}
 * (−1 as a Java long) as an "infinite" stop.
 */
final class SeekResolver {
    private final ChannelRegistry channels;
    private final TimeWindow timeWindow;
    private final DeliverConfig config;

    SeekResolver(ChannelRegistry channels, TimeWindow timeWindow, DeliverConfig config) {
        this.channels = channels;
        this.timeWindow = timeWindow;
        this.config = config;
    }

    /**
     * @param clientCertificateHash SHA-256 of the caller's TLS certificate, when the call came over mutual TLS
     */
    Seek resolve(Envelope envelope, Optional<byte[]> clientCertificateHash) throws SeekRejectedException {
        Payload payload;
        ChannelHeader channelHeader;
        SignatureHeader signatureHeader;
        if (envelope.getPayload().isEmpty()) {
            throw badRequest("the seek envelope has no payload");
        }
        try {
            payload = Payload.parseFrom(envelope.getPayload());
            if (!payload.hasHeader()) {
                throw badRequest("the seek envelope's payload has no header");
            }
            channelHeader = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            signatureHeader = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
        } catch (InvalidProtocolBufferException e) {
            throw badRequest("the seek envelope does not parse: " + e.getMessage());
        }
        if (channelHeader.getType() != HeaderType.DELIVER_SEEK_INFO_VALUE) {
            throw badRequest("the seek's channel header has type " + channelHeader.getType() + "; a seek must have type "
                    + HeaderType.DELIVER_SEEK_INFO_VALUE + " (DELIVER_SEEK_INFO)");
        }
        Optional<String> outsideWindow = timeWindow.violation(channelHeader.getTimestamp());
        if (outsideWindow.isPresent()) {
            throw badRequest(outsideWindow.get());
        }
        ChannelContext channel = channels.channel(channelHeader.getChannelId()).orElseThrow(() -> new SeekRejectedException(
                Status.NOT_FOUND, "channel '" + channelHeader.getChannelId() + "' is not served here; this node serves "
                        + channels.channelIds()));
        checkTlsBinding(channelHeader.getTlsCertHash(), clientCertificateHash);
        ByteString creator = signatureHeader.getCreator();
        try {
            channel.organizations().verify(creator, envelope.getPayload(), envelope.getSignature().toByteArray());
        } catch (IdentityException e) {
            throw new SeekRejectedException(Status.FORBIDDEN, "the seek's creator is not a reader of channel '"
                    + channel.channelId() + "': " + e.getMessage());
        }
        SeekInfo seekInfo;
        try {
            seekInfo = SeekInfo.parseFrom(payload.getData());
        } catch (InvalidProtocolBufferException e) {
            throw badRequest("the SeekInfo does not parse: " + e.getMessage());
        }
        if (!seekInfo.hasStart() || !seekInfo.hasStop()) {
            throw badRequest("the SeekInfo must have both a start and a stop position");
        }
        long height = channel.ledger().height();
        long start = start(seekInfo.getStart(), height);
        long stop = stop(seekInfo.getStop(), start, height);
        if (seekInfo.getBehavior() == SeekInfo.SeekBehavior.FAIL_IF_NOT_READY && Long.compareUnsigned(start, height) >= 0) {
            throw new SeekRejectedException(Status.NOT_FOUND, "block " + Long.toUnsignedString(start)
                    + " is not committed yet (height " + height + ") and the seek asked to fail if not ready");
        }
        return new Seek(channel, creator, start, stop, seekInfo.getBehavior(), seekInfo.getContentType());
    }

    private static long start(SeekPosition position, long height) throws SeekRejectedException {
        return switch (position.getTypeCase()) {
            case OLDEST -> 0;
            case NEWEST -> Math.max(0, height - 1);
            case NEXT_COMMIT -> height;
            case SPECIFIED -> {
                long number = position.getSpecified().getNumber();
                if (Long.compareUnsigned(number, height) > 0) {
                    throw new SeekRejectedException(Status.NOT_FOUND, "the seek starts at block "
                            + Long.toUnsignedString(number) + ", beyond the next block to commit (" + height + ")");
                }
                yield number;
            }
            case TYPE_NOT_SET -> throw badRequest("the seek's start position has no type");
        };
    }

    private static long stop(SeekPosition position, long start, long height) throws SeekRejectedException {
        return switch (position.getTypeCase()) {
            case OLDEST -> start;
            case NEWEST -> {
                long newest = Math.max(0, height - 1);
                // "From newest to newest" is one block even if another commits meanwhile.
                if (Long.compareUnsigned(newest, start) < 0) {
                    throw badRequest("the seek stops at the newest block " + newest + ", before its start " + start);
                }
                yield newest;
            }
            case SPECIFIED -> {
                long number = position.getSpecified().getNumber();
                if (Long.compareUnsigned(number, start) < 0) {
                    throw badRequest("the seek stops at block " + Long.toUnsignedString(number) + ", before its start "
                            + Long.toUnsignedString(start));
                }
                yield number;
            }
            case NEXT_COMMIT, TYPE_NOT_SET -> throw badRequest("the seek's stop must be oldest, newest or a block number");
        };
    }

    private void checkTlsBinding(ByteString claimed, Optional<byte[]> actual) throws SeekRejectedException {
        if (claimed.isEmpty() && !config.tlsBindingRequired()) {
            return;
        }
        if (claimed.isEmpty()) {
            throw new SeekRejectedException(Status.FORBIDDEN, "this node requires the seek's channel header to carry "
                    + "tls_cert_hash, the SHA-256 of the client's TLS certificate (Gateway.Builder.tlsClientCertificateHash)");
        }
        if (actual.isEmpty()) {
            throw new SeekRejectedException(Status.FORBIDDEN,
                    "the seek is bound to a TLS certificate but the call did not present one (mutual TLS is needed)");
        }
        if (!MessageDigest.isEqual(claimed.toByteArray(), actual.get())) {
            throw new SeekRejectedException(Status.FORBIDDEN, "the seek is bound to TLS certificate "
                    + HexFormat.of().formatHex(claimed.toByteArray()) + " but the call came with certificate "
                    + HexFormat.of().formatHex(actual.get()));
        }
    }

    private static SeekRejectedException badRequest(String message) {
        return new SeekRejectedException(Status.BAD_REQUEST, message);
    }
}
