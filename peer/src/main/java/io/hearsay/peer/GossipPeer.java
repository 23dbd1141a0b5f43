package io.hearsay.peer;

import io.hearsay.discovery.auth.AuthenticatedChannel;
import io.hearsay.discovery.auth.EcdsaAuthenticator;
import io.hearsay.discovery.auth.IntegrityConfig;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.gossip.auth.Codecs;
import io.hearsay.gossip.block.BlockGossip;
import io.hearsay.gossip.block.BlockGossipConfig;
import io.hearsay.gossip.block.BlockGossipListener;
import io.hearsay.gossip.block.BlockLedger;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.gossip.block.GossipCounters;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.PkiId;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.ledger.Ledger;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.runtime.NodeRuntime;
import io.hearsay.peer.runtime.SerialExecutor;
import io.hearsay.peer.transport.GossipNetwork;
import io.hearsay.peer.transport.GossipTransportConfig;
import io.hearsay.peer.transport.TlsCredentials;
import io.hearsay.peer.transport.TransportCounters;
import io.hearsay.peer.wire.BlockWire;
import io.hearsay.peer.wire.MalformedMessageException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer's block gossip on the wire: the same {@link BlockGossip} core the simulator drives, behind the
 * same {@link AuthenticatedChannel}, now with a {@link GossipNetwork} (gRPC, mutual TLS), a RocksDB
 * {@link Ledger}, a real clock, and a {@link SerialExecutor} that runs every protocol event one at a time.
 * Only adapters live here: the protocol code is unchanged.
 *
 * <pre>
 *   gRPC thread: frame ─▶ GossipConnection ─▶ BlockWire.decode ─▶ serial: AuthenticatedChannel ─▶ BlockGossip
 *   serial: BlockGossip ─▶ AuthenticatedChannel (sign) ─▶ BlockWire.encode ─▶ GossipNetwork.send ─▶ lanes ─▶ gRPC
 * </pre>
 *
 * The ledger belongs to the caller, who closes it after this peer.
 */
