package io.hearsay.peer.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.anchor.AnchorLoad;
import io.hearsay.discovery.anchor.AnchorMessage;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.discovery.election.ElectionMessage;
import io.hearsay.discovery.routing.RouteMessage;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.identity.PkiId;
import io.hearsay.peer.overlay.OverlayCodec;
import io.hearsay.proto.gossip.SignedEnvelope;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The overlay envelope: every anchor and routing message survives encode then decode with every signed field intact,
 * the dispatcher routes it as node-level (no channel), no channel codec accepts it and it accepts no channel message,
 * and every malformed overlay envelope is refused with a reason naming what is wrong.
 */
class OverlayWireTest {
    private static final PkiId SIGNER = id(0x5A);
    private static final PkiId OTHER = id(0x22);
    private static final PkiId THIRD = id(0x33);
    private static final byte[] SIGNATURE = filled(71, 0x30);
    private static final String TOO_BIG = Long.toUnsignedString(Long.MIN_VALUE); // 2^63
    private static final OverlayCodec CODEC = new OverlayCodec();

    static Stream<OverlayMessage> messages() {
        PeerEndpoints own = new PeerEndpoints(SIGNER, "Org1MSP", "10.0.0.1:7051", "peer0.org1.example.com:7051");
        PeerEndpoints child = new PeerEndpoints(OTHER, "Org2MSP", "", "peer1.org2.example.com:7051");
        return Stream.of(
                new OverlayMessage.Anchoring(new AnchorMessage.JoinRequest()),
                new OverlayMessage.Anchoring(new AnchorMessage.JoinReply(List.of(new AnchorLoad(SIGNER, "Org1MSP", 3),
                        new AnchorLoad(OTHER, "Org2MSP", 0)))),
                new OverlayMessage.Anchoring(new AnchorMessage.Attach(), List.of(own)),
                new OverlayMessage.Anchoring(new AnchorMessage.Attach()),
                new OverlayMessage.Anchoring(new AnchorMessage.AttachReply(false, "anchor full: 10 peers attached")),
                new OverlayMessage.Anchoring(new AnchorMessage.Detach()),
                new OverlayMessage.Anchoring(new AnchorMessage.Heartbeat()),
                new OverlayMessage.Anchoring(new AnchorMessage.HeartbeatAck(true)),
                new OverlayMessage.Anchoring(new AnchorMessage.Announcement("Org1MSP", SIGNER, Long.MAX_VALUE, 7,
                        List.of(OTHER, THIRD)), List.of(child)),
                new OverlayMessage.Routing(new RouteMessage.Route(SIGNER, 42, OTHER, new byte[] {1, 2, 3}, 1, 600)),
                new OverlayMessage.Routing(new RouteMessage.Ack(SIGNER, 42, 3)),
                new OverlayMessage.Routing(new RouteMessage.Outcome(SIGNER, 42, false, 3, "target unreachable", true)),
                new OverlayMessage.Routing(new RouteMessage.Outcome(SIGNER, 42, true, 0, "", false)),
                new OverlayMessage.Routing(new RouteMessage.OutcomeAck(SIGNER, 42)));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void everyMessageRoundTripsWithEverySignedField(OverlayMessage message) throws MalformedMessageException {
        SignedMessage<OverlayMessage> signed = new SignedMessage<>(SIGNER, Long.MAX_VALUE, message, SIGNATURE);

        SignedMessage<OverlayMessage> decoded = OverlayWire.decode(ByteString.copyFrom(OverlayWire.encode(signed)), SIGNER);

        assertThat(decoded.signer()).isEqualTo(SIGNER);
        assertThat(decoded.sequence()).isEqualTo(Long.MAX_VALUE);
        assertThat(decoded.signature()).isEqualTo(SIGNATURE);
        assertThat(CODEC.signedContent(decoded.message())).isEqualTo(CODEC.signedContent(message));
        if (message instanceof OverlayMessage.Anchoring) {
            assertThat(decoded.message()).isEqualTo(message);
        }
    }

    @Test
    void theDispatcherRoutesAnOverlayEnvelopeAsNodeLevel() throws MalformedMessageException {
        ByteString overlay = ByteString.copyFrom(OverlayWire.encode(
                new SignedMessage<>(SIGNER, 1, new OverlayMessage.Anchoring(new AnchorMessage.Heartbeat()), SIGNATURE)));

        assertThat(EnvelopeWire.decode(overlay, SIGNER)).isInstanceOfSatisfying(EnvelopeWire.Overlay.class, o -> {
            assertThat(o.channel()).isEmpty();
            assertThat(o.signed().message()).isEqualTo(new OverlayMessage.Anchoring(new AnchorMessage.Heartbeat()));
        });
    }

    @Test
    void noChannelCodecAcceptsAnOverlayEnvelopeNorTheOtherWayRound() {
        ByteString overlay = ByteString.copyFrom(OverlayWire.encode(
                new SignedMessage<>(SIGNER, 1, new OverlayMessage.Anchoring(new AnchorMessage.Heartbeat()), SIGNATURE)));
        ByteString election = ByteString.copyFrom(ElectionWire.encode("testchannel",
                new SignedMessage<>(SIGNER, 1, new ElectionMessage(true, 5), SIGNATURE)));
        ByteString block = ByteString.copyFrom(BlockWire.encode("testchannel",
                new SignedMessage<>(SIGNER, 2, new BlockMessage.Prune(), SIGNATURE)));

        // The channel codecs check the header first: an overlay envelope names no channel, so it is refused for that.
        assertThatThrownBy(() -> BlockWire.decode(overlay, SIGNER)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("channel id is empty");
        assertThatThrownBy(() -> ElectionWire.decode(overlay, SIGNER)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("channel id is empty");
        assertThatThrownBy(() -> OverlayWire.decode(election, SIGNER)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("not an overlay message");
        assertThatThrownBy(() -> OverlayWire.decode(block, SIGNER)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("not an overlay message");
    }

    static Stream<Arguments> malformedEnvelopes() {
        var overlay = io.hearsay.proto.gossip.OverlayMessage.newBuilder();
        var endpoints = io.hearsay.proto.gossip.OverlayMessage.PeerEndpoints.newBuilder()
                .setPeer(SIGNER.toByteString()).setOrganization("Org1MSP").setInternalEndpoint("10.0.0.1:7051");
        var route = io.hearsay.proto.gossip.OverlayMessage.Route.newBuilder().setOrigin(SIGNER.toByteString())
                .setTarget(OTHER.toByteString()).setId(1).setHop(1);
        var announcement = io.hearsay.proto.gossip.OverlayMessage.Announcement.newBuilder().setOrganization("Org1MSP")
                .setAnchor(SIGNER.toByteString()).addChildren(OTHER.toByteString());
        return Stream.of(
                malformed("a channel", e -> e.setChannel("testchannel"), "must name none"),
                malformed("a 31-byte signer", e -> e.setSigner(ByteString.copyFrom(new byte[31])), "signer is 31 bytes"),
                malformed("no signature", e -> e.setSignature(ByteString.EMPTY), "signature is 0 bytes"),
                malformed("a sequence of 2^63", e -> e.setSequence(Long.MIN_VALUE), "sequence " + TOO_BIG + " is out of range"),
                malformed("no kind", e -> e.setOverlay(overlay.clear()), "carries no kind"),
                malformed("a route of hop 0", e -> e.setOverlay(overlay.clear().setRoute(route.clone().setHop(0))),
                        "hop 0 is not in [1, 3]"),
                malformed("a route of hop 4", e -> e.setOverlay(overlay.clear().setRoute(route.clone().setHop(4))),
                        "hop 4 is not in [1, 3]"),
                malformed("a route id of 2^63", e -> e.setOverlay(overlay.clear().setRoute(route.clone().setId(Long.MIN_VALUE))),
                        "route id " + TOO_BIG + " is out of range"),
                malformed("a 5-byte target", e -> e.setOverlay(overlay.clear().setRoute(route.clone()
                        .setTarget(ByteString.copyFrom(new byte[5])))), "route target is 5 bytes"),
                malformed("a delivered outcome naming a failed hop", e -> e.setOverlay(overlay.clear().setRouteOutcome(
                        io.hearsay.proto.gossip.OverlayMessage.RouteOutcome.newBuilder().setOrigin(SIGNER.toByteString())
                                .setDelivered(true).setFailedHop(2))), "delivered outcome names failed hop 2"),
                malformed("an attach with another peer's endpoints", e -> e.setOverlay(overlay.clear().setAttach(
                        io.hearsay.proto.gossip.OverlayMessage.Attach.newBuilder().setEndpoints(endpoints.clone()
                                .setPeer(OTHER.toByteString())))), "not of its sender"),
                malformed("an endpoint that is not host:port", e -> e.setOverlay(overlay.clear().setAttach(
                        io.hearsay.proto.gossip.OverlayMessage.Attach.newBuilder().setEndpoints(endpoints.clone()
                                .setInternalEndpoint("10.0.0.1")))), "internal endpoint '10.0.0.1' is not host:port"),
                malformed("a port above 65535", e -> e.setOverlay(overlay.clear().setAttach(
                        io.hearsay.proto.gossip.OverlayMessage.Attach.newBuilder().setEndpoints(endpoints.clone()
                                .setExternalEndpoint("peer.example.com:70000")))), "is not host:port"),
                malformed("endpoints with no organisation", e -> e.setOverlay(overlay.clear().setAttach(
                        io.hearsay.proto.gossip.OverlayMessage.Attach.newBuilder().setEndpoints(endpoints.clone()
                                .setOrganization("")))), "organisation is empty"),
                malformed("endpoints of a peer the announcement does not list", e -> e.setOverlay(overlay.clear()
                        .setAnnouncement(announcement.clone().addChildEndpoints(endpoints.clone()))),
                        "which it does not list as a child"),
                malformed("a child listed twice", e -> e.setOverlay(overlay.clear()
                        .setAnnouncement(announcement.clone().addChildren(OTHER.toByteString()))), "lists child"),
                malformed("an incarnation of 2^63", e -> e.setOverlay(overlay.clear()
                        .setAnnouncement(announcement.clone().setIncarnation(Long.MIN_VALUE))),
                        "incarnation " + TOO_BIG + " is out of range"),
                malformed("an anchor listed twice in a join reply", e -> e.setOverlay(overlay.clear().setJoinReply(
                        io.hearsay.proto.gossip.OverlayMessage.JoinReply.newBuilder()
                                .addAnchors(load(SIGNER, 1)).addAnchors(load(SIGNER, 2)))), "lists anchor"),
                malformed("a negative load", e -> e.setOverlay(overlay.clear().setJoinReply(
                        io.hearsay.proto.gossip.OverlayMessage.JoinReply.newBuilder().addAnchors(load(SIGNER, -1)))),
                        "anchor load 4294967295 is out of range"),
                malformed("an over-long refusal reason", e -> e.setOverlay(overlay.clear().setAttachReply(
                        io.hearsay.proto.gossip.OverlayMessage.AttachReply.newBuilder().setReason("x".repeat(1_025)))),
                        "more than 1024"));
    }

    private static io.hearsay.proto.gossip.OverlayMessage.AnchorLoad load(PkiId anchor, int attached) {
        return io.hearsay.proto.gossip.OverlayMessage.AnchorLoad.newBuilder().setAnchor(anchor.toByteString())
                .setOrganization("Org1MSP").setAttachedPeers(attached).build();
    }

    private static Arguments malformed(String name, UnaryOperator<SignedEnvelope.Builder> mutation, String reason) {
        return Arguments.of(name, mutation.apply(valid().toBuilder()).build().toByteString(), reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedEnvelopes")
    void aMalformedOverlayEnvelopeIsRefusedWithItsReason(String name, ByteString envelope, String reason) {
        assertThatThrownBy(() -> OverlayWire.decode(envelope, SIGNER)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining(reason);
        // The node's dispatcher refuses it too (the connection closes with the reason).
        assertThatThrownBy(() -> EnvelopeWire.decode(envelope, SIGNER)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void theValidBaseDecodes() throws MalformedMessageException {
        assertThat(OverlayWire.decode(valid().toByteString(), SIGNER).message())
                .isEqualTo(new OverlayMessage.Anchoring(new AnchorMessage.HeartbeatAck(true)));
    }

    @Test
    void endpointsAreEmptyOrHostAndPort() {
        assertThat(OverlayWire.isEndpoint("")).isTrue();
        assertThat(OverlayWire.isEndpoint("peer0.org1.example.com:7051")).isTrue();
        assertThat(OverlayWire.isEndpoint("[::1]:7051")).isTrue();
        assertThat(OverlayWire.isEndpoint(":7051")).isFalse();
        assertThat(OverlayWire.isEndpoint("host:")).isFalse();
        assertThat(OverlayWire.isEndpoint("host:0")).isFalse();
        assertThat(OverlayWire.isEndpoint("host name:7051")).isFalse();
        assertThat(OverlayWire.isEndpoint("h".repeat(260) + ":1")).isFalse();
    }

    private static SignedEnvelope valid() {
        try {
            return SignedEnvelope.parseFrom(OverlayWire.encode(new SignedMessage<>(SIGNER, 9,
                    new OverlayMessage.Anchoring(new AnchorMessage.HeartbeatAck(true)), SIGNATURE)));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static PkiId id(int fill) {
        return PkiId.fromBytes(filled(PkiId.LENGTH_BYTES, fill));
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
