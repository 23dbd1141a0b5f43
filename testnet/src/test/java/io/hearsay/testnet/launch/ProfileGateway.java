package io.hearsay.testnet.launch;

import io.grpc.ManagedChannel;
import io.hearsay.testnet.client.PeerConnections;
import io.hearsay.testnet.spec.ConnectionProfile;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Gateway;

/**
 * The official Fabric Gateway client connected to one peer of a launched network, exactly as an application would
 * build it from {@code connection.json}: the organisation's client identity, mutual TLS, the peer's server name.
 */
final class ProfileGateway implements AutoCloseable {
    static final Duration CALL = Duration.ofSeconds(15);

    private final ManagedChannel channel;
    final Gateway gateway;

    ProfileGateway(ConnectionProfile profile, String mspId, String peerName) {
        ConnectionProfile.PeerOf peer = profile.peers().stream()
                .filter(p -> p.organization().mspId().equals(mspId) && p.peer().name().equals(peerName))
                .findFirst().orElseThrow();
        channel = PeerConnections.grpcChannel(peer);
        gateway = PeerConnections.gateway(peer.organization(), channel)
                .evaluateOptions(o -> o.withDeadlineAfter(CALL.toMillis(), TimeUnit.MILLISECONDS))
                .endorseOptions(o -> o.withDeadlineAfter(CALL.toMillis(), TimeUnit.MILLISECONDS))
                .submitOptions(o -> o.withDeadlineAfter(CALL.toMillis(), TimeUnit.MILLISECONDS))
                .commitStatusOptions(o -> o.withDeadlineAfter(CALL.toMillis(), TimeUnit.MILLISECONDS))
                .connect();
    }

    @Override
    public void close() throws InterruptedException {
        gateway.close();
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }
}
