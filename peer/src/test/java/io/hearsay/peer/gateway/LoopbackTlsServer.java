package io.hearsay.peer.gateway;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.hearsay.peer.transport.TlsCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A real gRPC server on a free loopback port with mutual TLS, serving the services under test: how the peer's
 * client-facing tests stand up one node's side of a call. Closing it stops every call at once.
 */
public final class LoopbackTlsServer implements AutoCloseable {
    private final Server server;

    private LoopbackTlsServer(Server server) {
        this.server = server;
    }

    public static LoopbackTlsServer start(TlsCredentials tls, BindableService... services) {
        NettyServerBuilder builder = builder(tls);
        for (BindableService service : services) {
            builder.addService(service);
        }
        return start(builder);
    }

    public static LoopbackTlsServer start(TlsCredentials tls, ServerServiceDefinition... services) {
        NettyServerBuilder builder = builder(tls);
        for (ServerServiceDefinition service : services) {
            builder.addService(service);
        }
        return start(builder);
    }

    private static NettyServerBuilder builder(TlsCredentials tls) {
        return NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .sslContext(tls.serverContext());
    }

    private static LoopbackTlsServer start(NettyServerBuilder builder) {
        try {
            return new LoopbackTlsServer(builder.build().start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a test server on loopback: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(10, TimeUnit.SECONDS);
    }
}
