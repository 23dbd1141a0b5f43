package io.hearsay.peer.orderer;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * Records every seek envelope a Deliver service is sent, before the service sees it: lets a test check what a
 * client put in its seek (its TLS certificate hash, say) while the real service answers it.
 */
final class SeekRecorder implements ServerInterceptor {
    final List<Envelope> seeks = new CopyOnWriteArrayList<>();

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            @Override
            public void onMessage(Q message) {
                if (message instanceof Envelope seek) {
                    seeks.add(seek);
                }
                super.onMessage(message);
            }
        };
    }
}
