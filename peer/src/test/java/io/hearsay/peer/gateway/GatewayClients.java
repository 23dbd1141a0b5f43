package io.hearsay.peer.gateway;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.Pem;
import io.hearsay.peer.transport.TlsCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;

/**
 * The official Fabric Gateway client (1.10.0) as the peer's client-facing tests make it: a member's X.509 identity
 * and private-key signer, a mutual-TLS connection to a loopback server, and a deadline on every kind of call
 * (pitfall P16: a call without one can hang a test forever when a server misbehaves).
 */
public final class GatewayClients {
    /** Long enough for a slow machine, short enough that a hung call fails the test instead of the build. */
    public static final Duration CALL_DEADLINE = Duration.ofSeconds(30);

    private GatewayClients() {
    }

    /** A mutual-TLS connection to {@code host:port} presenting {@code tls}'s client certificate. */
    public static ManagedChannel dial(String host, int port, TlsCredentials tls) {
        return NettyChannelBuilder.forAddress(host, port).sslContext(tls.clientContext()).build();
    }

    /** An official client signing as {@code signer} over {@code connection}, every call bounded by {@link #CALL_DEADLINE}. */
    public static Gateway.Builder builder(ManagedChannel connection, CryptoMaterial.Member signer) {
        return builder(connection, signer, CALL_DEADLINE);
    }

    /** An official client signing as {@code signer} over {@code connection}, every call bounded by {@code deadline}. */
    public static Gateway.Builder builder(ManagedChannel connection, CryptoMaterial.Member signer, Duration deadline) {
        long millis = deadline.toMillis();
        return Gateway.newInstance()
                .identity(new X509Identity(signer.signingIdentity().mspId(), signer.signingIdentity().identity().certificate()))
                .signer(Signers.newPrivateKeySigner(privateKey(signer)))
                .connection(connection)
                .evaluateOptions(options -> options.withDeadlineAfter(millis, TimeUnit.MILLISECONDS))
                .endorseOptions(options -> options.withDeadlineAfter(millis, TimeUnit.MILLISECONDS))
                .submitOptions(options -> options.withDeadlineAfter(millis, TimeUnit.MILLISECONDS))
                .commitStatusOptions(options -> options.withDeadlineAfter(millis, TimeUnit.MILLISECONDS))
                .chaincodeEventsOptions(options -> options.withDeadlineAfter(millis, TimeUnit.MILLISECONDS))
                .blockEventsOptions(options -> options.withDeadlineAfter(millis, TimeUnit.MILLISECONDS))
                .filteredBlockEventsOptions(options -> options.withDeadlineAfter(millis, TimeUnit.MILLISECONDS))
                .blockAndPrivateDataEventsOptions(options -> options.withDeadlineAfter(millis, TimeUnit.MILLISECONDS));
    }

    /** The member's signing key: the one file in its MSP's {@code keystore}, as cryptogen writes it. */
    public static PrivateKey privateKey(CryptoMaterial.Member member) {
        Path keystore = member.mspDirectory().resolve("keystore");
        try (Stream<Path> files = Files.list(keystore)) {
            Path key = files.findFirst().orElseThrow(() -> new IllegalStateException(
                    "no private key in " + keystore + "; was the member's crypto generated?"));
            return Pem.decodePrivateKey(Files.readAllBytes(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the private key in " + keystore + ": " + e.getMessage(), e);
        }
    }
}
