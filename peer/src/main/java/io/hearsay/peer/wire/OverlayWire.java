package io.hearsay.peer.wire;

import com.google.protobuf.ByteString;
import io.hearsay.discovery.anchor.AnchorLoad;
import io.hearsay.discovery.anchor.AnchorMessage;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.discovery.routing.RouteMessage;
import io.hearsay.identity.PkiId;
import io.hearsay.proto.gossip.SignedEnvelope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Signed overlay messages (anchors, joining, routed delivery) to and from {@code hearsay.gossip.SignedEnvelope}
 * bytes with the {@code overlay} body and no channel: the overlay is the node's, not a channel's. Decoding is as
 * strict as {@link BlockWire}'s: a malformed header, a PKI-ID of the wrong size, a number above 2^63, a hop out of
 * range, an endpoint that is not {@code host:port}, an endpoint entry for a peer the message is not about, or a list
 * over its bound is refused with a reason, before the message is authenticated or reaches the overlay.
 */
public final class OverlayWire {
    /** Organisation (MSP) ids are short names; this bounds what a hostile sender can make us hold. */
    static final int ORGANIZATION_CHARS_MAX = 255;
    /** A DNS name (253) plus ':' and a port. */
    static final int ENDPOINT_CHARS_MAX = 261;
    static final int REASON_CHARS_MAX = 1_024;
    /** Anchors in one join reply: a handful per organisation, bounded well above any real channel. */
    static final int ANCHORS_MAX = 1_024;
    /** Children in one announcement: {@code JoinConfig}'s default {@code childrenMax}. */
    static final int CHILDREN_MAX = 10_000;
    /** Hops of a route: sender → parent anchor → target's anchor → target. */
    static final int HOPS_MAX = 3;

    private OverlayWire() {}

    public static byte[] encode(SignedMessage<OverlayMessage> signed) {
        return SignedEnvelope.newBuilder()
                .setSequence(signed.sequence())
                .setSignature(ByteString.copyFrom(signed.signature()))
                .setOverlay(toProto(signed.message()))
                .build()
                .toByteArray();
    }

    /** Decodes an overlay envelope; an envelope carrying a channel protocol's message is refused. */
    public static SignedMessage<OverlayMessage> decode(ByteString bytes, PkiId link) throws MalformedMessageException {
        return decode(EnvelopeHeader.parse(bytes), link);
    }

    static SignedMessage<OverlayMessage> decode(SignedEnvelope envelope, PkiId link) throws MalformedMessageException {
        if (envelope.getBodyCase() != SignedEnvelope.BodyCase.OVERLAY) {
            // Checked before the header, so a channel message is refused for what it is, not for naming a channel.
            throw new MalformedMessageException("envelope carries a " + envelope.getBodyCase() + " message, not an overlay message");
        }
        EnvelopeHeader header = EnvelopeHeader.nodeLevel(envelope, link);
        return new SignedMessage<>(header.signer(), header.sequence(), fromProto(envelope.getOverlay(), header.signer()),
                header.signature());
    }

    // ---- to the wire ----

