package io.hearsay.peer.deliver;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.hearsay.identity.Hashes;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Makes the SHA-256 of the calling client's TLS certificate (DER) available to the service handling the call, for
 * Fabric's TLS binding: a seek envelope may name the certificate of the connection it is meant for. Install it on
 * the Deliver service ({@link DeliverService#intercepted()}); calls without mutual TLS simply have no hash.
 */
public final class ClientTlsCertificate implements ServerInterceptor {
    private static final Context.Key<byte[]> CERTIFICATE_HASH = Context.key("hearsay-client-tls-certificate-sha256");

    /** The hash of the current call's client certificate; empty outside an intercepted call or without mutual TLS. */
    public static Optional<byte[]> currentHash() {
        byte[] hash = CERTIFICATE_HASH.get();
        return hash == null ? Optional.empty() : Optional.of(hash.clone());
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        byte[] hash = hash(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        if (hash == null) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(CERTIFICATE_HASH, hash), call, headers, next);
    }

    private static byte[] hash(SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length == 0 ? null : Hashes.sha256(chain[0].getEncoded());
        } catch (SSLPeerUnverifiedException | CertificateEncodingException e) {
            return null; // no usable client certificate: a binding, if asked for, will fail
        }
    }
}
