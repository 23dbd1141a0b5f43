package io.hearsay.peer.transport;

import javax.net.ssl.SSLSession;

/**
 * One gRPC stream as a connection sees it, whichever side opened it: the server's {@code ServerCall} and the
 * dialer's {@code ClientCall} behind one face. Calls other than {@link #request} are made under the
 * connection's lock, as gRPC requires them not to be concurrent.
 */
interface FrameStream {
    void send(byte[] frame);

    /** True while the stream can take a frame without buffering beyond gRPC's small on-ready threshold. */
    boolean isReady();

    /** Asks for {@code frames} more inbound frames; thread-safe. */
    void request(int frames);

    /** Ends the stream, telling the other side {@code reason}. */
    void close(String reason);

    /** The TLS session of the underlying connection, or null if the transport has none. */
    SSLSession tlsSession();
}
