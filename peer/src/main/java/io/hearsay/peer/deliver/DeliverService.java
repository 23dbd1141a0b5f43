package io.hearsay.peer.deliver;

import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.channel.ChannelRegistry;
import java.util.Objects;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.DeliverResponse;

/**
 * Fabric's {@code protos.Deliver} over the channels of a {@link ChannelRegistry}: block, filtered-block and
 * block-with-private-data streams, answered from the local ledgers through each channel's commit feed. It needs
 * nothing peer-specific, so an orderer serves its own chain with the same class and its own registry.
 *
 * <p>Register {@link #intercepted()} rather than the bare service, so seeks can be bound to the client's TLS
 * certificate (Fabric's {@code tls_cert_hash}).
 */
public final class DeliverService extends DeliverGrpc.DeliverImplBase {
    private final SeekResolver resolver;
    private final DeliverConfig config;

    public DeliverService(ChannelRegistry channels, TimeWindow timeWindow, DeliverConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.resolver = new SeekResolver(Objects.requireNonNull(channels, "channels"),
                Objects.requireNonNull(timeWindow, "timeWindow"), config);
    }

    /** This service behind {@link ClientTlsCertificate}, which hands each call its client's TLS certificate hash. */
    public ServerServiceDefinition intercepted() {
        return ServerInterceptors.intercept(this, new ClientTlsCertificate());
    }

    @Override
    public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> responses) {
        return stream(responses, DeliverResponses.BLOCKS);
    }

    @Override
    public StreamObserver<Envelope> deliverFiltered(StreamObserver<DeliverResponse> responses) {
        return stream(responses, DeliverResponses.FILTERED_BLOCKS);
    }

    @Override
    public StreamObserver<Envelope> deliverWithPrivateData(StreamObserver<DeliverResponse> responses) {
        return stream(responses, DeliverResponses.BLOCKS_AND_PRIVATE_DATA);
    }

    private StreamObserver<Envelope> stream(StreamObserver<DeliverResponse> responses, ResponseEncoder<DeliverResponse> encoder) {
        // Read here, inside the call's context: the interceptor put the hash there.
        return new DeliverStream<>((ServerCallStreamObserver<DeliverResponse>) responses, resolver, encoder,
                ClientTlsCertificate.currentHash(), config.queuedSeeksMax());
    }
}
