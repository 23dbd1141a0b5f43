package io.hearsay.peer.wire;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.discovery.election.ElectionMessage;
import io.hearsay.identity.PkiId;
import io.hearsay.proto.gossip.SignedEnvelope;

/**
 * Signed leader-election messages to and from {@code hearsay.gossip.SignedEnvelope} bytes, the same envelope block
 * gossip uses with the {@code election} body. Decoding is as strict as {@link BlockWire}'s: a malformed header or a
 * height above 2^63 is refused with a reason, before the message is authenticated or reaches the election.
 */
public final class ElectionWire {
    private ElectionWire() {}

    /** A decoded envelope: the channel whose election it belongs to and the still unauthenticated message. */
    public record Routed(String channel, SignedMessage<ElectionMessage> signed) {}

    public static byte[] encode(String channel, SignedMessage<ElectionMessage> signed) {
        return SignedEnvelope.newBuilder()
                .setChannel(channel)
                .setSequence(signed.sequence())
                .setSignature(ByteString.copyFrom(signed.signature()))
                .setElection(io.hearsay.proto.gossip.ElectionMessage.newBuilder()
                        .setLeading(signed.message().leading())
                        .setLedgerHeight(signed.message().ledgerHeight()))
                .build()
                .toByteArray();
    }

    /** Decodes an election envelope; an envelope carrying another protocol's message is refused. */
    public static Routed decode(ByteString bytes, PkiId link) throws MalformedMessageException {
        return decode(EnvelopeHeader.parse(bytes), link);
    }

    static Routed decode(SignedEnvelope envelope, PkiId link) throws MalformedMessageException {
        EnvelopeHeader header = EnvelopeHeader.of(envelope, link);
        if (envelope.getBodyCase() != SignedEnvelope.BodyCase.ELECTION) {
            throw new MalformedMessageException("envelope carries a " + envelope.getBodyCase() + " message, not an election message");
        }
        var election = envelope.getElection();
        ElectionMessage message = new ElectionMessage(election.getLeading(),
                EnvelopeHeader.number("ledger height", election.getLedgerHeight()));
        return new Routed(header.channel(), new SignedMessage<>(header.signer(), header.sequence(), message,
                header.signature()));
    }
}
