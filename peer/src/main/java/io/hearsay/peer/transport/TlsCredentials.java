package io.hearsay.peer.transport;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.Hashes;
import io.hearsay.identity.OrganizationMsp;
import io.hearsay.identity.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * A peer's TLS key and certificate and the TLS CAs it trusts (every organisation's), for mutual TLS on
 * gossip connections: both sides present a certificate, and each must chain to a known TLS CA.
 */
public record TlsCredentials(PrivateKey key, X509Certificate certificate, List<X509Certificate> trustedCas) {
    public TlsCredentials {
        trustedCas = List.copyOf(trustedCas);
        if (trustedCas.isEmpty()) {
            throw new IllegalArgumentException("mutual TLS needs at least one trusted TLS CA");
        }
    }

    /** A node's TLS files as the crypto generator wrote them, trusting the TLS CAs of {@code organizations}. */
    public static TlsCredentials of(CryptoMaterial.Member member, Collection<OrganizationMsp> organizations) {
        try {
            return new TlsCredentials(Pem.decodePrivateKey(Files.readAllBytes(member.tlsKey())),
                    Pem.decodeCertificate(Files.readAllBytes(member.tlsCertificate())),
                    organizations.stream().map(OrganizationMsp::tlsCaCertificate).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TLS files of " + member.name() + ": " + e.getMessage(), e);
        }
    }

    /** SHA-256 of this certificate's DER encoding: what the handshake binds the signing identity to. */
    public byte[] certificateHash() {
        return hash(certificate);
    }

    static byte[] hash(X509Certificate certificate) {
        try {
            return Hashes.sha256(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /** The server side of mutual TLS: this node's certificate, client certificates required and checked against the trusted CAs. */
    public SslContext serverContext() {
        try {
            return GrpcSslContexts.configure(SslContextBuilder.forServer(key, certificate))
                    .trustManager(trustedCas.toArray(X509Certificate[]::new))
                    .clientAuth(ClientAuth.REQUIRE)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up the TLS server: " + e.getMessage(), e);
        }
    }

    /** The client side of mutual TLS, for dialling other nodes (peers, the orderer). */
    public SslContext clientContext() {
        try {
            return GrpcSslContexts.forClient()
                    .keyManager(key, certificate)
                    .trustManager(trustedCas.toArray(X509Certificate[]::new))
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up the TLS client: " + e.getMessage(), e);
        }
    }
}
