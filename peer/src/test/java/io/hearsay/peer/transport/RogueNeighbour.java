package io.hearsay.peer.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.identity.PkiId;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.wire.BlockWire;
import io.hearsay.peer.wire.MalformedMessageException;
import io.hearsay.proto.gossip.Chunk;
import io.hearsay.proto.gossip.Frame;
import io.hearsay.proto.gossip.Proof;
import io.hearsay.proto.gossip.SignedEnvelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * A neighbour that speaks raw frames on {@code hearsay.gossip.Gossip/Connect}: it holds a real peer's TLS
 * credentials and signing identity, so it can pass TLS and the handshake, and then send anything — garbage,
 * oversized chunks, tampered or replayed envelopes, floods. Every step is explicit (hello, proof, frames),
 * so tests can also break the handshake itself. It reads everything the peer sends (no backpressure: the
 * tests send little to it). Used from one test thread at a time, as gRPC requires of a call.
 */
final class RogueNeighbour implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final SigningIdentity identity;
    private final TlsCredentials tls;
    private final byte[] ownChallenge;
    private final ManagedChannel channel;
    private final ClientCall<byte[], byte[]> call;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Status> closed = new CompletableFuture<>();
    private ByteString partial = ByteString.EMPTY;
    /** The peer at the other end, from its proof; its envelopes name no signer, it is this link's peer. */
    private PkiId victim;

    /** Opens a stream to the peer at 127.0.0.1:{@code port}; nothing is sent yet. */
    RogueNeighbour(int port, SigningIdentity identity, TlsCredentials tls) {
        this(port, identity, tls, Handshake.newChallenge());
    }

    RogueNeighbour(int port, SigningIdentity identity, TlsCredentials tls, byte[] ownChallenge) {
        this.identity = identity;
        this.tls = tls;
        this.ownChallenge = ownChallenge.clone();
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port)
                .sslContext(tls.clientContext())
                .maxInboundMessageSize(128 << 20)
                .build();
        this.call = channel.newCall(GossipNetwork.CONNECT, CallOptions.DEFAULT);
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(byte[] bytes) {
                try {
                    frames.add(Frame.parseFrom(bytes));
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError("the peer sent a frame that does not parse", e);
                }
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        call.request(Integer.MAX_VALUE);
    }

    PkiId id() {
        return identity.pkiId();
    }

    byte[] ownChallenge() {
        return ownChallenge.clone();
    }

    /** Sends hello, reads the peer's, proves this identity over this TLS certificate; returns the proof sent. */
    Proof handshake() {
        sayHello();
        Proof proof = proof(awaitHello());
        send(proof);
        return proof;
    }

    void sayHello() {
        sendFrame(Frame.newBuilder().setHello(Handshake.hello(ownChallenge)).build());
    }

    /** The peer's challenge, from the first frame it sent. */
    byte[] awaitHello() {
        Frame frame = awaitFrame();
        if (frame.getKindCase() != Frame.KindCase.HELLO) {
            throw new AssertionError("expected the peer's hello, got " + frame.getKindCase());
        }
        return frame.getHello().getChallenge().toByteArray();
    }

    /** An honest proof for this connection: over the peer's challenge, ours, and our TLS certificate's hash. */
    Proof proof(byte[] theirChallenge) {
        return proofOver(theirChallenge, tls.certificateHash());
    }

    /** A proof bound to any TLS certificate hash: honest only if it is the one this connection presented. */
    Proof proofOver(byte[] theirChallenge, byte[] tlsCertificateHash) {
        return Handshake.prove(identity, theirChallenge, ownChallenge, tlsCertificateHash);
    }

    void send(Proof proof) {
        sendFrame(Frame.newBuilder().setProof(proof).build());
    }

    void send(SignedMessage<BlockMessage> signed) {
        sendEnvelope(BlockWire.encode(SampleChannel.CHANNEL, signed));
    }

    /** Sends {@code signed} with its signer named in the envelope, as senders do not (a receiver takes the link's peer). */
    void sendNamingSigner(SignedMessage<BlockMessage> signed) {
        try {
            sendEnvelope(SignedEnvelope.parseFrom(BlockWire.encode(SampleChannel.CHANNEL, signed)).toBuilder()
                    .setSigner(signed.signer().toByteString()).build().toByteArray());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    void sendEnvelope(byte[] envelope) {
        sendFrame(Frame.newBuilder().setEnvelope(ByteString.copyFrom(envelope)).build());
    }

    void sendChunk(byte[] data, boolean last) {
        sendFrame(Frame.newBuilder().setChunk(Chunk.newBuilder().setData(ByteString.copyFrom(data)).setLast(last)).build());
    }

    void sendFrame(Frame frame) {
        sendRaw(frame.toByteArray());
    }

    /** Any bytes as one gRPC message: the peer sees them as one frame. */
    void sendRaw(byte[] bytes) {
        call.sendMessage(bytes);
    }

    Frame awaitFrame() {
        try {
            Frame frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame from the peer within " + WAIT + "; stream " + closed.getNow(null));
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The next signed message the peer sent (after the handshake frames), reassembling chunks. */
    SignedMessage<BlockMessage> awaitMessage() {
        while (true) {
            SignedMessage<BlockMessage> message = take(awaitFrame());
            if (message != null) {
                return message;
            }
        }
    }

    /** The signed messages the peer sent that have arrived so far; never waits. */
    List<SignedMessage<BlockMessage>> drainMessages() {
        List<SignedMessage<BlockMessage>> messages = new ArrayList<>();
        for (Frame frame = frames.poll(); frame != null; frame = frames.poll()) {
            SignedMessage<BlockMessage> message = take(frame);
            if (message != null) {
                messages.add(message);
            }
        }
        return messages;
    }

    /** A complete message, or null for a handshake frame or a chunk before the last. */
    private SignedMessage<BlockMessage> take(Frame frame) {
        switch (frame.getKindCase()) {
            case PROOF -> {
                victim = pkiIdOf(frame.getProof());
                return null;
            }
            case ENVELOPE -> {
                return decode(frame.getEnvelope());
            }
            case CHUNK -> {
                partial = partial.concat(frame.getChunk().getData());
                if (!frame.getChunk().getLast()) {
                    return null;
                }
                ByteString whole = partial;
                partial = ByteString.EMPTY;
                return decode(whole);
            }
            default -> {
                return null;
            }
        }
    }

    private SignedMessage<BlockMessage> decode(ByteString envelope) {
        try {
            return BlockWire.decode(envelope, victim).signed();
        } catch (MalformedMessageException e) {
            throw new AssertionError("the peer sent a malformed envelope: " + e.getMessage(), e);
        }
    }

    private static PkiId pkiIdOf(Proof proof) {
        try {
            SerializedIdentity identity = SerializedIdentity.parseFrom(proof.getIdentity());
            return PkiId.of(identity.getMspid(), identity.getIdBytes().toByteArray());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("the peer sent a proof whose identity does not parse", e);
        }
    }

    /** How the peer ended the stream; fails if it is still open after a while. */
    Status awaitClosed() {
        try {
            return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the peer did not close the stream within " + WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        call.cancel("test over", null);
        channel.shutdownNow();
    }
}