public final class GossipPeer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GossipPeer.class);

    /**
     * @param name for logs and thread names
     * @param listen where to accept neighbours (port 0: any free port)
     */
    public record Settings(String name, InetSocketAddress listen, BlockGossipConfig gossip, GossipTransportConfig transport,
            IntegrityConfig integrity) {
        public static Settings lan(String name) {
            return new Settings(name, new InetSocketAddress("127.0.0.1", 0), BlockGossipConfig.lan(),
                    GossipTransportConfig.defaults(), IntegrityConfig.defaults());
        }

        public Settings withGossip(BlockGossipConfig config) {
            return new Settings(name, listen, config, transport, integrity);
        }

        public Settings withTransport(GossipTransportConfig config) {
            return new Settings(name, listen, gossip, config, integrity);
        }

        public Settings withIntegrity(IntegrityConfig config) {
            return new Settings(name, listen, gossip, transport, config);
        }
    }

    private final Settings settings;
    private final PkiId self;
    private final SerialExecutor serial;
    private final NeighbourMembership membership;
    private final GossipNetwork network;
    private final AuthenticatedChannel<BlockMessage> channel;
    private final BlockGossip gossip;
    private final DropLog dropLog;

    private GossipPeer(Settings settings, SigningIdentity identity, TlsCredentials tls, MspDirectory organizations,
            Ledger ledger, NodeResources resources, BlockGossipListener listener) {
        this.settings = settings;
        this.self = identity.pkiId();
        this.dropLog = new DropLog(LOG, settings.name());
        this.serial = resources.serialExecutor(settings.name());
        PeerRuntime runtime = NodeRuntime.of(serial, resources.timers(), NodeRuntime.newSeed());
        this.network = new GossipNetwork(settings.transport(), identity, tls, organizations, resources.timers(), this::onEnvelope);
        this.membership = new NeighbourMembership(self, network::identity);
        Transport<SignedMessage<BlockMessage>> wire = (to, signed) ->
                network.send(to, BlockWire.encode(signed), BlockWire.isBulk(signed.message()));
        // Sequence numbers must exceed every one a previous incarnation used: start at the wall clock in microseconds.
        long firstSequence = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        this.channel = new AuthenticatedChannel<>(self, new EcdsaAuthenticator(identity, network::identity), Codecs.BLOCKS,
                membership, runtime.clock(), settings.integrity(), wire, this::toGossip, dropLog::dropped, firstSequence);
        this.gossip = new BlockGossip(settings.gossip(), BlockLedger.of(ledger), membership, runtime.fork(), channel.transport(),
                new BlockGossipListener() {
                    @Override
                    public void onBlockCommitted(long number, PkiId from) {
                        listener.onBlockCommitted(number, from);
                    }

                    @Override
                    public void onDropped(PkiId from, String reason) {
                        dropLog.dropped(from, reason);
                        listener.onDropped(from, reason);
                    }
                });
        channel.skipStale(gossip::isStale);
    }

    /** Starts a peer: its server listens, its protocol timers run. Connect it to neighbours with {@link #connect}. */
    public static GossipPeer start(Settings settings, SigningIdentity identity, TlsCredentials tls, MspDirectory organizations,
            Ledger ledger, NodeResources resources, BlockGossipListener listener) {
        GossipPeer peer = new GossipPeer(settings, identity, tls, organizations, ledger, resources, listener);
        peer.network.start(settings.listen());
        peer.serial.execute(peer.gossip::start);
        LOG.info("{}: gossip listening on port {}", settings.name(), peer.network.port());
        return peer;
    }

    private void toGossip(PkiId from, BlockMessage message) {
        gossip.onMessage(from, message);
    }

    /** Decodes on the gRPC thread (parallel to the protocol), authenticates and handles on the serial executor. */
    private void onEnvelope(PkiId from, com.google.protobuf.ByteString bytes, Runnable done) throws MalformedMessageException {
        SignedMessage<BlockMessage> signed = BlockWire.decode(bytes);
        serial.execute(() -> {
            try {
                channel.onMessage(from, signed);
            } finally {
                done.run();
            }
        });
    }

    /** Makes {@code peer} at {@code host:port} a neighbour: keeps a connection to it and gossips with it. */
    public void connect(PkiId peer, String host, int port) {
        network.connect(peer, host, port);
        serial.execute(() -> membership.add(peer));
    }

    /** A block from the orderer: this peer is its organisation's leader; commit it and spread it. */
    public void onOrdererBlock(Block block) {
        serial.execute(() -> gossip.onOrdererBlock(block));
    }

    public String name() {
        return settings.name();
    }

    public PkiId id() {
        return self;
    }

    public int port() {
        return network.port();
    }

    public long height() {
        return gossip.height();
    }

    public GossipCounters gossipCounters() {
        return gossip.counters();
    }

    public TransportCounters transportCounters() {
        return network.counters();
    }

    public GossipNetwork network() {
        return network;
    }

    /** Messages the authentication layer dropped, by reason; read on the serial executor. */
    public Map<AuthenticatedChannel.Drop, Long> drops() {
        return onSerial(channel::drops);
    }

    private <T> T onSerial(java.util.function.Supplier<T> query) {
        CompletableFuture<T> result = new CompletableFuture<>();
        serial.execute(() -> result.complete(query.get()));
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while querying " + name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(name() + " did not answer: " + e, e);
        }
    }

    /** Stops the protocol, closes every connection and the server. The ledger stays open (the caller's). */
    @Override
    public void close() {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        serial.execute(() -> {
            gossip.stop();
            stopped.complete(null);
        });
        try {
            stopped.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("{}: protocol did not stop cleanly: {}", name(), e.toString());
        }
        network.close();
        serial.close();
    }
}
