package io.hearsay.peer.overlay;

import io.hearsay.discovery.anchor.AnchorLoad;
import io.hearsay.discovery.anchor.AnchorMessage;
import io.hearsay.discovery.auth.ContentWriter;
import io.hearsay.discovery.auth.MessageCodec;
import io.hearsay.discovery.routing.RouteMessage;
import io.hearsay.identity.PkiId;
import io.hearsay.peer.wire.OverlayMessage;
import io.hearsay.peer.wire.PeerEndpoints;

/**
 * The signed content of an overlay message: an empty channel id, the tag {@value #TAG}, a kind byte, then every field
 * the overlay acts on, endpoints included. Channel protocols sign their (never empty) channel id first, and block
 * gossip's tags are 1–8 and election's 0x45 after it, so no channel message's signature verifies as an overlay
 * message or the other way round.
 */
public final class OverlayCodec implements MessageCodec<OverlayMessage> {
    /** 'O'. */
    static final int TAG = 0x4F;

    @Override
    public byte[] signedContent(OverlayMessage message) {
        ContentWriter out = new ContentWriter(128);
        writeSignedContent(message, out);
        return out.toByteArray();
    }

    @Override
    public void writeSignedContent(OverlayMessage message, ContentWriter out) {
        out.writeUtf("");
        out.writeByte(TAG);
        if (message instanceof OverlayMessage.Routing routing) {
            writeRoute(routing.message(), out);
            return;
        }
        OverlayMessage.Anchoring anchoring = (OverlayMessage.Anchoring) message;
        AnchorMessage anchor = anchoring.message();
        if (anchor instanceof AnchorMessage.JoinRequest) {
            out.writeByte(1);
        } else if (anchor instanceof AnchorMessage.JoinReply reply) {
            out.writeByte(2).writeInt(reply.anchors().size());
            for (AnchorLoad load : reply.anchors()) {
                writeId(load.anchor(), out);
                out.writeUtf(load.organization()).writeInt(load.attachedPeers());
            }
        } else if (anchor instanceof AnchorMessage.Attach) {
            out.writeByte(3);
        } else if (anchor instanceof AnchorMessage.AttachReply reply) {
            out.writeByte(4).writeBoolean(reply.accepted()).writeUtf(reply.reason());
        } else if (anchor instanceof AnchorMessage.Detach) {
            out.writeByte(5);
        } else if (anchor instanceof AnchorMessage.Heartbeat) {
            out.writeByte(6);
        } else if (anchor instanceof AnchorMessage.HeartbeatAck ack) {
            out.writeByte(7).writeBoolean(ack.attached());
        } else if (anchor instanceof AnchorMessage.Announcement announcement) {
            out.writeByte(8).writeUtf(announcement.organization());
            writeId(announcement.anchor(), out);
            out.writeLong(announcement.incarnation()).writeLong(announcement.sequence());
            out.writeInt(announcement.children().size());
            announcement.children().forEach(child -> writeId(child, out));
        }
        out.writeInt(anchoring.endpoints().size());
        for (PeerEndpoints endpoints : anchoring.endpoints()) {
            writeId(endpoints.peer(), out);
            out.writeUtf(endpoints.organization()).writeUtf(endpoints.internalEndpoint())
                    .writeUtf(endpoints.externalEndpoint());
        }
    }

    private static void writeRoute(RouteMessage message, ContentWriter out) {
        if (message instanceof RouteMessage.Route route) {
            out.writeByte(9);
            writeId(route.origin(), out);
            out.writeLong(route.id());
            writeId(route.target(), out);
            out.writeInt(route.hop()).writeLong(Math.max(0, route.budgetMillis()));
            out.writeInt(route.payload().length).write(route.payload());
        } else if (message instanceof RouteMessage.Ack ack) {
            out.writeByte(10);
            writeId(ack.origin(), out);
            out.writeLong(ack.id()).writeInt(ack.hop());
        } else if (message instanceof RouteMessage.Outcome outcome) {
            out.writeByte(11);
            writeId(outcome.origin(), out);
            out.writeLong(outcome.id()).writeBoolean(outcome.delivered()).writeInt(outcome.failedHop())
                    .writeUtf(outcome.reason()).writeBoolean(outcome.refused());
        } else if (message instanceof RouteMessage.OutcomeAck ack) {
            out.writeByte(12);
            writeId(ack.origin(), out);
            out.writeLong(ack.id());
        }
    }

    private static void writeId(PkiId id, ContentWriter out) {
        out.write(id.toBytes());
    }
}