    static io.hearsay.proto.gossip.OverlayMessage toProto(OverlayMessage message) {
        var out = io.hearsay.proto.gossip.OverlayMessage.newBuilder();
        if (message instanceof OverlayMessage.Routing routing) {
            writeRoute(routing.message(), out);
            return out.build();
        }
        OverlayMessage.Anchoring anchoring = (OverlayMessage.Anchoring) message;
        AnchorMessage anchor = anchoring.message();
        if (anchor instanceof AnchorMessage.JoinRequest) {
            out.setJoinRequest(io.hearsay.proto.gossip.OverlayMessage.JoinRequest.getDefaultInstance());
        } else if (anchor instanceof AnchorMessage.JoinReply reply) {
            var proto = io.hearsay.proto.gossip.OverlayMessage.JoinReply.newBuilder();
            for (AnchorLoad load : reply.anchors()) {
                proto.addAnchors(io.hearsay.proto.gossip.OverlayMessage.AnchorLoad.newBuilder()
                        .setAnchor(load.anchor().toByteString()).setOrganization(load.organization())
                        .setAttachedPeers(load.attachedPeers()));
            }
            out.setJoinReply(proto);
        } else if (anchor instanceof AnchorMessage.Attach) {
            var proto = io.hearsay.proto.gossip.OverlayMessage.Attach.newBuilder();
            anchoring.endpoints().stream().findFirst().ifPresent(own -> proto.setEndpoints(toProto(own)));
            out.setAttach(proto);
        } else if (anchor instanceof AnchorMessage.AttachReply reply) {
            out.setAttachReply(io.hearsay.proto.gossip.OverlayMessage.AttachReply.newBuilder()
                    .setAccepted(reply.accepted()).setReason(reply.reason()));
        } else if (anchor instanceof AnchorMessage.Detach) {
            out.setDetach(io.hearsay.proto.gossip.OverlayMessage.Detach.getDefaultInstance());
        } else if (anchor instanceof AnchorMessage.Heartbeat) {
            out.setHeartbeat(io.hearsay.proto.gossip.OverlayMessage.Heartbeat.getDefaultInstance());
        } else if (anchor instanceof AnchorMessage.HeartbeatAck ack) {
            out.setHeartbeatAck(io.hearsay.proto.gossip.OverlayMessage.HeartbeatAck.newBuilder().setAttached(ack.attached()));
        } else if (anchor instanceof AnchorMessage.Announcement announcement) {
            var proto = io.hearsay.proto.gossip.OverlayMessage.Announcement.newBuilder()
                    .setOrganization(announcement.organization()).setAnchor(announcement.anchor().toByteString())
                    .setIncarnation(announcement.incarnation()).setSequence(announcement.sequence());
            announcement.children().forEach(child -> proto.addChildren(child.toByteString()));
            anchoring.endpoints().forEach(endpoints -> proto.addChildEndpoints(toProto(endpoints)));
            out.setAnnouncement(proto);
        }
        return out.build();
    }

    private static void writeRoute(RouteMessage message, io.hearsay.proto.gossip.OverlayMessage.Builder out) {
        if (message instanceof RouteMessage.Route route) {
            out.setRoute(io.hearsay.proto.gossip.OverlayMessage.Route.newBuilder()
                    .setOrigin(route.origin().toByteString()).setId(route.id()).setTarget(route.target().toByteString())
                    .setPayload(ByteString.copyFrom(route.payload())).setHop(route.hop())
                    .setBudgetMillis(Math.max(0, route.budgetMillis())));
        } else if (message instanceof RouteMessage.Ack ack) {
            out.setRouteAck(io.hearsay.proto.gossip.OverlayMessage.RouteAck.newBuilder()
                    .setOrigin(ack.origin().toByteString()).setId(ack.id()).setHop(ack.hop()));
        } else if (message instanceof RouteMessage.Outcome outcome) {
            out.setRouteOutcome(io.hearsay.proto.gossip.OverlayMessage.RouteOutcome.newBuilder()
                    .setOrigin(outcome.origin().toByteString()).setId(outcome.id()).setDelivered(outcome.delivered())
                    .setFailedHop(outcome.failedHop()).setReason(outcome.reason()).setRefused(outcome.refused()));
        } else if (message instanceof RouteMessage.OutcomeAck ack) {
            out.setRouteOutcomeAck(io.hearsay.proto.gossip.OverlayMessage.RouteOutcomeAck.newBuilder()
                    .setOrigin(ack.origin().toByteString()).setId(ack.id()));
        }
    }

    private static io.hearsay.proto.gossip.OverlayMessage.PeerEndpoints toProto(PeerEndpoints endpoints) {
        return io.hearsay.proto.gossip.OverlayMessage.PeerEndpoints.newBuilder()
                .setPeer(endpoints.peer().toByteString()).setOrganization(endpoints.organization())
                .setInternalEndpoint(endpoints.internalEndpoint()).setExternalEndpoint(endpoints.externalEndpoint())
                .build();
    }

    // ---- from the wire ----

