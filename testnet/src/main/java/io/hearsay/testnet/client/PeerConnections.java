package io.hearsay.testnet.client;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.hearsay.identity.Hashes;
import io.hearsay.identity.Pem;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.testnet.spec.ConnectionProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;

/**
 * How our tools reach a peer of a connection profile the way any Fabric application does: a gRPC channel with mutual
 * TLS as the organisation's client user, and the official Fabric Gateway SDK's {@link Gateway} over it, signing as
 * that user and binding Deliver streams to the client's TLS certificate.
 */
public final class PeerConnections {
    /** Fabric peers accept 100 MiB messages; a client must raise gRPC's 4 MiB default to read blocks that large. */
    public static final int INBOUND_BYTES_MAX = 100 * 1024 * 1024;

    private PeerConnections() {}

    /** A mutual-TLS channel to {@code peer}, as its organisation's client. Shut it down after the gateway. */
    public static ManagedChannel grpcChannel(ConnectionProfile.PeerOf peer) {
        ConnectionProfile.Client client = peer.organization().client();
        SslContext tls;
        try {
            tls = GrpcSslContexts.forClient()
                    .trustManager(certificate(peer.peer().tlsCaCert()))
                    .keyManager(privateKey(client.tlsKey()), certificate(client.tlsCert()))
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS to " + peer.peer().name() + ": " + e.getMessage(), e);
        }
        return NettyChannelBuilder.forTarget(peer.peer().endpoint())
                .sslContext(tls)
                .overrideAuthority(peer.peer().serverName())
                .maxInboundMessageSize(INBOUND_BYTES_MAX)
                .build();
    }

    /**
     * A Gateway builder for {@code organization}'s client identity over {@code grpc}: add call options, then
     * {@code connect()}.
     */
    public static Gateway.Builder gateway(ConnectionProfile.Organization organization, ManagedChannel grpc) {
        ConnectionProfile.Client client = organization.client();
        try {
            X509Certificate certificate = Identities.readX509Certificate(Files.readString(client.cert(), StandardCharsets.UTF_8));
            PrivateKey key = Identities.readPrivateKey(Files.readString(client.key(), StandardCharsets.UTF_8));
            return Gateway.newInstance()
                    .identity(new X509Identity(organization.mspId(), certificate))
                    .signer(Signers.newPrivateKeySigner(key))
                    .connection(grpc)
                    // Deliver binds the stream to our TLS client certificate, as Fabric does under mutual TLS.
                    .tlsClientCertificateHash(tlsCertificateHash(organization));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the client identity of " + organization.mspId() + ": "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("unusable client identity of " + organization.mspId() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * SHA-256 of {@code organization}'s client TLS certificate: what a Deliver seek carries as {@code tls_cert_hash}
     * to bind the stream to the mutual-TLS connection, as Fabric requires.
     */
    public static byte[] tlsCertificateHash(ConnectionProfile.Organization organization) {
        try {
            return Hashes.sha256(certificate(organization.client().tlsCert()).getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("unusable TLS certificate of " + organization.mspId() + "'s client: "
                    + e.getMessage(), e);
        }
    }

    /** {@code organization}'s client identity, for the requests our tools sign themselves (a Deliver seek). */
    public static SigningIdentity signingIdentity(ConnectionProfile.Organization organization) {
        ConnectionProfile.Client client = organization.client();
        return SigningIdentity.of(organization.mspId(), certificate(client.cert()), privateKey(client.key()));
    }

    private static X509Certificate certificate(Path file) {
        try {
            return Pem.decodeCertificate(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read certificate " + file + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path file) {
        try {
            return Pem.decodePrivateKey(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key " + file + ": " + e.getMessage(), e);
        }
    }
}
