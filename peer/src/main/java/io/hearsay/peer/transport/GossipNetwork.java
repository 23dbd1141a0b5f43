package io.hearsay.peer.transport;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.KnownLength;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.hearsay.identity.Identity;
import io.hearsay.identity.MspDirectory;
import io.hearsay.identity.PkiId;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.peer.transport.TransportCounters.Counter;
import io.hearsay.peer.wire.MalformedMessageException;
import io.hearsay.proto.gossip.Proof;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer's gossip transport: a gRPC server that accepts neighbours' streams, dialers that keep a stream
 * open to each neighbour this peer was told to connect to (redialling with jittered exponential backoff, until
 * told to {@link #disconnect}), and sends addressed by PKI-ID. Every connection is mutual TLS plus the {@link Handshake}; only
 * authenticated envelopes reach {@link Inbound}.
 *
 * <p>One stream per neighbour pair: both sides may dial at once, and when two connections to the same peer
 * complete, both sides keep the one dialled by the lower PKI-ID (a newer connection from the same dialer
 * replaces the older, so a restarted peer is not shut out by its stale predecessor).
 *
 * <p>Tests and scenarios inject loss, latency, partitions and clogs with {@link #faults(LinkFaults)}; they act on
 * gossip envelopes between {@link #send} and the connection (and on arrival, for a partition), while connections,
 * TLS and the handshake stay real.
 *
 * <p>Thread-safe. Lock order: a link's fault hold, then a connection's lock, then this network's; the network never
 * calls into a connection while holding its own.
 */
public final class GossipNetwork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GossipNetwork.class);

    /** Where authenticated envelopes go. */
    @FunctionalInterface
    public interface Inbound {
        /**
         * An envelope from {@code from}. Call {@code done} once it has been handled, so the connection reads
         * the next frame (backpressure); throw if it is malformed, which closes the connection.
         */
        void onEnvelope(PkiId from, ByteString envelope, Runnable done) throws MalformedMessageException;
    }

    static final String SERVICE = "hearsay.gossip.Gossip";
    static final MethodDescriptor<byte[], byte[]> CONNECT = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Connect"))
            .setRequestMarshaller(Bytes.MARSHALLER)
            .setResponseMarshaller(Bytes.MARSHALLER)
            .build();

    /**
     * The status gRPC closed an accepted stream with. gRPC refuses a frame over maxInboundMessageSize itself and
     * cancels the stream; the call listener hears only "cancelled", so without this the refusal was neither
     * counted nor explained. A stream tracer sees the status and hands it over through the call's context.
     */
    private static final Context.Key<AtomicReference<Status>> CLOSE_STATUS = Context.key("hearsay-gossip-close-status");

    /** Room for a replacement stream while the old one closes; more than that on one connection is refused. */
    static final int STREAMS_PER_CONNECTION_MAX = 4;

    private final GossipTransportConfig config;
    private final SigningIdentity self;
    private final TlsCredentials tls;
    private final byte[] tlsCertificateHash;
    private final MspDirectory organizations;
    private final ScheduledExecutorService timers;
    private final Inbound inbound;
    private final TransportCounters counters = new TransportCounters();
    private final SslContext clientContext;
    private final Map<PkiId, GossipConnection> connections = new ConcurrentHashMap<>();
    private final Map<PkiId, Dialer> dialers = new ConcurrentHashMap<>();
    private final Map<PkiId, Identity> identities = new ConcurrentHashMap<>();
    private final GossipConnection.Owner owner = new ConnectionOwner();
    /** Links holding envelopes back under injected latency or a clog; created on a link's first such fault. */
    private final Map<PkiId, LinkFaultsHold> holds = new ConcurrentHashMap<>();
    private final Runnable onFaultsChanged = this::releaseHeld;
    /** Injected faults, or null: a send without faults costs this one volatile read. */
    private volatile LinkFaults faults;
    private volatile Server server;
    private volatile boolean closed;

    public GossipNetwork(GossipTransportConfig config, SigningIdentity self, TlsCredentials tls, MspDirectory organizations,
            ScheduledExecutorService timers, Inbound inbound) {
        this.config = config;
        this.self = self;
        this.tls = tls;
        this.tlsCertificateHash = tls.certificateHash();
        this.organizations = organizations;
        this.timers = timers;
        this.inbound = inbound;
        this.clientContext = tls.clientContext();
    }

    /** Starts accepting connections on {@code address} (port 0: any free port, see {@link #port()}). */
    public GossipNetwork start(InetSocketAddress address) {
        return start(address, List.of(), config.frameBytesMax());
    }

    /**
     * Starts accepting connections on {@code address}, serving {@code services} (a node's Gateway, Deliver,
     * Endorser) on the same port and TLS configuration as gossip, as a Fabric peer does.
     *
     * @param inboundBytesMax the largest request any service accepts; gossip frames are still held to {@link
     *     GossipTransportConfig#frameBytesMax()}, checked per frame since gRPC's limit is per server
     */
    public GossipNetwork start(InetSocketAddress address, List<ServerServiceDefinition> services, int inboundBytesMax) {
        ServerServiceDefinition gossip = ServerServiceDefinition.builder(SERVICE)
                .addMethod(CONNECT, new Acceptor())
                .build();
        boolean shared = !services.isEmpty();
        try {
            NettyServerBuilder builder = NettyServerBuilder.forAddress(address)
                    .sslContext(tls.serverContext())
                    .maxInboundMessageSize(Math.max(config.frameBytesMax(), inboundBytesMax))
                    .addStreamTracerFactory(new CloseStatusTracer())
                    .permitKeepAliveTime(config.keepAliveMillis() / 2, TimeUnit.MILLISECONDS)
                    .permitKeepAliveWithoutCalls(true)
                    .addService(gossip);
            if (!shared) {
                // One gossip stream per neighbour pair: a connection holding more is probing, and each
                // unauthenticated stream is held until the handshake deadline. Clients of a shared server
                // (Gateway, Deliver) legitimately hold many streams, so the limit only applies to a gossip-only port.
                builder.maxConcurrentCallsPerConnection(STREAMS_PER_CONNECTION_MAX);
            }
            services.forEach(builder::addService);
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        return this;
    }

    public int port() {
        return server.getPort();
    }

    public PkiId self() {
        return self.pkiId();
    }

    /** Keeps a connection to {@code peer} at {@code host:port} open from now on, redialling when it drops. */
    public void connect(PkiId peer, String host, int port) {
        if (peer.equals(self.pkiId())) {
            throw new IllegalArgumentException("a peer does not connect to itself");
        }
        Dialer dialer = dialers.computeIfAbsent(peer, p -> new Dialer(p, NettyChannelBuilder.forAddress(host, port)
                .sslContext(clientContext)
                .maxInboundMessageSize(config.frameBytesMax())
                .keepAliveTime(config.keepAliveMillis(), TimeUnit.MILLISECONDS)
                .build()));
        dial(dialer);
    }

    /**
     * Closes the connection to {@code peer}, whichever side dialled it, and stops redialling it; {@link #connect} keeps
     * one again. The peer may still dial this one: it is accepted, as any neighbour's dial is.
     */
    public void disconnect(PkiId peer) {
        Dialer dialer = dialers.remove(peer);
        if (dialer != null) {
            dialer.stop();
        }
        GossipConnection connection = connections.get(peer);
        if (connection != null) {
            connection.close("this peer no longer needs the connection");
        }
        if (dialer != null) {
            // Cancels a dial still in flight too; its connection then closes without being redialled (no dialer).
            dialer.channel.shutdownNow();
        }
    }

    /**
     * Queues {@code envelope} for {@code to} on the bulk lane (block bodies) or the control lane. Never blocks;
     * returns false if the envelope was dropped (no open connection, or its queue is full).
     *
     * <p>Under injected {@link LinkFaults}, an envelope lost to loss or a partition still returns true: the link
     * took it and the network lost it, which a real sender cannot tell either.
     */
    public boolean send(PkiId to, byte[] envelope, boolean bulk) {
        LinkFaults injected = faults;
        if (injected == null) {
            return sendNow(to, envelope, bulk);
        }
        if (!connections.containsKey(to)) {
            counters.increment(Counter.NOT_CONNECTED);
            return false;
        }
        LinkFaults.Rule rule = injected.effective(to);
        if (rule.blocked() || injected.lose(to, rule)) {
            counters.increment(Counter.FAULT_DROPPED);
            return true;
        }
        LinkFaultsHold hold = rule.holds() ? holds.computeIfAbsent(to, this::newHold) : holds.get(to);
        if (hold == null) {
            return sendNow(to, envelope, bulk);
        }
        return hold.send(envelope, bulk, rule, injected.delayNanos(to, rule));
    }

    /**
     * Injects {@code faults} into this peer's links from now on (null: none). Faults apply to gossip envelopes
     * only; connections, TLS and the handshake stay real. One {@link LinkFaults} per network: its links are this
     * peer's. Envelopes held by latency are still released at their time after the faults are removed, and a send
     * after the removal goes straight to the connection, so it may overtake them.
     */
    public void faults(LinkFaults faults) {
        LinkFaults previous = this.faults;
        if (previous != null) {
            previous.removeListener(onFaultsChanged);
        }
        if (faults != null) {
            faults.addListener(onFaultsChanged);
        }
        this.faults = faults;
        releaseHeld();
    }

    /** The faults injected into this peer's links, if any. */
    public Optional<LinkFaults> faults() {
        return Optional.ofNullable(faults);
    }

    /** Envelopes held on the link to {@code peer} by injected latency or a clog, not yet handed to the connection. */
    public int heldEnvelopes(PkiId peer) {
        LinkFaultsHold hold = holds.get(peer);
        return hold == null ? 0 : hold.size();
    }

    private boolean sendNow(PkiId to, byte[] envelope, boolean bulk) {
        GossipConnection connection = connections.get(to);
        if (connection == null) {
            counters.increment(Counter.NOT_CONNECTED);
            return false;
        }
        return connection.send(envelope, bulk);
    }

    private LinkFaultsHold newHold(PkiId peer) {
        return new LinkFaultsHold(peer, config, counters, timers, System::nanoTime, this::sendNow, () -> faults);
    }

    private void releaseHeld() {
        for (LinkFaultsHold hold : holds.values()) {
            hold.kick();
        }
    }

    /** The identity a peer proved in a handshake with this peer, if any did. */
    public Optional<Identity> identity(PkiId peer) {
        return Optional.ofNullable(identities.get(peer));
    }

    public boolean isConnected(PkiId peer) {
        GossipConnection connection = connections.get(peer);
        return connection != null && connection.isOpen();
    }

    /** Whether this peer keeps a connection to {@code peer} ({@link #connect}ed and not {@link #disconnect}ed since). */
    public boolean isDialing(PkiId peer) {
        return dialers.containsKey(peer);
    }

    public List<PkiId> connectedPeers() {
        return connections.entrySet().stream().filter(e -> e.getValue().isOpen()).map(Map.Entry::getKey).sorted().toList();
    }

    public TransportCounters counters() {
        return counters;
    }

    /** Closes every connection and the server, and stops redialling. */
    @Override
    public void close() {
        closed = true;
        LinkFaults injected = faults;
        if (injected != null) {
            injected.removeListener(onFaultsChanged);
        }
        for (LinkFaultsHold hold : holds.values()) {
            hold.close();
        }
        for (Dialer dialer : dialers.values()) {
            dialer.stop();
        }
        for (GossipConnection connection : List.copyOf(connections.values())) {
            connection.close(GossipConnection.SHUTDOWN);
        }
        Server running = server;
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Dialer dialer : dialers.values()) {
            dialer.channel.shutdownNow();
        }
    }

    private void dial(Dialer dialer) {
        if (closed || isConnected(dialer.peer)) {
            return;
        }
        GossipConnection connection;
        synchronized (dialer) {
            if (dialer.attempt != null && !dialer.attempt.isClosed()) {
                return;
            }
            connection = new GossipConnection(config, counters, owner, true, dialer.peer);
            dialer.attempt = connection;
        }
        // The channel has a reconnect backoff of its own (1 s growing to 2 minutes), during which it fails calls
        // without trying to connect; left alone, it and not reconnectMaxMillis decided how long a neighbour back
        // from an outage stayed unreached. Resetting it makes this dialer's backoff the only one.
        dialer.channel.resetConnectBackoff();
        ClientCall<byte[], byte[]> call = dialer.channel.newCall(CONNECT, CallOptions.DEFAULT);
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(byte[] frame) {
                connection.onFrame(frame);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                    // This side's deframer refused a frame over frameBytesMax (see CLOSE_STATUS).
                    connection.onOversizedFrame(describe(status));
                } else {
                    connection.onStreamEnded(describe(status));
                }
            }

            @Override
            public void onReady() {
                connection.pump();
            }
        }, new Metadata());
        connection.start(new ClientStream(call));
        timers.schedule(connection::handshakeDeadline, config.handshakeTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    private void redialLater(Dialer dialer) {
        if (closed) {
            return;
        }
        synchronized (dialer) {
            if (dialer.pending != null && !dialer.pending.isDone()) {
                return;
            }
            // Exponential backoff with jitter in [½, 1], so peers that lost the same neighbour do not redial in step.
            long ceiling = Math.min(config.reconnectMaxMillis(),
                    config.reconnectMinMillis() << Math.min(dialer.failures, 20));
            long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
            dialer.failures++;
            dialer.pending = timers.schedule(() -> {
                // No longer pending once running (it waits for this lock, so `pending` is assigned by then). A
                // dial can fail before this task returns (a refused connection, or a channel in transient failure,
                // fails the call at once); its redialLater must then schedule the next attempt. Testing
                // pending.isDone() instead found this very task "still pending", and redialling stopped for good.
                synchronized (dialer) {
                    dialer.pending = null;
                }
                dial(dialer);
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    private static String describe(Status status) {
        return status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
    }

    /** A neighbour this peer keeps a connection to. */
    private static final class Dialer {
        final PkiId peer;
        final ManagedChannel channel;
        GossipConnection attempt;
        ScheduledFuture<?> pending;
        int failures;

        Dialer(PkiId peer, ManagedChannel channel) {
            this.peer = peer;
            this.channel = channel;
        }

        synchronized void stop() {
            if (pending != null) {
                pending.cancel(false);
            }
        }
    }

    private final class ConnectionOwner implements GossipConnection.Owner {
        @Override
        public void established(GossipConnection connection) {
            PkiId peer = connection.remote().pkiId();
            identities.put(peer, connection.remote());
            PkiId dialer = connection.dialed() ? self.pkiId() : peer;
            GossipConnection loser;
            synchronized (GossipNetwork.this) {
                GossipConnection existing = connections.get(peer);
                if (existing == null || existing.isClosed()) {
                    connections.put(peer, connection);
                    loser = null;
                } else {
                    PkiId existingDialer = existing.dialed() ? self.pkiId() : peer;
                    boolean replace = existingDialer.equals(dialer) || dialer.compareTo(existingDialer) < 0;
                    if (replace) {
                        connections.put(peer, connection);
                        loser = existing;
                    } else {
                        loser = connection;
                    }
                }
            }
            Dialer ours = dialers.get(peer);
            if (ours != null && loser != connection) {
                synchronized (ours) {
                    ours.failures = 0;
                }
            }
            if (loser != null) {
                counters.increment(Counter.DUPLICATE_CONNECTIONS);
                loser.close(GossipConnection.REPLACED);
            }
            if (closed) {
                connection.close(GossipConnection.SHUTDOWN);
            }
        }

        @Override
        public void closed(GossipConnection connection) {
            Identity remote = connection.remote();
            PkiId peer = remote != null ? remote.pkiId() : connection.expectedPeer();
            if (peer == null) {
                return;
            }
            connections.remove(peer, connection);
            Dialer dialer = dialers.get(peer);
            if (dialer != null && !isConnected(peer)) {
                redialLater(dialer);
            }
        }

        @Override
        public void envelope(GossipConnection connection, ByteString envelope, Runnable done) throws MalformedMessageException {
            PkiId from = connection.remote().pkiId();
            LinkFaults injected = faults;
            if (injected != null && injected.isBlocked(from)) {
                // The receiving side of a partition: dropped even if the sender was not told of it.
                counters.increment(Counter.FAULT_DROPPED);
                done.run();
                return;
            }
            inbound.onEnvelope(from, envelope, done);
        }

        @Override
        public Identity verifyProof(Proof proof, byte[] ownChallenge, byte[] theirChallenge, X509Certificate theirTlsCertificate,
                Instant now) throws HandshakeException {
            return Handshake.verify(proof, ownChallenge, theirChallenge, theirTlsCertificate, organizations, now);
        }

        @Override
        public Proof prove(byte[] theirChallenge, byte[] ownChallenge) {
            return Handshake.prove(self, theirChallenge, ownChallenge, tlsCertificateHash);
        }
    }

    /** The server side of a stream: a neighbour dialled this peer. */
    private final class Acceptor implements ServerCallHandler<byte[], byte[]> {
        @Override
        public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> call, Metadata headers) {
            GossipConnection connection = new GossipConnection(config, counters, owner, false, null);
            AtomicReference<Status> closeStatus = CLOSE_STATUS.get();
            if (closed) {
                call.close(Status.UNAVAILABLE.withDescription(GossipConnection.SHUTDOWN), new Metadata());
                return new ServerCall.Listener<>() { };
            }
            call.sendHeaders(new Metadata());
            connection.start(new ServerStream(call));
            timers.schedule(connection::handshakeDeadline, config.handshakeTimeoutMillis(), TimeUnit.MILLISECONDS);
            return new ServerCall.Listener<>() {
                @Override
                public void onMessage(byte[] frame) {
                    if (frame.length > config.frameBytesMax()) {
                        // Only reachable on a shared server, whose gRPC limit is the largest client request's.
                        connection.onOversizedFrame("a frame of " + frame.length + " bytes, over the limit of "
                                + config.frameBytesMax());
                        call.close(Status.RESOURCE_EXHAUSTED.withDescription("gossip frame over " + config.frameBytesMax()
                                + " bytes"), new Metadata());
                        return;
                    }
                    connection.onFrame(frame);
                }

                @Override
                public void onHalfClose() {
                    connection.close("neighbour closed its side of the stream");
                }

                @Override
                public void onCancel() {
                    Status status = closeStatus == null ? null : closeStatus.get();
                    if (status != null && status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                        connection.onOversizedFrame(describe(status));
                    } else {
                        connection.onStreamEnded("cancelled by the neighbour or the network");
                    }
                }

                @Override
                public void onComplete() {
                    connection.onStreamEnded("completed");
                }

                @Override
                public void onReady() {
                    connection.pump();
                }
            };
        }
    }

    /** Records each accepted stream's close status where its listener can read it (see {@link #CLOSE_STATUS}). */
    private static final class CloseStatusTracer extends ServerStreamTracer.Factory {
        @Override
        public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
            AtomicReference<Status> closeStatus = new AtomicReference<>();
            return new ServerStreamTracer() {
                @Override
                public Context filterContext(Context context) {
                    return context.withValue(CLOSE_STATUS, closeStatus);
                }

                @Override
                public void streamClosed(Status status) {
                    // Called before the listener hears of the close, so onCancel finds it.
                    closeStatus.set(status);
                }
            };
        }
    }

    private static final class ServerStream implements FrameStream {
        private final ServerCall<byte[], byte[]> call;

        ServerStream(ServerCall<byte[], byte[]> call) {
            this.call = call;
        }

        @Override
        public void send(byte[] frame) {
            call.sendMessage(frame);
        }

        @Override
        public boolean isReady() {
            return call.isReady();
        }

        @Override
        public void request(int frames) {
            call.request(frames);
        }

        @Override
        public void close(String reason) {
            try {
                call.close(Status.ABORTED.withDescription(reason), new Metadata());
            } catch (IllegalStateException alreadyClosed) {
                // The neighbour or the network ended it first; nothing left to close.
            }
        }

        @Override
        public SSLSession tlsSession() {
            return call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        }
    }

    private static final class ClientStream implements FrameStream {
        private final ClientCall<byte[], byte[]> call;

        ClientStream(ClientCall<byte[], byte[]> call) {
            this.call = call;
        }

        @Override
        public void send(byte[] frame) {
            call.sendMessage(frame);
        }

        @Override
        public boolean isReady() {
            return call.isReady();
        }

        @Override
        public void request(int frames) {
            call.request(frames);
        }

        @Override
        public void close(String reason) {
            call.cancel(reason, null);
        }

        @Override
        public SSLSession tlsSession() {
            return call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        }
    }

    /** Frames cross gRPC as bytes; {@link GossipConnection} parses them, so it can count and explain bad ones. */
    private static final class Bytes extends ByteArrayInputStream implements KnownLength {
        static final MethodDescriptor.Marshaller<byte[]> MARSHALLER = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(byte[] value) {
                return new Bytes(value);
            }

            @Override
            public byte[] parse(InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };

        Bytes(byte[] bytes) {
            super(bytes);
        }
    }
}
