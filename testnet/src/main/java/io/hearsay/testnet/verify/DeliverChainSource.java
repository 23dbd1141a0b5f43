package io.hearsay.testnet.verify;

import io.grpc.ManagedChannel;
import io.hearsay.testnet.client.PeerConnections;
import io.hearsay.testnet.spec.ConnectionProfile;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A running peer's chain, read as any Fabric application would: through the official Fabric Gateway SDK's block
 * events from block 0, over mutual TLS, as the connection profile's client of the peer's organisation. Deliver
 * streams without end, so the peer's height is asked first from its operations endpoint ({@code GET /status}, see
 * {@link PeerStatus}) and the stream is closed once that many blocks arrived; the state hash it reports there is the
 * one after block {@code height - 1}. A peer without a known operations endpoint is asked its height by Deliver
 * itself ({@link DeliverHeight}) and reports no state hash, so its state hash is not compared.
 *
 * <pre>
 * open():  GET /status → height h, state hash   (no operations URL: Deliver seek for the newest block → h)
 *          →   Gateway(mTLS, client identity).getNetwork(channel)
 *          .newBlockEventsRequest().startBlock(0) → blocks 0 … h-1 → close the stream, the gateway, the channel
 * </pre>
 */
public final class DeliverChainSource implements ChainSource {
    private final ConnectionProfile.PeerOf peer;
    private final String channel;
    private final DeliverReadOptions options;
    private final HttpClient http;
    private volatile PeerStatus status;

    public DeliverChainSource(ConnectionProfile.PeerOf peer, String channel, DeliverReadOptions options, HttpClient http) {
        this.peer = peer;
        this.channel = channel;
        this.options = options;
        this.http = http;
    }

    /** A source for every peer of {@code profile} on {@code channel}, in profile order. */
    public static List<ChainSource> forProfile(ConnectionProfile profile, String channel, DeliverReadOptions options) {
        if (!profile.channels().contains(channel)) {
            throw new IllegalArgumentException("channel " + channel + " is not in the connection profile; it lists "
                    + profile.channels());
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(options.statusTimeout()).build();
        List<ChainSource> sources = new ArrayList<>();
        profile.peers().forEach(p -> sources.add(new DeliverChainSource(p, channel, options, http)));
        return sources;
    }

    @Override
    public String peer() {
        return peer.peer().name();
    }

    @Override
    public Chain open() {
        Optional<String> operations = peer.peer().operations();
        if (operations.isPresent()) {
            status = PeerStatus.fetch(http, operations.get(), channel, options.statusTimeout());
        }
        ManagedChannel grpc = PeerConnections.grpcChannel(peer);
        Gateway gateway = null;
        try {
            long height = status != null ? status.height()
                    : DeliverHeight.ask(grpc, peer.organization(), channel, options.statusTimeout());
            gateway = PeerConnections.gateway(peer.organization(), grpc)
                    .blockEventsOptions(call -> call.withDeadlineAfter(options.readTimeout().toMillis(), TimeUnit.MILLISECONDS))
                    .connect();
            CloseableIterator<Block> events = gateway.getNetwork(channel).newBlockEventsRequest().startBlock(0).build()
                    .getEvents();
            return new DeliverChain(events, gateway, grpc, height);
        } catch (RuntimeException e) {
            if (gateway != null) {
                gateway.close();
            }
            grpc.shutdownNow();
            throw e;
        }
    }

    @Override
    public Optional<byte[]> stateHashAfter(long number) {
        PeerStatus current = status;
        return current != null && number == current.height() - 1 ? current.stateHash() : Optional.empty();
    }

    /** The block events stream, cut at the height the peer reported; closing it closes the connection too. */
    private static final class DeliverChain implements Chain {
        private final CloseableIterator<Block> events;
        private final Gateway gateway;
        private final ManagedChannel grpc;
        private final long height;
        private long delivered;

        DeliverChain(CloseableIterator<Block> events, Gateway gateway, ManagedChannel grpc, long height) {
            this.events = events;
            this.gateway = gateway;
            this.grpc = grpc;
            this.height = height;
        }

        @Override
        public boolean hasNext() {
            return delivered < height;
        }

        @Override
        public Block next() {
            if (!hasNext()) {
                throw new NoSuchElementException("all " + height + " blocks were read");
            }
            Block block = events.next(); // the SDK turns a Deliver status or gRPC error into an exception here
            delivered++;
            return block;
        }

        @Override
        public void close() {
            events.close();
            gateway.close();
            grpc.shutdownNow();
        }
    }
}