    static OverlayMessage fromProto(io.hearsay.proto.gossip.OverlayMessage in, PkiId signer) throws MalformedMessageException {
        return switch (in.getKindCase()) {
            case JOIN_REQUEST -> new OverlayMessage.Anchoring(new AnchorMessage.JoinRequest());
            case JOIN_REPLY -> new OverlayMessage.Anchoring(joinReply(in.getJoinReply()));
            case ATTACH -> attach(in.getAttach(), signer);
            case ATTACH_REPLY -> new OverlayMessage.Anchoring(new AnchorMessage.AttachReply(
                    in.getAttachReply().getAccepted(), text("attach refusal reason", in.getAttachReply().getReason(),
                            REASON_CHARS_MAX)));
            case DETACH -> new OverlayMessage.Anchoring(new AnchorMessage.Detach());
            case HEARTBEAT -> new OverlayMessage.Anchoring(new AnchorMessage.Heartbeat());
            case HEARTBEAT_ACK -> new OverlayMessage.Anchoring(new AnchorMessage.HeartbeatAck(in.getHeartbeatAck().getAttached()));
            case ANNOUNCEMENT -> announcement(in.getAnnouncement());
            case ROUTE -> new OverlayMessage.Routing(route(in.getRoute()));
            case ROUTE_ACK -> new OverlayMessage.Routing(new RouteMessage.Ack(pkiId("route origin", in.getRouteAck().getOrigin()),
                    EnvelopeHeader.number("route id", in.getRouteAck().getId()), hop(in.getRouteAck().getHop(), 1)));
            case ROUTE_OUTCOME -> new OverlayMessage.Routing(outcome(in.getRouteOutcome()));
            case ROUTE_OUTCOME_ACK -> new OverlayMessage.Routing(new RouteMessage.OutcomeAck(
                    pkiId("route origin", in.getRouteOutcomeAck().getOrigin()),
                    EnvelopeHeader.number("route id", in.getRouteOutcomeAck().getId())));
            case KIND_NOT_SET -> throw new MalformedMessageException("overlay message carries no kind");
        };
    }

    private static AnchorMessage.JoinReply joinReply(io.hearsay.proto.gossip.OverlayMessage.JoinReply in)
            throws MalformedMessageException {
        if (in.getAnchorsCount() > ANCHORS_MAX) {
            throw new MalformedMessageException("join reply lists " + in.getAnchorsCount() + " anchors, more than " + ANCHORS_MAX);
        }
        List<AnchorLoad> anchors = new ArrayList<>(in.getAnchorsCount());
        Set<PkiId> seen = new HashSet<>();
        for (var load : in.getAnchorsList()) {
            PkiId anchor = pkiId("anchor", load.getAnchor());
            if (!seen.add(anchor)) {
                throw new MalformedMessageException("join reply lists anchor " + anchor + " twice");
            }
            if (load.getAttachedPeers() < 0) {
                throw new MalformedMessageException("anchor load " + Integer.toUnsignedString(load.getAttachedPeers())
                        + " is out of range");
            }
            anchors.add(new AnchorLoad(anchor, organization(load.getOrganization()), load.getAttachedPeers()));
        }
        return new AnchorMessage.JoinReply(anchors);
    }

    private static OverlayMessage attach(io.hearsay.proto.gossip.OverlayMessage.Attach in, PkiId signer)
            throws MalformedMessageException {
        if (!in.hasEndpoints()) {
            return new OverlayMessage.Anchoring(new AnchorMessage.Attach());
        }
        PeerEndpoints own = endpoints(in.getEndpoints());
        if (!own.peer().equals(signer)) {
            throw new MalformedMessageException("an attach carries the endpoints of " + own.peer() + ", not of its sender");
        }
        return new OverlayMessage.Anchoring(new AnchorMessage.Attach(), List.of(own));
    }

    private static OverlayMessage announcement(io.hearsay.proto.gossip.OverlayMessage.Announcement in)
            throws MalformedMessageException {
        if (in.getChildrenCount() > CHILDREN_MAX) {
            throw new MalformedMessageException("announcement lists " + in.getChildrenCount() + " children, more than " + CHILDREN_MAX);
        }
        List<PkiId> children = new ArrayList<>(in.getChildrenCount());
        Set<PkiId> childSet = new HashSet<>();
        for (ByteString child : in.getChildrenList()) {
            PkiId id = pkiId("child", child);
            if (!childSet.add(id)) {
                throw new MalformedMessageException("announcement lists child " + id + " twice");
            }
            children.add(id);
        }
        List<PeerEndpoints> endpoints = new ArrayList<>(in.getChildEndpointsCount());
        Set<PkiId> described = new HashSet<>();
        for (var entry : in.getChildEndpointsList()) {
            PeerEndpoints decoded = endpoints(entry);
            if (!childSet.contains(decoded.peer())) {
                throw new MalformedMessageException("announcement gives endpoints of " + decoded.peer() + ", which it does not list as a child");
            }
            if (!described.add(decoded.peer())) {
                throw new MalformedMessageException("announcement gives the endpoints of " + decoded.peer() + " twice");
            }
            endpoints.add(decoded);
        }
        AnchorMessage.Announcement announcement = new AnchorMessage.Announcement(organization(in.getOrganization()),
                pkiId("anchor", in.getAnchor()), EnvelopeHeader.number("incarnation", in.getIncarnation()),
                EnvelopeHeader.number("announcement sequence", in.getSequence()), children);
        return new OverlayMessage.Anchoring(announcement, endpoints);
    }

