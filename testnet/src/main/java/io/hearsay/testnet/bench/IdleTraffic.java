package io.hearsay.testnet.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.hearsay.discovery.swim.SwimCounters;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.peer.ChannelGossip;
import io.hearsay.peer.index.PeerIndexService;
import io.hearsay.peer.metrics.MessageType;
import io.hearsay.peer.metrics.WireCounters;
import io.hearsay.peer.node.PeerNode;
import io.hearsay.peer.transport.TransportCounters.Counter;
import io.hearsay.proto.index.IndexedPeer;
import io.hearsay.proto.index.RegisterRequest;
import io.hearsay.proto.index.RegisterResponse;
import io.hearsay.proto.index.Registration;
import io.hearsay.testnet.launch.RunningNetwork;
import java.util.List;

/**
 * What a quiet network spends on staying connected, per peer and second, from the nodes' own counters over a window
 * with no transactions.
 *
 * <ul>
 *   <li><b>gossip transport</b>: every frame the peers' gossip connections sent ({@code TransportCounters}) — block
 *       gossip (heartbeats, election), SWIM membership and the overlay share them;
 *   <li><b>block gossip</b>: what the channels sent ({@code WireCounters}, every {@link MessageType});
 *   <li><b>discovery</b>: the rest of the transport's frames (membership and overlay messages; the few bytes of
 *       framing around block-gossip envelopes land here too), plus, in the central model, the index's registrations
 *       and answers (the orderer counts registrations; their size is that of a real registration and answer, see
 *       {@link #indexBytesPerRegistration}, as gRPC carries them on a channel of their own).
 * </ul>
 *
 * @param discoveryMessages membership, overlay and index messages per peer per second
 * @param discoveryBytes their bytes per peer per second (protobuf payloads; no TLS or HTTP/2 framing)
 * @param blockGossipMessages block-gossip messages (heartbeats, election) per peer per second
 * @param blockGossipBytes their bytes per peer per second
 * @param swimProbes SWIM probes per peer per second (0 without membership)
 * @param indexRegistrations index registrations per peer per second (0 without the index)
 */
record IdleTraffic(double discoveryMessages, double discoveryBytes, double blockGossipMessages, double blockGossipBytes,
        double swimProbes, double indexRegistrations) {

    /** The counters summed over every running peer (and the orderer's index) at one instant. */
    record Sample(long nanos, int peers, long frames, long bytes, long channelMessages, long channelBytes, long probes,
            long registrations) {

        static Sample of(RunningNetwork network) {
            long frames = 0;
            long bytes = 0;
            long channelMessages = 0;
            long channelBytes = 0;
            long probes = 0;
            List<PeerNode> peers = network.peers();
            for (PeerNode peer : peers) {
                frames += peer.gossip().transportCounters().get(Counter.FRAMES_SENT);
                bytes += peer.gossip().transportCounters().get(Counter.BYTES_SENT);
                for (String channel : network.spec().channelNames()) {
                    WireCounters wire = peer.gossip().channel(channel).map(ChannelGossip::wireCounters).orElseThrow();
                    for (MessageType type : MessageType.values()) {
                        channelMessages += wire.messagesSent(type);
                        channelBytes += wire.bytesSent(type);
                    }
                }
                probes += peer.gossip().membership().map(m -> m.state().swim().getOrDefault(SwimCounters.Counter.PROBES, 0L))
                        .orElse(0L);
            }
            long registrations = network.orderer().index().map(PeerIndexService::registrations).orElse(0L);
            return new Sample(System.nanoTime(), peers.size(), frames, bytes, channelMessages, channelBytes, probes,
                    registrations);
        }
    }

    /** The rates between two samples of the same peers; {@code indexBytes} is one registration and its answer. */
    static IdleTraffic between(Sample before, Sample after, long indexBytes) {
        double perPeerSecond = 1e9 / (after.nanos() - before.nanos()) / after.peers();
        long registrations = after.registrations() - before.registrations();
        long channelMessages = after.channelMessages() - before.channelMessages();
        long channelBytes = after.channelBytes() - before.channelBytes();
        // A registration is two messages: the request and the answer.
        double discoveryMessages = (after.frames() - before.frames() - channelMessages + 2 * registrations) * perPeerSecond;
        double discoveryBytes = (after.bytes() - before.bytes() - channelBytes + registrations * indexBytes) * perPeerSecond;
        return new IdleTraffic(discoveryMessages, discoveryBytes, channelMessages * perPeerSecond,
                channelBytes * perPeerSecond, (after.probes() - before.probes()) * perPeerSecond,
                registrations * perPeerSecond);
    }

    /**
     * The encoded size of one registration of {@code member} and the index's answer naming {@code answered} peers of
     * its organisation, built as {@code IndexRegistration} and {@code PeerIndexService} build them, with the
     * member's real identity standing for each peer named (same organisation, same certificate shape).
     */
    static long indexBytesPerRegistration(CryptoMaterial.Member member, String endpoint, int answered) {
        ByteString identity = member.signingIdentity().identity().serialized();
        String host = endpoint.substring(0, endpoint.lastIndexOf(':'));
        ByteString registration = Registration.newBuilder().setIdentity(identity).setEndpoint(endpoint).setServerName(host)
                .setPeersWanted(1_000).setTimestamp(Timestamp.newBuilder().setSeconds(1_800_000_000L).setNanos(999_999_999))
                .setTlsCertHash(ByteString.copyFrom(new byte[32])).build().toByteString();
        // An ECDSA P-256 signature in DER is at most 72 bytes.
        long request = RegisterRequest.newBuilder().setRegistration(registration).setSignature(ByteString.copyFrom(new byte[72]))
                .build().getSerializedSize();
        RegisterResponse.Builder answer = RegisterResponse.newBuilder().setLeaseMillis(6_000);
        for (int i = 0; i < answered; i++) {
            answer.addPeers(IndexedPeer.newBuilder().setIdentity(identity).setEndpoint(endpoint).setServerName(host));
        }
        return request + answer.build().getSerializedSize();
    }
}
