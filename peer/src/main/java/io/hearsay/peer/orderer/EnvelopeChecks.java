package io.hearsay.peer.orderer;

import com.google.protobuf.InvalidProtocolBufferException;
import io.hearsay.identity.IdentityException;
import io.hearsay.peer.auth.TimeWindow;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;

/**
 * What the orderer checks of an envelope before it accepts it for ordering, in Fabric's order and with Fabric's
 * status codes (its broadcast message processor and filters): size, structure, channel, header type, timestamp,
 * then the creator and its signature against the channel's organisations (Fabric's Writers policy, which for our
 * channels is "any member of a channel organisation"). The transaction inside is not looked at: validating it
 * is the peers' job.
 */
final class EnvelopeChecks {
    private final OrdererChannels channels;
    private final long envelopeBytesMax;
    private final TimeWindow timeWindow;

    EnvelopeChecks(OrdererChannels channels, OrdererConfig config, TimeWindow timeWindow) {
        this.channels = channels;
        this.envelopeBytesMax = config.envelopeBytesMax();
        this.timeWindow = timeWindow;
    }

    /** The outcome of the checks. */
    sealed interface Verdict permits Accepted, Refusal {}

    /** The envelope passed: the orderer of the channel it is for. */
    record Accepted(SoloOrderer orderer) implements Verdict {}

    /** Why an envelope is refused, as the {@code BroadcastResponse} says it. */
    record Refusal(Status status, String info) implements Verdict {}

    Verdict check(Envelope envelope) {
        if (envelope.getSerializedSize() > envelopeBytesMax) {
            return refuse(Status.BAD_REQUEST, "the envelope is " + envelope.getSerializedSize()
                    + " bytes, more than the orderer's limit of " + envelopeBytesMax + " bytes");
        }
        if (envelope.getSignature().isEmpty()) {
            return refuse(Status.BAD_REQUEST, "the envelope has no signature; the creator must sign the payload");
        }
        Payload payload;
        ChannelHeader channelHeader;
        SignatureHeader signatureHeader;
        try {
            payload = Payload.parseFrom(envelope.getPayload());
            if (!payload.hasHeader()) {
                return refuse(Status.BAD_REQUEST, "the envelope's payload has no header");
            }
            channelHeader = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            signatureHeader = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
        } catch (InvalidProtocolBufferException e) {
            return refuse(Status.BAD_REQUEST, "the envelope's payload or header does not parse: " + e.getMessage());
        }
        if (channelHeader.getChannelId().isEmpty()) {
            return refuse(Status.BAD_REQUEST, "the envelope's channel header names no channel");
        }
        Optional<SoloOrderer> orderer = channels.orderer(channelHeader.getChannelId());
        if (orderer.isEmpty()) {
            return refuse(Status.NOT_FOUND, "channel '" + channelHeader.getChannelId()
                    + "' does not exist on this orderer; it orders " + channels.channelIds());
        }
        if (channelHeader.getType() != HeaderType.ENDORSER_TRANSACTION_VALUE) {
            return refuse(Status.BAD_REQUEST, "header type " + channelHeader.getType()
                    + " is not accepted; this orderer orders ENDORSER_TRANSACTION (" + HeaderType.ENDORSER_TRANSACTION_VALUE
                    + ") envelopes only (no channel configuration updates)");
        }
        Optional<String> stale = timeWindow.violation(channelHeader.getTimestamp());
        if (stale.isPresent()) {
            return refuse(Status.BAD_REQUEST, stale.get());
        }
        if (signatureHeader.getCreator().isEmpty()) {
            return refuse(Status.BAD_REQUEST, "the envelope's signature header has no creator");
        }
        try {
            orderer.get().ledger().organizations().verify(signatureHeader.getCreator(), envelope.getPayload(),
                    envelope.getSignature().toByteArray());
        } catch (IdentityException e) {
            return refuse(Status.FORBIDDEN, "the creator may not write to channel '" + channelHeader.getChannelId()
                    + "': " + e.getMessage() + " (" + e.reason() + ")");
        }
        return new Accepted(orderer.get());
    }

    private static Refusal refuse(Status status, String info) {
        return new Refusal(status, info);
    }
}