    private static RouteMessage.Route route(io.hearsay.proto.gossip.OverlayMessage.Route in) throws MalformedMessageException {
        return new RouteMessage.Route(pkiId("route origin", in.getOrigin()), EnvelopeHeader.number("route id", in.getId()),
                pkiId("route target", in.getTarget()), in.getPayload().toByteArray(), hop(in.getHop(), 1),
                EnvelopeHeader.number("route budget", in.getBudgetMillis()));
    }

    private static RouteMessage.Outcome outcome(io.hearsay.proto.gossip.OverlayMessage.RouteOutcome in)
            throws MalformedMessageException {
        int failedHop = hop(in.getFailedHop(), 0);
        if (in.getDelivered() && failedHop != 0) {
            throw new MalformedMessageException("a delivered outcome names failed hop " + failedHop);
        }
        return new RouteMessage.Outcome(pkiId("route origin", in.getOrigin()), EnvelopeHeader.number("route id", in.getId()),
                in.getDelivered(), failedHop, text("route failure reason", in.getReason(), REASON_CHARS_MAX), in.getRefused());
    }

    private static PeerEndpoints endpoints(io.hearsay.proto.gossip.OverlayMessage.PeerEndpoints in)
            throws MalformedMessageException {
        return new PeerEndpoints(pkiId("peer", in.getPeer()), organization(in.getOrganization()),
                endpoint("internal endpoint", in.getInternalEndpoint()), endpoint("external endpoint", in.getExternalEndpoint()));
    }

    private static int hop(int hop, int lowest) throws MalformedMessageException {
        if (hop < lowest || hop > HOPS_MAX) {
            throw new MalformedMessageException("hop " + Integer.toUnsignedString(hop) + " is not in [" + lowest + ", "
                    + HOPS_MAX + "]");
        }
        return hop;
    }

    private static PkiId pkiId(String field, ByteString bytes) throws MalformedMessageException {
        if (bytes.size() != PkiId.LENGTH_BYTES) {
            throw new MalformedMessageException(field + " is " + bytes.size() + " bytes, not a " + PkiId.LENGTH_BYTES
                    + "-byte PKI-ID");
        }
        return PkiId.fromBytes(bytes);
    }

    private static String organization(String value) throws MalformedMessageException {
        if (value.isEmpty()) {
            throw new MalformedMessageException("organisation is empty");
        }
        return text("organisation", value, ORGANIZATION_CHARS_MAX);
    }

    private static String text(String field, String value, int charsMax) throws MalformedMessageException {
        if (value.length() > charsMax) {
            throw new MalformedMessageException(field + " is " + value.length() + " characters, more than " + charsMax);
        }
        return value;
    }

    /** Empty (none), or {@code host:port} with a port in [1, 65535] and no spaces. */
    static String endpoint(String field, String value) throws MalformedMessageException {
        if (!isEndpoint(value)) {
            throw new MalformedMessageException(field + " '" + abbreviate(value) + "' is not host:port");
        }
        return value;
    }

    /** Whether {@code value} is empty (no endpoint) or an endpoint receivers accept: {@code host:port}, at most
     * {@value #ENDPOINT_CHARS_MAX} characters, a port in [1, 65535], no spaces. */
    public static boolean isEndpoint(String value) {
        if (value.isEmpty()) {
            return true;
        }
        if (value.length() > ENDPOINT_CHARS_MAX) {
            return false;
        }
        int colon = value.lastIndexOf(':');
        boolean wellFormed = colon > 0 && colon < value.length() - 1 && value.chars().noneMatch(Character::isWhitespace);
        if (wellFormed) {
            String port = value.substring(colon + 1);
            wellFormed = port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9')
                    && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65_535;
        }
        return wellFormed;
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
